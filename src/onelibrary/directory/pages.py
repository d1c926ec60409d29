"""What the directory's staff pages share: the staff-only gate and its refusal page."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from onelibrary.members.access import is_staff_member

View = Callable[..., HttpResponse]


def refused(request: HttpRequest, sentence: str, *, status: int = 403) -> HttpResponse:
    return render(request, "directory/refused.html", {"sentence": sentence}, status=status)


def staff_page(what: str) -> Callable[[View], View]:
    """Signed-in staff of any member (or the central office) only; `what` names the pages
    in the refusal."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not is_staff_member(request.user):
                return refused(
                    request, f"{what} are for library staff. Log in with a staff account."
                )
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
