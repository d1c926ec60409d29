"""The patron's session: separate from staff Django auth (staff log in at /login/).

The session holds the patron's id and an HMAC of their PIN hash, so changing the PIN
ends every other session of that patron (as Django does for staff passwords). A merged,
erased or PIN-less record is logged out at its next request.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.crypto import constant_time_compare, salted_hmac

from onelibrary.account.models import PatronPin
from onelibrary.patrons.models import Patron

PATRON_KEY = "account_patron_id"
HASH_KEY = "account_pin_hmac"
CACHE = "_account_patron"


def pin_hmac(pin: PatronPin) -> str:
    return salted_hmac("onelibrary.account.session", pin.pin_hash, algorithm="sha256").hexdigest()


def log_in(request: HttpRequest, patron: Patron) -> None:
    """A new session key (no session fixation); a staff login in it is kept."""
    request.session.cycle_key()
    request.session[PATRON_KEY] = patron.pk
    request.session[HASH_KEY] = pin_hmac(patron.pin)
    setattr(request, CACHE, patron)


def log_out(request: HttpRequest) -> None:
    request.session.pop(PATRON_KEY, None)
    request.session.pop(HASH_KEY, None)
    request.session.cycle_key()
    setattr(request, CACHE, None)


def refresh(request: HttpRequest, patron: Patron) -> None:
    """Keep this session after the patron changed their PIN here."""
    patron.pin.refresh_from_db()
    request.session[HASH_KEY] = pin_hmac(patron.pin)


def current_patron(request: HttpRequest) -> Patron | None:
    """The logged-in patron, or None."""
    if hasattr(request, CACHE):
        return getattr(request, CACHE)
    found = None
    pk = request.session.get(PATRON_KEY) if hasattr(request, "session") else None
    if isinstance(pk, int):
        patron = (
            Patron.objects.select_related("home_library", "preferred_branch", "pin")
            .filter(pk=pk, merged_into=None, erased_at=None)
            .first()
        )
        pin = getattr(patron, "pin", None) if patron is not None else None
        if pin is not None and constant_time_compare(
            request.session.get(HASH_KEY, ""), pin_hmac(pin)
        ):
            found = patron
    if found is None and pk is not None:
        request.session.pop(PATRON_KEY, None)
        request.session.pop(HASH_KEY, None)
    setattr(request, CACHE, found)
    return found


def client_address(request: HttpRequest) -> str:
    """The address the rate limit counts. REMOTE_ADDR: behind a proxy, have the proxy
    set it (docs/account.md)."""
    return str(request.META.get("REMOTE_ADDR") or "unknown")[:64]
