"""Crates and transits over the JSON API. The endpoints call the same actions as the pages.

Scans (`/scan`, `/receive`, `/unpack`) always answer 200 with what the scan did (its
`outcome`, "refused" included): the scan is kept either way, as on the screens. Other
refusals use apiauth's one error body (404 no such crate, branch or item, or a crate or
transit of other libraries (transit.access); 403 not your library; 409 refused by the
crate's or transit's state; 422 malformed input).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.db.models import Q
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema, Status

from onelibrary.apiauth import (
    BARCODE_PATTERN,
    ERROR_RESPONSES,
    StaffApiRequest,
    find_branch,
    staff_of,
)
from onelibrary.catalog.access import access_item
from onelibrary.transit import crates, late, receiving
from onelibrary.transit.access import access_crate
from onelibrary.transit.models import Crate, Transit

router = Router(tags=["transit"])

MAX_ID = 2**63 - 1
Label = Annotated[str, Path(max_length=32, pattern=BARCODE_PATTERN)]
Barcode = Annotated[str, Path(max_length=64, pattern=BARCODE_PATTERN)]


def _code(description: str, max_length: int = 32) -> Any:
    return Field(
        ..., min_length=1, max_length=max_length, pattern=BARCODE_PATTERN, description=description
    )


class BranchIn(Schema):
    branch: str = _code("The code of the branch the staff member works at now.")


class OpenIn(BranchIn):
    destination: str | None = Field(
        None, max_length=32, pattern=BARCODE_PATTERN, description="Branch code it goes to."
    )
    hub: str | None = Field(
        None, max_length=32, pattern=BARCODE_PATTERN, description="Or a courier hub's code."
    )


class ScanIn(BranchIn):
    barcode: str = _code("The item's barcode as scanned.", 200)


class MissingIn(BranchIn):
    note: str = Field("", max_length=300, pattern=r"^[^\x00]*$")


class LineOut(Schema):
    item_barcode: str
    title: str
    call_number: str
    receiver: str
    transit_id: int
    arrived_at: dt.datetime | None


class CrateOut(Schema):
    label: str
    origin: str
    destination: str | None
    hub: str
    state: str
    state_label: str
    opened_at: dt.datetime
    closed_at: dt.datetime | None
    shipped_at: dt.datetime | None
    expected_on: dt.date | None
    received_at: dt.datetime | None
    received_branch: str | None
    reconciled_at: dt.datetime | None
    lines: list[LineOut]


class ScanOut(Schema):
    outcome: str = Field(
        description="added, moved, repeat, refused, received, arrived, extra or other_branch."
    )
    instruction: str
    message: str
    barcode: str
    crate: str | None


class ReconcileOut(Schema):
    crate: CrateOut
    matches: bool
    arrived: list[str]
    missing: list[str]
    missing_instruction: str
    extra: list[str]
    extra_instruction: str
    other_branch: list[str]
    other_instruction: str
    repeats: int


class TransitOut(Schema):
    transit_id: int
    item_barcode: str
    title: str
    sender: str
    receiver: str
    reason: str
    state: str
    state_label: str
    hold_id: int | None
    crate: str | None
    created_at: dt.datetime
    shipped_at: dt.datetime | None
    expected_on: dt.date | None
    received_at: dt.datetime | None
    received_branch: str | None


class LateOut(Schema):
    transit: TransitOut
    days_late: int
    may_declare_missing: bool


def crate_out(crate: Crate) -> CrateOut:
    crate = Crate.objects.select_related("origin", "destination", "received_branch").get(
        pk=crate.pk
    )
    return CrateOut(
        label=crate.label,
        origin=crate.origin.code,
        destination=crate.destination.code if crate.destination else None,
        hub=crate.hub,
        state=crate.state,
        state_label=crate.get_state_display(),
        opened_at=crate.opened_at,
        closed_at=crate.closed_at,
        shipped_at=crate.shipped_at,
        expected_on=crate.expected_on,
        received_at=crate.received_at,
        received_branch=crate.received_branch.code if crate.received_branch else None,
        reconciled_at=crate.reconciled_at,
        lines=[
            LineOut(
                item_barcode=line.item.barcode,
                title=line.item.title.title,
                call_number=line.item.call_number,
                receiver=line.transit.receiver.code,
                transit_id=line.transit_id,
                arrived_at=line.arrived_at,
            )
            for line in crates.active_lines(crate)
        ],
    )


def transit_out(transit: Transit) -> TransitOut:
    return TransitOut(
        transit_id=transit.pk,
        item_barcode=transit.item.barcode,
        title=transit.item.title.title,
        sender=transit.sender.code,
        receiver=transit.receiver.code,
        reason=transit.reason,
        state=transit.state,
        state_label=transit.get_state_display(),
        hold_id=transit.hold_id,
        crate=transit.crate.label if transit.crate else None,
        created_at=transit.created_at,
        shipped_at=transit.shipped_at,
        expected_on=transit.expected_on,
        received_at=transit.received_at,
        received_branch=transit.received_branch.code if transit.received_branch else None,
    )


def scan_out(result: crates.ScanResult) -> ScanOut:
    return ScanOut(
        outcome=result.outcome,
        instruction=result.instruction,
        message=result.message,
        barcode=result.barcode,
        crate=result.crate.label if result.crate else None,
    )


def _crate(request: StaffApiRequest, label: str, *, for_change: bool = True) -> Crate:
    """The crate, if it is this staff member's business (transit.access); else 404."""
    return access_crate(staff_of(request), label, for_change=for_change)


