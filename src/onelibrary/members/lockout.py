"""Staff login lockout (django-axes): the page a locked-out login gets, and whose address.

settings.py names these functions (AXES_LOCKOUT_CALLABLE, AXES_CLIENT_IP_CALLABLE); the
counting itself is axes'. docs/operations.md, "Staff logins".
"""

from __future__ import annotations

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone


def locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, object] | None = None,
) -> HttpResponse:
    """429 with the time logins open again.

    A failure during a lockout starts the lockout time again, so "now + lockout time" is
    when this account and address may next try.
    """
    cool_off = settings.AXES_COOLOFF_TIME
    context = {
        "until": timezone.localtime() + cool_off,
        "minutes": int(cool_off.total_seconds() // 60),
        "limit": settings.AXES_FAILURE_LIMIT,
    }
    return render(request, "registration/locked_out.html", context, status=429)


def client_address(request: HttpRequest) -> str | None:
    """The address failures are counted by: REMOTE_ADDR, or behind a proxy the last address
    in the header the proxy appends to (ONELIBRARY_CLIENT_IP_HEADER), which is the one the
    proxy itself saw. Addresses earlier in that header are the client's word, not proof."""
    header = settings.CLIENT_IP_HEADER
    if header:
        forwarded = request.headers.get(header, "")
        last = forwarded.split(",")[-1].strip()
        if last:
            return last
    return request.META.get("REMOTE_ADDR")


def forget_username(username: str) -> int:
    """Delete the login records typed with this username (a patron's erased card typed into
    the staff login, or a staff account removed); the number deleted."""
    deleted = 0
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        deleted += model.objects.filter(username=username).delete()[0]
    return deleted
