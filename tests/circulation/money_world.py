"""Charges for the money tests, on top of the shared test world."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from onelibrary.catalog.models import Item
from onelibrary.circulation.models import Charge, ChargeEntry, Event, Payment
from onelibrary.members.models import Library
from onelibrary.patrons.models import Patron

DAY = dt.timedelta(days=1)


def charge(
    patron: Patron,
    item: Item,
    amount: str,
    *,
    library: Library | None = None,
    kind: str = Charge.Kind.OVERDUE,
    days_ago: int = 0,
) -> Charge:
    return Charge.objects.create(
        patron=patron,
        item=item,
        library=library or item.owning_library,
        kind=kind,
        amount=Decimal(amount),
        created_at=timezone.now() - days_ago * DAY,
    )


def counts() -> tuple[int, int, int, int]:
    """Rows that money actions write: a refusal must leave these as they were."""
    return (
        Payment.objects.count(),
        ChargeEntry.objects.count(),
        Event.objects.count(),
        Charge.objects.filter(settled_at__isnull=False).count(),
    )
