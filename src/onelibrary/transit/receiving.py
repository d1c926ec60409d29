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
    if line is None:
        _refuse_unless_travelling(branch, crate, item)
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


def _refuse_unless_travelling(branch: Branch, crate: Crate, item: Item) -> None:
    """UNPACK-4: an item not on the manifest counts as having travelled unlisted (UNPACK-3)
    only if it is travelling from the crate's sender or to this branch. Anything else (on
    a shelf, on loan, travelling elsewhere) was picked up from somewhere else by mistake:
    nothing is written for the crate, and the sender is not told of it."""
    transit = open_transit_of(item)
    if transit is not None and (
        transit.receiver_id == branch.pk or transit.sender_id == crate.origin_id
    ):
        return
    where = (
        f"it is in transit from {transit.sender.name} to {transit.receiver.name}"
        if transit is not None
        else f"it is {item.get_status_display().lower()}, not in transit"
    )
    raise TransitError(
        "not_from_this_crate",
        f"{item.title.title} ({item.barcode}) is not on crate {crate.label}'s manifest and "
        f"{where}, so it cannot have come in this crate. Nothing was recorded for the crate. "
        "Put it back where it came from, or check it in on the checkin screen.",
        decision="UNPACK-4",
    )


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


# --- undo the last unpack scan (UNPACK-6) ------------------------------------------------

UNDOABLE = ("arrived", "extra", "other_branch")


def last_undoable_scan(crate: Crate, branch: Branch) -> CrateScan | None:
    """The newest unpack scan here that said something of the crate, if not yet undone and
    the crate not yet reconciled. One step only: the scan before an undone one stands."""
    if crate.state != C.RECEIVED or crate.received_branch_id != branch.pk:
        return None
    last = (
        CrateScan.objects.filter(crate=crate, stage="unpack", outcome__in=UNDOABLE)
        .select_related("item__title")
        .order_by("-at", "-pk")
        .first()
    )
    return last if last is not None and last.undone_at is None else None


@transaction.atomic
def undo_last_unpack(
    staff: User, branch: Branch, crate: Crate, *, now: dt.datetime | None = None
) -> str:
    """UNPACK-6: take back what the last unpack scan said of the crate (arrived, extra, for
    another branch): its manifest line is not out of the crate again and the scan no longer
    counts in reconciliation. The checkin the scan made stands (the item is in hand here;
    scanning it again checks it in again). Returns what happened."""
    now = now or timezone.now()
    role_for(staff, branch)
    crate = Crate.objects.select_for_update(of=("self",)).select_related("origin").get(pk=crate.pk)
    if crate.received_branch_id != branch.pk:
        raise TransitError(
            "crate_not_received",
            f"Crate {crate.label} has not been received here. Scan the crate's label first.",
            decision="UNPACK-6",
        )
    if crate.state != C.RECEIVED:
        raise TransitError(
            "crate_reconciled",
            f"Crate {crate.label} is reconciled: its report is final, so no scan can be undone.",
            decision="UNPACK-6",
        )
    scan = last_undoable_scan(crate, branch)
    if scan is None:
        raise TransitError(
            "nothing_to_undo",
            f"No scan on crate {crate.label} is left to undo.",
            decision="UNPACK-6",
        )
    if CrateScan.objects.filter(pk=scan.pk, undone_at__isnull=True).update(undone_at=now) != 1:
        raise TransitError("crate_changed", "That scan was undone a moment ago. Reload the page.")
    if scan.outcome in ("arrived", "other_branch") and scan.item_id is not None:
        CrateItem.objects.filter(
            crate=crate, item_id=scan.item_id, removed_at__isnull=True, arrived_at__isnull=False
        ).update(arrived_at=None)
    record(
        "unpack_undone",
        now=now,
        staff=staff,
        branch=branch,
        crate=crate,
        item=scan.item,
        scan=scan.pk,
        outcome=scan.outcome,
    )
    title = scan.item.title.title if scan.item else scan.barcode
    return (
        f"The scan of {title} ({scan.barcode}) is undone: crate {crate.label} no longer counts "
        "it as taken out. It stays checked in here; if it is still in the crate, scan it "
        "again when you take it out."
    )


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
        CrateScan.objects.filter(
            crate=crate, stage="unpack", undone_at__isnull=True
        ).select_related("item__title")
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
