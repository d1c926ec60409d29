"""Crates at the receiving end: scan the label, scan each item out, reconcile.

Scanning an item out of a crate checks it in here: that is the desk's
(`circulation/transit_desk.py`), since a checkin asks holds and floating too; this module
checks the crate and its line (`unpack_line`) and keeps the scan. The crate's manifest is
then compared with what came out: missing, extra and other branches' items are listed
with what to do (docs/transit.md, "Reconciliation").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from onelibrary.catalog.models import Item
from onelibrary.core.refusals import Refusal
from onelibrary.members.models import Branch
from onelibrary.transit.actions import TransitError, open_transit_of, record, role_for
from onelibrary.transit.crates import (
    ScanResult,
    _keep,
    active_lines,
    crate_move,
    find_crate,
    open_crate_for,
    where_to,
)
from onelibrary.transit.models import Crate, CrateItem, CrateScan

C = Crate.State


def _may_receive(crate: Crate, branch: Branch) -> bool:
    if crate.destination_id is not None:
        return crate.destination_id == branch.pk
    # A hub crate is opened at the first branch one of its items is for.
    return active_lines(crate).filter(transit__receiver=branch).exists()


def receive_crate_scan(
    staff: User, branch: Branch, label: str, *, now: dt.datetime | None = None
) -> ScanResult:
    """The crate's label scanned at `branch`. Never raises for a bad scan; the scan is kept."""
    now = now or timezone.now()
    crate = None
    try:
        crate = find_crate(label)
        result = _receive_crate(staff, branch, crate, now=now)
    except Refusal as error:
        result = ScanResult("refused", "DO NOT UNPACK", error.message, label.strip(), None, crate)
    return _keep(result, staff=staff, branch=branch, stage="receive", now=now)


@transaction.atomic
def _receive_crate(staff: User, branch: Branch, crate: Crate, *, now: dt.datetime) -> ScanResult:
    role = role_for(staff, branch)
    crate = (
        Crate.objects.select_for_update(of=("self",)).select_related("destination").get(pk=crate.pk)
    )
    label = crate.label
    if crate.state in (C.RECEIVED, C.RECONCILED) and crate.received_branch_id == branch.pk:
        return ScanResult(
            "repeat",
            "ALREADY RECEIVED",
            f"Crate {label} was received here on "
            f"{timezone.localtime(crate.received_at):%a %d %b %H:%M}. Scan its items to unpack it.",
            label,
            None,
            crate,
        )
    if crate.state in (C.OPEN, C.CLOSED):
        raise TransitError(
            "crate_not_shipped",
            f"Crate {label} was never marked shipped at {crate.origin.name}. If it is here, it "
            f"left without being shipped: call {crate.origin.name}, then receive it once they "
            "have marked it shipped.",
        )
    if not _may_receive(crate, branch):
        raise TransitError(
            "wrong_branch",
            f"Crate {label} is for {where_to(crate)}, not {branch.name}. Do not unpack it: "
            "close it again and give it back to the courier for its destination.",
        )
    if crate.state != C.SHIPPED:
        raise TransitError(
            "already_received",
            f"Crate {label} was already received at another branch. Call "
            f"{crate.origin.name}; do not unpack it.",
        )
    crate_move(crate, "receive", role, received_at=now, received_branch=branch)
    record("crate_received", now=now, staff=staff, branch=branch, crate=crate)
    count = active_lines(crate).count()
    return ScanResult(
        "received",
        "UNPACK: SCAN EACH ITEM",
        f"Crate {label} from {crate.origin.name} is received: the manifest lists {count} "
        f"item{'s' * (count != 1)}. Scan each item as you take it out.",
        label,
        None,
        crate,
    )


@dataclass(frozen=True)
class Unpacked:
    """What the crate says of an item taken out of it, before the desk checks it in."""

    crate: Crate
    line: CrateItem | None  # None: not on the manifest
    repeat: ScanResult | None = None  # already taken out: nothing more to do


def unpack_line(staff: User, branch: Branch, crate: Crate, item: Item) -> Unpacked:
    """Check that `crate` was received here and find `item`'s line on its manifest."""
    role_for(staff, branch)
    crate = Crate.objects.select_related("origin", "destination").get(pk=crate.pk)
    if crate.state not in (C.RECEIVED, C.RECONCILED) or crate.received_branch_id != branch.pk:
        raise TransitError(
            "crate_not_received",
            f"Crate {crate.label} has not been received here. Scan the crate's label first.",
        )
    line = (
        CrateItem.objects.filter(crate=crate, item=item, removed_at__isnull=True)
        .select_related("transit__receiver")
        .first()
    )
    if line is not None and line.arrived_at is not None:
        repeat = ScanResult(
            "repeat",
            "ALREADY SCANNED",
            f"{item.title.title} was already taken out of crate {crate.label}; the repeated "
            "scan changed nothing.",
            item.barcode,
            item,
            crate,
        )
        return Unpacked(crate, line, repeat)
    return Unpacked(crate, line)


