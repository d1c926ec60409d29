"""What the account keeps about a patron, for export and erasure (`patrons.signals`):
the PIN's hash and the tries at logging in with the card (with their addresses)."""

from __future__ import annotations

from typing import Any

from onelibrary.account.models import LoginAttempt, PatronPin
from onelibrary.patrons.models import Patron


def login_attempts_for(card: str) -> list[dict[str, object]]:
    """The tries at logging in with this card: when, from which address, and whether in."""
    return [
        {"at": at.isoformat(), "address": address, "ok": ok}
        for at, address, ok in LoginAttempt.objects.filter(card=card)
        .order_by("at", "pk")
        .values_list("at", "address", "ok")
    ]


def on_exporting(sender: Any, *, patron: Patron, **_: Any) -> dict[str, object]:
    return {"login_attempts": login_attempts_for(patron.card)}


def on_erasing(sender: Any, *, patron: Patron, **_: Any) -> None:
    PatronPin.objects.filter(patron=patron).delete()
    LoginAttempt.objects.filter(card=patron.card).delete()
