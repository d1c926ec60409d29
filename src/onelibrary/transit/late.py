"""Late and lost in transit: the lists for both ends, and declaring an item missing.

An item shipped and not received `late_after_days` after its expected day is late; after
`missing_after_days` staff at either end may declare it missing in transit, which marks
the item missing and records the loss as a `TransitEvent(kind="lost")` for the
lost-and-damaged accounting. Its hold, if it travelled for one, is sent back to be routed
by the desk (`circulation/transit_desk.py`), which asks holds: transit does not.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from onelibrary.catalog import itemstate
from onelibrary.catalog.models import Item
from onelibrary.members.models import Branch
from onelibrary.transit.actions import TransitError, _local, move, record, role_for
from onelibrary.transit.models import Transit, TransitSettings

T = Transit.State


@dataclass(frozen=True)
class Late:
    transit: Transit
    days_late: int
    may_declare_missing: bool


def _late(branch: Branch | None, today: dt.date, settings: TransitSettings) -> QuerySet[Transit]:
    cutoff = today - dt.timedelta(days=settings.late_after_days)
    found = Transit.objects.filter(state=T.SHIPPED, expected_on__lt=cutoff)
    if branch is not None:
        found = found.filter(Q(sender=branch) | Q(receiver=branch))
    return found


def late_count(branch: Branch, today: dt.date) -> int:
    """How many `late_transits` lists, in one count query (the branch home)."""
    return _late(branch, today, TransitSettings.current()).count()


def late_transits(branch: Branch | None, today: dt.date) -> list[Late]:
    """Shipped items past their expected day by more than the threshold, sent from or to
    `branch` (every branch when None), most overdue first."""
    settings = TransitSettings.current()
    found = _late(branch, today, settings).select_related(
        "item__title", "sender", "receiver", "crate"
    )
    rows = []
    for transit in found.order_by("expected_on", "pk"):
        assert transit.expected_on is not None  # as filtered above
        late = (today - transit.expected_on).days
        rows.append(Late(transit, late, late > settings.missing_after_days))
    return rows


@dataclass(frozen=True)
class Declared:
    transit: Transit
    item: Item
    message: str


@transaction.atomic
def declare_missing(
    staff: User, branch: Branch, transit: Transit, *, note: str = "", now: dt.datetime | None = None
) -> Declared:
    """The item did not arrive and cannot be found: missing in transit. Returns the transit,
    the item and what happened, in words."""
    now = now or timezone.now()
    role = role_for(staff, branch)
    transit = (
        Transit.objects.select_for_update(of=("self",))
        .select_related("item__title", "item__owning_library", "sender", "receiver", "crate")
        .get(pk=transit.pk)
    )
    if branch.pk not in (transit.sender_id, transit.receiver_id):
        raise TransitError(
            "not_your_transit",
            f"Only {transit.sender.name} or {transit.receiver.name} may declare this item "
            "missing in transit.",
        )
    if transit.state != T.SHIPPED:
        raise TransitError(
            "not_shipped",
            f"This transit is '{transit.get_state_display()}': only an item on its way can be "
            "declared missing in transit.",
        )
    settings = TransitSettings.current()
    today = _local(now)
    # Every shipped transit has its day (courier_link.expected_arrival always answers).
    assert transit.expected_on is not None
    late = (today - transit.expected_on).days
    if late <= settings.missing_after_days:
        wait = transit.expected_on + dt.timedelta(days=settings.missing_after_days + 1)
        raise TransitError(
            "too_soon",
            f"{transit.item.title.title} is {max(late, 0)} days late; the group waits "
            f"{settings.missing_after_days} days before declaring an item missing in transit. "
            f"Look for it at both ends; it can be declared missing from {wait:%a %d %b}.",
        )
    move(transit, "declare_missing", role, closed_at=now, note=note.strip()[:300])
    item = itemstate.lock(transit.item_id)
    if item.status == Item.Status.IN_TRANSIT:
        itemstate.move(item, "declare_missing", role)
    crate = transit.crate
    record(
        "lost",
        now=now,
        staff=staff,
        branch=branch,
        transit=transit,
        crate=crate,
        owning_library=item.owning_library.code,
        price=str(item.price) if item.price is not None else None,
        sender=transit.sender.code,
        receiver=transit.receiver.code,
        crate_label=crate.label if crate else "",
        shipped_at=transit.shipped_at.isoformat() if transit.shipped_at else None,
        days_late=late,
        hold=transit.hold_id,
        note=note.strip(),
    )
    return Declared(
        transit,
        item,
        f"{item.title.title} ({item.barcode}) is declared missing in transit and marked "
        "missing; the loss is recorded for its library.",
    )
