"""Crates at the sending branch: open one for a destination, scan items in, close, ship.

Every scan is kept as a `CrateScan`, whatever it did: a refusal is recorded after its
transaction has rolled back, so nothing but the scan row remains (docs/transit.md, "Bad
input"). Receiving and reconciling at the other end are in `transit.receiving`.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from onelibrary.catalog.models import Item
from onelibrary.core.refusals import Refusal
from onelibrary.courier import service as courier
from onelibrary.courier.models import Hub
from onelibrary.members.models import Branch
from onelibrary.patrons.lookup import find_item
from onelibrary.transit import states
from onelibrary.transit.actions import (
    TransitError,
    _local,
    expected_on,
    move,
    next_state,
    open_transit_of,
    record,
    role_for,
)
from onelibrary.transit.models import Crate, CrateItem, CrateScan, Transit

C = Crate.State
T = Transit.State
LABEL_PREFIX = "CRATE-"


@dataclass(frozen=True)
class ScanResult:
    """One scan on a crate screen: `outcome` is kept on the CrateScan row."""

    outcome: str  # added, moved, repeat, refused, received, arrived, extra, other_branch
    instruction: str  # a few large words for the screen
    message: str
    barcode: str
    item: Item | None = None
    crate: Crate | None = None

    @property
    def ok(self) -> bool:
        return self.outcome != "refused"

    @property
    def label(self) -> str:
        return states.SCAN_LABELS.get(self.outcome, self.outcome)


def crate_move(crate: Crate, trigger: str, role: str, **fields: object) -> None:
    try:
        after = states.CRATE_TABLE.next_state(crate.state, trigger, role)
    except states.TransitionError as error:
        raise TransitError("bad_transition", f"Crate {crate.label}: {error}") from error
    if Crate.objects.filter(pk=crate.pk, state=crate.state).update(state=after, **fields) != 1:
        raise TransitError(
            "crate_changed", f"Crate {crate.label} was changed a moment ago. Reload the page."
        )
    crate.refresh_from_db()


def where_to(crate: Crate) -> str:
    if crate.destination is not None:
        return f"{crate.destination.name} ({crate.destination.code})"
    return f"hub {crate.hub}"


def active_lines(crate: Crate):  # noqa: ANN201 - a queryset of CrateItem
    return crate.lines.filter(removed_at__isnull=True).select_related(
        "item__title", "transit__receiver"
    )


def find_crate(label: str) -> Crate:
    label = label.strip().upper()
    crate = Crate.objects.select_related("origin", "destination").filter(label=label).first()
    if crate is None:
        raise TransitError(
            "unknown_crate",
            f"No crate has the label {label or '(nothing scanned)'}. Scan the barcode on the "
            "crate's label; if the label is torn, look the crate up on the expected list.",
        )
    return crate


# --- open ------------------------------------------------------------------------------


@transaction.atomic
def open_crate(
    staff: User,
    origin: Branch,
    *,
    destination: Branch | None = None,
    hub: str = "",
    now: dt.datetime | None = None,
) -> Crate:
    """A new empty crate at `origin` for `destination` (a branch) or a courier hub."""
    now = now or timezone.now()
    role = role_for(staff, origin)
    hub = hub.strip().upper()
    if (destination is None) == (not hub):
        raise TransitError(
            "no_destination", "Choose where the crate goes: one branch, or one courier hub."
        )
    if destination is not None and destination.pk == origin.pk:
        raise TransitError(
            "same_branch", "A crate cannot go to the branch it is packed at. Choose another."
        )
    if destination is not None and not destination.is_active:
        raise TransitError(
            "receiver_closed", f"{destination.name} is closed for good: it cannot get crates."
        )
    if hub and not Hub.objects.filter(code=hub).exists():
        known = ", ".join(Hub.objects.order_by("code").values_list("code", flat=True))
        raise TransitError(
            "unknown_hub",
            f"No courier hub has the code {hub[:32]}. "
            + (
                f"Choose one of the hubs: {known}."
                if known
                else "The group has no hubs: open the crate for a branch."
            )
            + " No crate was opened.",
        )
    crate = Crate.objects.create(
        label=uuid.uuid4().hex[:30],
        origin=origin,
        destination=destination,
        hub=hub,
        state=next_state(states.CRATE_TABLE, None, "open", role),
        opened_at=now,
        opened_by=staff,
    )
    Crate.objects.filter(pk=crate.pk).update(label=f"{LABEL_PREFIX}{crate.pk:06d}")
    crate.refresh_from_db()
    record("crate_opened", now=now, staff=staff, branch=origin, crate=crate, to=where_to(crate))
    return crate


def open_crate_for(branch: Branch, receiver: Branch, on: dt.date | None = None) -> Crate | None:
    """The open crate at `branch` an item for `receiver` goes in: one for that branch (the
    newest), else one for a hub on its way."""
    crates = Crate.objects.filter(origin=branch, state=C.OPEN).order_by("-opened_at", "-pk")
    direct = crates.filter(destination=receiver).first()
    if direct is not None:
        return direct
    hub_crates = list(crates.filter(destination__isnull=True))
    if not hub_crates:
        return None
    hubs = courier.hubs_between(branch.pk, receiver.pk, on or timezone.localdate())
    return next((c for c in hub_crates if c.hub in hubs), None)


# --- scan an item in ---------------------------------------------------------------------


def _keep(
    result: ScanResult, *, staff: User, branch: Branch, stage: str, now: dt.datetime
) -> ScanResult:
    CrateScan.objects.create(
        crate=result.crate,
        stage=stage,
        at=now,
        staff=staff,
        branch=branch,
        barcode=result.barcode[:200],
        item=result.item,
        outcome=result.outcome,
        message=result.message,
    )
    return result


def refused(error: Refusal, barcode: str, crate: Crate | None, item: Item | None = None):  # noqa: ANN201
    return ScanResult("refused", "NOT IN THIS CRATE", error.message, barcode, item, crate)


def scan_into_crate(
    staff: User, branch: Branch, crate: Crate, barcode: str, *, now: dt.datetime | None = None
) -> ScanResult:
    """A typed or wedge scan on the crate screen. Never raises for a bad scan: the result
    says what to do, and the scan is kept."""
    now = now or timezone.now()
    item = None
    try:
        item = find_item(barcode)
        result = _pack(staff, branch, crate, item, now=now)
    except Refusal as error:
        crate.refresh_from_db()
        result = refused(error, barcode.strip(), crate, item)
    return _keep(result, staff=staff, branch=branch, stage="pack", now=now)


def _where_it_goes(branch: Branch, transit: Transit, now: dt.datetime) -> str:
    receiver = transit.receiver
    other = open_crate_for(branch, receiver, _local(now))
    if other is not None:
        return f"Put it in crate {other.label} (for {where_to(other)})."
    return f"Open a crate for {receiver.name} ({receiver.code}) and put it there."


@transaction.atomic
def _pack(staff: User, branch: Branch, crate: Crate, item: Item, *, now: dt.datetime) -> ScanResult:
    role = role_for(staff, branch)
    crate = (
        Crate.objects.select_for_update(of=("self",)).select_related("destination").get(pk=crate.pk)
    )
    title = item.title.title
    if crate.origin_id != branch.pk:
        raise TransitError(
            "crate_elsewhere",
            f"Crate {crate.label} is packed at {crate.origin.name}, not here. Open a crate here.",
        )
    if crate.state != C.OPEN:
        raise TransitError(
            "crate_not_open",
            f"Crate {crate.label} is {crate.get_state_display().lower()}: nothing more goes in. "
            + (
                "Reopen it to add this item."
                if crate.state == C.CLOSED
                else "Use an open crate for this item."
            ),
        )
    transit = open_transit_of(item, lock=True)
    if transit is None:
        here = item.home_branch_id == branch.pk and item.status == Item.Status.AVAILABLE
        raise TransitError(
            "not_in_transit",
            f"{title} ({item.barcode}) is not travelling"
            + (": it belongs on the shelf here." if here else ". Check it in first: ")
            + ("" if here else "checkin says where it goes and sends it."),
        )
    if transit.sender_id != branch.pk or transit.state == T.SHIPPED:
        raise TransitError(
            "not_from_here",
            f"{title} is in transit from {transit.sender.name} to {transit.receiver.name}. "
            "Check it in here first: checkin receives it and says where it goes next.",
        )
    if transit.crate_id == crate.pk and transit.state == T.PACKED:
        return ScanResult(
            "repeat",
            "ALREADY IN THIS CRATE",
            f"{title} is already in crate {crate.label}; the repeated scan changed nothing.",
            item.barcode,
            item,
            crate,
        )
    fits = crate.destination_id == transit.receiver_id or (
        crate.destination_id is None
        and crate.hub in courier.hubs_between(branch.pk, transit.receiver_id, _local(now))
    )
    if not fits:
        raise TransitError(
            "wrong_crate",
            f"{title} goes to {transit.receiver.name} ({transit.receiver.code}), not to "
            f"{where_to(crate)}. {_where_it_goes(branch, transit, now)}",
        )
    outcome, moved_from = "added", ""
    if transit.state == T.PACKED:  # in another crate here: it is in hand now, so it moves
        moved_from = transit.crate.label if transit.crate else ""
        CrateItem.objects.filter(transit=transit, removed_at__isnull=True).update(
            removed_at=now, removed_why=f"moved to crate {crate.label}"
        )
        move(transit, "unpack", role, crate=None)
        outcome = "moved"
    move(transit, "pack", role, crate=crate)
    CrateItem.objects.create(crate=crate, transit=transit, item=item, added_at=now, added_by=staff)
    record("packed", now=now, staff=staff, branch=branch, transit=transit, crate=crate)
    count = active_lines(crate).count()
    extra = f" (taken out of crate {moved_from})" if moved_from else ""
    return ScanResult(
        outcome,
        f"IN CRATE {crate.label}",
        f"{title} is in crate {crate.label} for {transit.receiver.name}{extra}. "
        f"{count} item{'s' * (count != 1)} in the crate.",
        item.barcode,
        item,
        crate,
    )


@transaction.atomic
def take_out(
    staff: User, branch: Branch, crate: Crate, item: Item, *, now: dt.datetime | None = None
) -> None:
    """Take an item back out of an open crate; it waits to be sent again."""
    now = now or timezone.now()
    role = role_for(staff, branch)
    transit = open_transit_of(item, lock=True)
    if transit is None or transit.crate_id != crate.pk or transit.state != T.PACKED:
        raise TransitError("not_in_crate", f"{item.barcode} is not in crate {crate.label}.")
    if crate.state != C.OPEN:
        raise TransitError("crate_not_open", f"Reopen crate {crate.label} first.")
    CrateItem.objects.filter(transit=transit, crate=crate, removed_at__isnull=True).update(
        removed_at=now, removed_why="taken out"
    )
    move(transit, "unpack", role, crate=None)
    record("unpacked", now=now, staff=staff, branch=branch, transit=transit, crate=crate)


# --- close, reopen, ship -------------------------------------------------------------------


def _at_origin(staff: User, branch: Branch, crate: Crate) -> str:
    role = role_for(staff, branch)
    if crate.origin_id != branch.pk:
        raise TransitError(
            "crate_elsewhere",
            f"Crate {crate.label} belongs to {crate.origin.name}; only staff there can do this.",
        )
    return role


@transaction.atomic
def close_crate(
    staff: User, branch: Branch, crate: Crate, *, now: dt.datetime | None = None
) -> Crate:
    now = now or timezone.now()
    crate = Crate.objects.select_for_update().get(pk=crate.pk)
    role = _at_origin(staff, branch, crate)
    if crate.state == C.OPEN and not active_lines(crate).exists():
        raise TransitError(
            "crate_empty", f"Crate {crate.label} is empty. Scan items into it before closing it."
        )
    crate_move(crate, "close", role, closed_at=now)
    record("crate_closed", now=now, staff=staff, branch=branch, crate=crate)
    return crate


@transaction.atomic
def reopen_crate(
    staff: User, branch: Branch, crate: Crate, *, now: dt.datetime | None = None
) -> Crate:
    now = now or timezone.now()
    crate = Crate.objects.select_for_update().get(pk=crate.pk)
    role = _at_origin(staff, branch, crate)
    crate_move(crate, "reopen", role, closed_at=None)
    record("crate_reopened", now=now, staff=staff, branch=branch, crate=crate)
    return crate


@transaction.atomic
def ship_crate(
    staff: User, branch: Branch, crate: Crate, *, now: dt.datetime | None = None
) -> Crate:
    """The courier has collected the crate: its items are on their way, each expected on
    the courier schedule's day for its own receiver (a hub crate's items differ)."""
    now = now or timezone.now()
    crate = Crate.objects.select_for_update().get(pk=crate.pk)
    role = _at_origin(staff, branch, crate)
    if crate.state == C.OPEN:
        raise TransitError(
            "crate_not_closed",
            f"Close crate {crate.label} first (check the manifest), then mark it shipped.",
        )
    today = _local(now)
    latest = None
    for line in active_lines(crate):
        transit = line.transit
        expected = expected_on(branch.pk, transit.receiver_id, today)
        latest = max(latest, expected) if latest else expected
        move(transit, "ship", role, shipped_at=now, expected_on=expected)
        record("shipped", now=now, staff=staff, branch=branch, transit=transit, crate=crate)
    crate_move(crate, "ship", role, shipped_at=now, expected_on=latest)
    record("crate_shipped", now=now, staff=staff, branch=branch, crate=crate)
    return crate


@transaction.atomic
def ship_loose(
    staff: User, branch: Branch, item: Item, *, now: dt.datetime | None = None
) -> Transit:
    """An item handed to the courier without a crate (too big for one)."""
    now = now or timezone.now()
    role = role_for(staff, branch)
    transit = open_transit_of(item, lock=True)
    if transit is None or transit.sender_id != branch.pk or transit.state != T.WAITING:
        raise TransitError(
            "not_waiting",
            f"{item.barcode} is not waiting to be sent from here. If it is in a crate, "
            "ship the crate.",
        )
    expected = expected_on(branch.pk, transit.receiver_id, _local(now))
    move(transit, "ship", role, shipped_at=now, expected_on=expected)
    record("shipped", now=now, staff=staff, branch=branch, transit=transit, loose=True)
    return transit