def arrived(unpacked: Unpacked, branch: Branch, item: Item, now: dt.datetime) -> tuple[str, str]:
    """Mark the line arrived; the scan's kind and what to say of it."""
    crate, line, title = unpacked.crate, unpacked.line, item.title.title
    if line is None:
        return "extra", (
            f"{title} is not on crate {crate.label}'s manifest: it travelled unlisted. It is "
            f"checked in here; tell {crate.origin.name} so they know where it went."
        )
    CrateItem.objects.filter(pk=line.pk).update(arrived_at=now)
    if line.transit.receiver_id == branch.pk:
        return "arrived", f"{title} has arrived."
    receiver = line.transit.receiver
    return "other_branch", (
        f"{title} was packed for {receiver.name} ({receiver.code}), not for this branch."
    )


def onward_hint(branch: Branch, item: Item) -> str:
    """Where an item checked in from a crate and still travelling goes next: a crate."""
    onward = open_transit_of(item)
    if onward is None:
        return ""
    found = open_crate_for(branch, onward.receiver)
    if found:
        return f" Put it in crate {found.label}."
    return f" Open a crate for {onward.receiver.name} ({onward.receiver.code})."


# --- reconcile -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Reconciliation:
    """A crate's manifest beside what came out of it, each difference with what to do."""

    crate: Crate
    arrived: list[CrateItem] = field(default_factory=list)
    missing: list[CrateItem] = field(default_factory=list)
    extra: list[CrateScan] = field(default_factory=list)
    other_branch: list[CrateScan] = field(default_factory=list)
    refused: list[CrateScan] = field(default_factory=list)
    repeats: int = 0

    @property
    def matches(self) -> bool:
        return not (self.missing or self.extra or self.other_branch or self.refused)

    def missing_instruction(self) -> str:
        origin = self.crate.origin.name
        return (
            f"Not in the crate: ask {origin} whether it was left behind. It stays in transit "
            "and is listed as late if it does not turn up; check it in when it does."
        )

    def extra_instruction(self) -> str:
        return (
            f"Not on the manifest: checked in here. Tell {self.crate.origin.name} it travelled "
            "unlisted."
        )

    def other_instruction(self) -> str:
        return "For another branch: send it on as checkin says (in a crate for its branch)."


def reconciliation(crate: Crate) -> Reconciliation:
    lines = list(active_lines(crate))
    scans = list(
        CrateScan.objects.filter(crate=crate, stage="unpack").select_related("item__title")
    )
    return Reconciliation(
        crate=crate,
        arrived=[line for line in lines if line.arrived_at is not None],
        missing=[line for line in lines if line.arrived_at is None],
        extra=[s for s in scans if s.outcome == "extra"],
        other_branch=[s for s in scans if s.outcome == "other_branch"],
        refused=[s for s in scans if s.outcome == "refused"],
        repeats=sum(1 for s in scans if s.outcome == "repeat"),
    )


@transaction.atomic
def reconcile_crate(
    staff: User, branch: Branch, crate: Crate, *, now: dt.datetime | None = None
) -> Reconciliation:
    """Unpacking is finished: the manifest's items not scanned out are recorded missing
    from the crate (they stay in transit, so the late list picks them up)."""
    now = now or timezone.now()
    role = role_for(staff, branch)
    crate = Crate.objects.select_for_update(of=("self",)).get(pk=crate.pk)
    if crate.received_branch_id != branch.pk:
        raise TransitError(
            "crate_not_received",
            f"Crate {crate.label} has not been received here. Scan the crate's label first.",
        )
    crate_move(crate, "reconcile", role, reconciled_at=now)
    result = reconciliation(crate)
    for line in result.missing:
        record(
            "missing_from_crate",
            now=now,
            staff=staff,
            branch=branch,
            transit=line.transit,
            crate=crate,
        )
    record(
        "crate_reconciled",
        now=now,
        staff=staff,
        branch=branch,
        crate=crate,
        arrived=len(result.arrived),
        missing=[line.item.barcode for line in result.missing],
        extra=[s.barcode for s in result.extra],
        other_branch=[s.barcode for s in result.other_branch],
    )
    return result
