"""What a view may assume of its request, for the type checker.

django-htmx's middleware (settings.MIDDLEWARE) gives every request `.htmx`, and a view
behind a login check sees a signed-in `User` rather than `AnonymousUser`; Django's own
`HttpRequest` type says neither. These are django-htmx's and django-stubs' documented
ways to say so: annotate the view's request with one of them. They add nothing at run
time: the request is still the `HttpRequest` Django built.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """Any request: the middleware has set `.htmx` (false when htmx did not send it)."""

    htmx: HtmxDetails


class AuthenticatedHttpRequest(HtmxHttpRequest):
    """A request past a login check (`login_required`, `desk_page`): `.user` is a User."""

    user: User


# The request headers on which a view that answers htmx with a fragment, and anything
# else with the page, changes its answer. Without them in `Vary` a browser's back button
# shows the cached fragment, bare, as the page (issue 13, bug 1).
HTMX_HEADERS = ("HX-Request", "HX-History-Restore-Request")


def vary_on_htmx(response: HttpResponse) -> HttpResponse:
    """Say in `Vary` that this answer depends on whether htmx asked."""
    patch_vary_headers(response, HTMX_HEADERS)
    return response


def wants_fragment(request: HtmxHttpRequest) -> bool:
    """htmx asked for part of a page. A history restore (htmx's cache missed on Back)
    asks with `HX-Request` too, but replaces the whole body: it gets the page."""
    return bool(request.htmx) and not request.htmx.history_restore_request
