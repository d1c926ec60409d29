"""The desk's side of transit: what asks more than one part.

Taking an item out of a crate checks it in (which asks holds and floating where it goes);
declaring an item missing in transit sends the hold it travelled for back to routing.
Transit checks the crate and the transit; holds answers for the hold; this module joins
them, as checkout and checkin do (docs/architecture.md).
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from onelibrary.circulation.actions import check_in
from onelibrary.core.refusals import Refusal
from onelibrary.holds.actions import copy_lost_in_transit
from onelibrary.holds.models import Hold
from onelibrary.members.models import Branch
from onelibrary.patrons.lookup import find_item
from onelibrary.transit import late, receiving
from onelibrary.transit.crates import ScanResult, _keep
from onelibrary.transit.models import Crate, Transit


def unpack_scan(
    staff: User, branch: Branch, crate: Crate, barcode: str, *, now: dt.datetime | None = None
) -> ScanResult:
    """An item taken out of a received crate and scanned. Never raises for a bad scan."""
    now = now or timezone.now()
    item = None
    try:
        item = find_item(barcode)
        result = _unpack(staff, branch, crate, item, now=now)
    except Refusal as error:
        crate.refresh_from_db()
        result = ScanResult("refused", "SET ASIDE", error.message, barcode.strip(), item, crate)
    return _keep(result, staff=staff, branch=branch, stage="unpack", now=now)


@transaction.atomic
def _unpack(staff: User, branch: Branch, crate: Crate, item, *, now: dt.datetime) -> ScanResult:  # noqa: ANN001
    unpacked = receiving.unpack_line(staff, branch, crate, item)
    if unpacked.repeat is not None:
        return unpacked.repeat
    outcome = check_in(staff, branch, item, now=now)
    kind, note = receiving.arrived(unpacked, branch, item, now)
    hint = ""
    if outcome.item.status == outcome.item.Status.IN_TRANSIT:
        hint = receiving.onward_hint(branch, outcome.item)
    return ScanResult(
        kind,
        outcome.instruction,
        f"{note} {outcome.message}{hint}",
        item.barcode,
        outcome.item,
        unpacked.crate,
    )


@transaction.atomic
def declare_missing(
    staff: User, branch: Branch, transit: Transit, *, note: str = "", now: dt.datetime | None = None
) -> str:
    """The item did not arrive and cannot be found: missing in transit (transit.late); the
    hold it travelled for waits again and is routed at once. Returns what happened."""
    now = now or timezone.now()
    declared = late.declare_missing(staff, branch, transit, note=note, now=now)
    travelling = Hold.objects.filter(state=Hold.State.IN_TRANSIT)
    hold = (
        travelling.filter(pk=declared.transit.hold_id).first()
        if declared.transit.hold_id is not None
        else travelling.filter(assigned_item=declared.item).first()
    )
    rerouted = copy_lost_in_transit(hold, now=now, staff=staff) if hold is not None else ""
    return " ".join(part for part in (declared.message, rerouted) if part)