TRANSITS = Transit.objects.select_related(
    "item__title", "sender", "receiver", "received_branch", "crate"
)


# --- crates ----------------------------------------------------------------------------


@router.post("/crates", response={201: CrateOut, **ERROR_RESPONSES}, summary="Open a crate")
def open_crate(request: StaffApiRequest, payload: OpenIn) -> Status[CrateOut]:
    origin = find_branch(payload.branch)
    destination = find_branch(payload.destination) if payload.destination else None
    crate = crates.open_crate(
        staff_of(request), origin, destination=destination, hub=payload.hub or ""
    )
    return Status(201, crate_out(crate))


@router.get("/crates/{label}", response={200: CrateOut, **ERROR_RESPONSES}, summary="A crate")
def get_crate(request: StaffApiRequest, label: Label) -> CrateOut:
    return crate_out(_crate(request, label, for_change=False))


@router.post(
    "/crates/{label}/scan",
    response={200: ScanOut, **ERROR_RESPONSES},
    summary="Scan an item into an open crate",
)
def scan(request: StaffApiRequest, label: Label, payload: ScanIn) -> ScanOut:
    crate = _crate(request, label)
    branch = find_branch(payload.branch)
    return scan_out(crates.scan_into_crate(staff_of(request), branch, crate, payload.barcode))


def _step(action, label: str, payload: BranchIn, request: StaffApiRequest) -> CrateOut:  # noqa: ANN001
    crate = _crate(request, label)
    action(staff_of(request), find_branch(payload.branch), crate)
    return crate_out(crate)


@router.post(
    "/crates/{label}/close", response={200: CrateOut, **ERROR_RESPONSES}, summary="Close a crate"
)
def close(request: StaffApiRequest, label: Label, payload: BranchIn) -> CrateOut:
    return _step(crates.close_crate, label, payload, request)


@router.post(
    "/crates/{label}/reopen",
    response={200: CrateOut, **ERROR_RESPONSES},
    summary="Reopen a closed crate",
)
def reopen(request: StaffApiRequest, label: Label, payload: BranchIn) -> CrateOut:
    return _step(crates.reopen_crate, label, payload, request)


