"""What every outreach page shares: staff only, and one way to show a form again with a
refusal's message and everything that was typed."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from onelibrary.core.requests import AuthenticatedHttpRequest
from onelibrary.outreach.access import require_staff
from onelibrary.outreach.actions import OutreachRefusal

View = Callable[..., HttpResponse]


def staff_page(view: View) -> View:
    """Logged in, and staff of a member library or the central office."""

    @login_required
    @wraps(view)
    def wrapped(request: AuthenticatedHttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        require_staff(request.user)
        return view(request, *args, **kwargs)

    return wrapped


def refuse(form: forms.Form, refusal: OutreachRefusal, field: str | None = None) -> None:
    """Put the refusal on the form: the message says what is wrong and what to do, and the
    decision id lets staff quote it."""
    form.add_error(field, f"{refusal.message} ({refusal.decision})")


def form_page(
    request: AuthenticatedHttpRequest,
    *,
    title: str,
    form: forms.BaseForm,
    back: str,
    back_label: str,
    submit: str,
    intro: str = "",
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "outreach/form.html",
        {
            "title": title,
            "form": form,
            "back": back,
            "back_label": back_label,
            "submit": submit,
            "intro": intro,
        },
        status=status,
    )
