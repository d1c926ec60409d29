"""The transit endpoints that ask more than transit: an item taken out of a crate (checked
in here) and an item declared missing in transit (its hold routed again). Served under
`/api/v1/transit/` beside transit's own (`transit/api.py`).
"""

from __future__ import annotations

from typing import Annotated

from ninja import Path, Router

from onelibrary.apiauth import ERROR_RESPONSES, StaffApiRequest, find_branch, staff_of
from onelibrary.circulation import transit_desk
from onelibrary.transit.access import access_transit
from onelibrary.transit.api import (
    MAX_ID,
    TRANSITS,
    Label,
    MissingIn,
    ScanIn,
    ScanOut,
    TransitOut,
    _crate,
    scan_out,
    transit_out,
)

router = Router(tags=["transit"])


@router.post(
    "/crates/{label}/unpack",
    response={200: ScanOut, **ERROR_RESPONSES},
    summary="An item taken out of a received crate (checked in here)",
    operation_id="onelibrary_transit_api_unpack",
)
def unpack(request: StaffApiRequest, label: Label, payload: ScanIn) -> ScanOut:
    crate = _crate(request, label)
    branch = find_branch(payload.branch)
    return scan_out(transit_desk.unpack_scan(staff_of(request), branch, crate, payload.barcode))


@router.post(
    "/transits/{transit_id}/missing",
    response={200: TransitOut, **ERROR_RESPONSES},
    summary="Declare an item missing in transit",
    operation_id="onelibrary_transit_api_declare_missing",
)
def declare_missing(
    request: StaffApiRequest,
    transit_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    payload: MissingIn,
) -> TransitOut:
    transit = access_transit(staff_of(request), transit_id, for_change=True)
    transit_desk.declare_missing(
        staff_of(request), find_branch(payload.branch), transit, note=payload.note
    )
    return transit_out(TRANSITS.get(pk=transit.pk))
