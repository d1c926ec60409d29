"""The holds endpoint that moves a copy: cancelling a hold (a copy on the hold shelf
leaves it, through the desk: `circulation/holds_desk.py`). Served under
`/api/v1/holds/` beside holds' own (`holds/api.py`).
"""

from __future__ import annotations

from ninja import Router

from onelibrary.apiauth import ERROR_RESPONSES, StaffApiRequest, staff_of
from onelibrary.circulation import holds_desk
from onelibrary.holds.api import HoldId, HoldOut, _hold, _shown, hold_out

router = Router(tags=["holds"])


@router.post(
    "/{hold_id}/cancel",
    response={200: HoldOut, **ERROR_RESPONSES},
    summary="Cancel a hold",
    operation_id="onelibrary_holds_api_cancel",
)
def cancel(request: StaffApiRequest, hold_id: HoldId) -> HoldOut:
    hold = _hold(request, hold_id, for_change=True)
    done = holds_desk.cancel_hold(staff_of(request), hold)
    return hold_out(hold, done, card=_shown(request, hold, "cancel hold"))
