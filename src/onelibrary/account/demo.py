"""Demo patrons who can log in: a known PIN for two demo patrons with loans out, one at
the member with the most patrons and one at the member with the fewest. `onelibrary demo`
prints them (docs/demo.md)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db.models import Count, Exists, OuterRef
from django.utils import timezone

from onelibrary.account.models import PatronPin
from onelibrary.circulation.models import Loan
from onelibrary.members.models import Library
from onelibrary.patrons.models import Patron

DEMO_PIN = "4321"


@dataclass(frozen=True)
class PatronLogin:
    card: str
    pin: str
    what: str


def _candidates() -> list[Patron]:
    with_patrons = list(
        Library.objects.annotate(n=Count("patrons")).filter(n__gt=0).order_by("-n", "code")
    )
    if not with_patrons:
        return []
    today = timezone.localdate()
    out_on_loan = Loan.objects.filter(patron=OuterRef("pk")).exclude(state=Loan.State.RETURNED)
    chosen = []
    for library in dict.fromkeys([with_patrons[0], with_patrons[-1]]):
        active = Patron.objects.filter(
            home_library=library, merged_into=None, erased_at=None, expires_on__gte=today
        ).order_by(~Exists(out_on_loan), "card")  # patrons with loans first
        first = active.select_related("home_library").first()
        if first is not None:
            chosen.append(first)
    return chosen


def give_demo_pins() -> list[PatronLogin]:
    """Set the demo PIN on the chosen patrons (again on every call: the same ones)."""
    for patron in _candidates():
        PatronPin.objects.update_or_create(
            patron=patron,
            defaults={"pin_hash": make_password(DEMO_PIN), "set_by": PatronPin.SetBy.DEMO},
        )
    return demo_patron_logins()


def demo_patron_logins() -> list[PatronLogin]:
    pins = PatronPin.objects.filter(set_by=PatronPin.SetBy.DEMO).select_related(
        "patron__home_library"
    )
    return [
        PatronLogin(
            pin.patron.card,
            DEMO_PIN,
            f"{pin.patron.first_name} {pin.patron.last_name}, {pin.patron.home_library.name}",
        )
        for pin in pins.order_by("patron__card")
        if pin.patron.is_active_record
    ]
