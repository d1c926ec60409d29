"""One copy by its barcode over the JSON API: where it is and, when on loan, when it is due.

Served under `/api/v1/catalog/` beside the search, but it lives here because it reads the
copy's loan, which the catalog (below circulation) cannot.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Path, Router, Schema

from onelibrary.apiauth import BARCODE_PATTERN, ERROR_RESPONSES, StaffApiRequest, staff_of
from onelibrary.catalog.access import access_item
from onelibrary.circulation.models import Loan
from onelibrary.members.access import NotFound
from onelibrary.patrons.lookup import find_item

router = Router(tags=["catalog"])


class PlaceOut(Schema):
    code: str
    name: str


class ItemOut(Schema):
    barcode: str
    title: str
    author: str
    title_id: int
    owning_library: PlaceOut
    home_branch: PlaceOut
    current_branch: PlaceOut
    status: str
    status_label: str
    item_type: str
    collection: str
    call_number: str
    holdable: bool
    floating: bool
    loan_id: int | None
    loan_state: str | None
    due_date: dt.date | None


@router.get(
    "/items/{barcode}",
    response={200: ItemOut, **ERROR_RESPONSES},
    summary="One copy by barcode",
    operation_id="onelibrary_catalog_api_item",
)
def item(
    request: StaffApiRequest, barcode: Annotated[str, Path(max_length=200, pattern=BARCODE_PATTERN)]
) -> ItemOut:
    """The copy, its owner and branches, its status and, when on loan, its due date.
    The patron it is lent to is not shown."""
    try:
        found = access_item(staff_of(request), barcode, for_change=False)
    except NotFound:
        find_item(barcode)  # says what was scanned instead: a library card, say
        raise
    loan = Loan.objects.filter(item=found).exclude(state=Loan.State.RETURNED).first()
    return ItemOut(
        barcode=found.barcode,
        title=found.title.title,
        author=found.title.author,
        title_id=found.title_id,
        owning_library=PlaceOut(code=found.owning_library.code, name=found.owning_library.name),
        home_branch=PlaceOut(code=found.home_branch.code, name=found.home_branch.name),
        current_branch=PlaceOut(code=found.current_branch.code, name=found.current_branch.name),
        status=found.status,
        status_label=found.get_status_display(),
        item_type=found.item_type,
        collection=found.collection,
        call_number=found.call_number,
        holdable=found.holdable,
        floating=found.floating,
        loan_id=loan.pk if loan else None,
        loan_state=loan.state if loan else None,
        due_date=loan.due_date if loan else None,
    )
