"""What a view may assume of its request, for the type checker.

django-htmx's middleware (settings.MIDDLEWARE) gives every request `.htmx`, and a view
behind a login check sees a signed-in `User` rather than `AnonymousUser`; Django's own
`HttpRequest` type says neither. These are django-htmx's and django-stubs' documented
ways to say so: annotate the view's request with one of them. They add nothing at run
time: the request is still the `HttpRequest` Django built.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """Any request: the middleware has set `.htmx` (false when htmx did not send it)."""

    htmx: HtmxDetails


class AuthenticatedHttpRequest(HtmxHttpRequest):
    """A request past a login check (`login_required`, `desk_page`): `.user` is a User."""

    user: User
