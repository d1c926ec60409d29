"""The desk shell: which branch a staff member works at, and the decorator every desk
page (circulation, holds, crates, floating) wears.

It lives in members, below every part with desk pages, so those parts share it without
importing each other: see docs/architecture.md.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.models import AnonymousUser, User
from django.contrib.auth.views import redirect_to_login
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from onelibrary.core.requests import HtmxHttpRequest, vary_on_htmx
from onelibrary.members.access import Scope, scope_of
from onelibrary.members.models import Branch

SESSION_BRANCH = "desk_branch"
SESSION_PATRON = "desk_patron"
SESSION_LINES = {"checkout": "desk_checkout_lines", "checkin": "desk_checkin_lines"}
SESSION_RENEWALS = "desk_renewals"

NOT_STAFF = (
    "The circulation desk is for library staff. This account does not work for any "
    "library in the group: ask your library admin to give it a staff role."
)

DeskView = Callable[..., HttpResponse]


# --- who, where --------------------------------------------------------------------


def desk_branches(user: User | AnonymousUser, scope: Scope | None = None) -> QuerySet[Branch]:
    """The branches whose desk this staff member may work: their libraries' (central: all)."""
    branches = Branch.objects.filter(is_active=True).select_related("library")
    scope = scope or scope_of(user)
    return branches if scope.central else branches.filter(library_id__in=scope.libraries)


def current_branch(request: HttpRequest, scope: Scope | None = None) -> Branch | None:
    """The branch chosen for this session; the only one, if there is just one to choose."""
    allowed = desk_branches(request.user, scope)
    branch_id = request.session.get(SESSION_BRANCH)
    if branch_id is not None:
        branch = allowed.filter(pk=branch_id).first()
        if branch is not None:
            return branch
        leave_branch(request)
    choices = list(allowed[:2])
    if len(choices) == 1:
        request.session[SESSION_BRANCH] = choices[0].pk
        return choices[0]
    return None


def leave_branch(request: HttpRequest) -> None:
    for key in (SESSION_BRANCH, SESSION_PATRON, SESSION_RENEWALS, *SESSION_LINES.values()):
        request.session.pop(key, None)


def forbidden(request: HttpRequest, sentence: str) -> HttpResponse:
    return render(request, "circulation/forbidden.html", {"sentence": sentence}, status=403)


def go(request: HtmxHttpRequest, url: str) -> HttpResponse:
    """A redirect that also works for an htmx request (which would swap the page in)."""
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)


def desk_page(*, needs_branch: bool = True) -> Callable[[DeskView], DeskView]:
    """Login and a staff role required; the view is given the branch the desk works at.

    Desk scans answer htmx with one line and a plain POST with a redirect, and this
    wrapper answers htmx differently too: every answer varies on the htmx headers."""

    def decorate(view: DeskView) -> DeskView:
        @wraps(view)
        def wrapper(request: HtmxHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            return vary_on_htmx(answer(request, *args, **kwargs))

        def answer(request: HtmxHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                if request.htmx:
                    return HttpResponseClientRedirect(reverse("login"))
                return redirect_to_login(request.get_full_path())
            scope = scope_of(request.user)  # the roles read once for the whole check
            if not scope.is_staff:
                return forbidden(request, NOT_STAFF)
            branch = current_branch(request, scope)
            if needs_branch and branch is None:
                here = request.get_full_path() if request.method == "GET" else ""
                query = f"?{urlencode({'next': here})}" if here else ""
                return go(request, reverse("desk:home") + query)
            return view(request, branch, *args, **kwargs)

        return wrapper

    return decorate