@router.post(
    "/crates/{label}/ship",
    response={200: CrateOut, **ERROR_RESPONSES},
    summary="The courier has collected the crate",
)
def ship(request: StaffApiRequest, label: Label, payload: BranchIn) -> CrateOut:
    return _step(crates.ship_crate, label, payload, request)


@router.post(
    "/crates/{label}/receive",
    response={200: ScanOut, **ERROR_RESPONSES},
    summary="The crate's label scanned at the receiving branch",
)
def receive(request: StaffApiRequest, label: Label, payload: BranchIn) -> ScanOut:
    branch = find_branch(payload.branch)
    return scan_out(receiving.receive_crate_scan(staff_of(request), branch, label))


@router.post(
    "/crates/{label}/reconcile",
    response={200: ReconcileOut, **ERROR_RESPONSES},
    summary="Unpacking finished: compare the manifest with what came out",
)
def reconcile(request: StaffApiRequest, label: Label, payload: BranchIn) -> ReconcileOut:
    crate = _crate(request, label)
    result = receiving.reconcile_crate(staff_of(request), find_branch(payload.branch), crate)
    return ReconcileOut(
        crate=crate_out(crate),
        matches=result.matches,
        arrived=[line.item.barcode for line in result.arrived],
        missing=[line.item.barcode for line in result.missing],
        missing_instruction=result.missing_instruction(),
        extra=[scan.barcode for scan in result.extra],
        extra_instruction=result.extra_instruction(),
        other_branch=[scan.barcode for scan in result.other_branch],
        other_instruction=result.other_instruction(),
        repeats=result.repeats,
    )


# --- transits ------------------------------------------------------------------------------


class TransitFilter(Schema):
    branch: str = Field(..., min_length=1, max_length=32, pattern=BARCODE_PATTERN)
    direction: Literal["out", "in", "both"] = "both"
    state: Literal["open", "waiting", "packed", "shipped", "received", "cancelled", "missing"] = (
        "open"
    )
    limit: int = Field(200, ge=1, le=1000)


@router.get("/transits", response={200: list[TransitOut], **ERROR_RESPONSES}, summary="Transits")
def transits(request: StaffApiRequest, filters: Query[TransitFilter]) -> list[TransitOut]:
    """A branch's transits: sent from it (out), to it (in) or both, in one state or all open."""
    branch = find_branch(filters.branch)
    found = TRANSITS.all()
    if filters.direction == "out":
        found = found.filter(sender=branch)
    elif filters.direction == "in":
        found = found.filter(receiver=branch)
    else:
        found = found.filter(Q(sender=branch) | Q(receiver=branch))
    if filters.state == "open":
        found = found.filter(state__in=("waiting", "packed", "shipped"))
    else:
        found = found.filter(state=filters.state)
    return [transit_out(t) for t in found.order_by("-created_at", "-pk")[: filters.limit]]


@router.get(
    "/items/{barcode}/transits",
    response={200: list[TransitOut], **ERROR_RESPONSES},
    summary="An item's travel history",
)
def item_transits(request: StaffApiRequest, barcode: Barcode) -> list[TransitOut]:
    item = access_item(staff_of(request), barcode, for_change=False)
    return [transit_out(t) for t in TRANSITS.filter(item=item).order_by("-created_at", "-pk")]


@router.get("/late", response={200: list[LateOut], **ERROR_RESPONSES}, summary="Late in transit")
def late_list(
    request: StaffApiRequest,
    branch: Annotated[str, Query(max_length=32, pattern=BARCODE_PATTERN)] = "",
) -> list[LateOut]:
    """Items shipped and late by more than the group's threshold, to or from the branch
    (every branch when left out)."""
    where = find_branch(branch) if branch.strip() else None
    return [
        LateOut(
            transit=transit_out(row.transit),
            days_late=row.days_late,
            may_declare_missing=row.may_declare_missing,
        )
        for row in late.late_transits(where, timezone.localdate())
    ]
