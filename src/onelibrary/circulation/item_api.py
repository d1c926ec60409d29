"""The desk's actions on one copy over the JSON API: lost, damaged, claims returned,
missing, found, withdrawn, reinstated, back on the shelf (docs/circulation/item-desk.md).

Each is `POST /api/v1/circulation/items/{barcode}/<action>` with the desk's branch and a
note, and answers with the decision applied, like a checkin. They call the same actions
as the item page (`circulation/item_desk.py`); a refusal carries its decision id.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from ninja import Field, Path, Router, Schema

from onelibrary.apiauth import (
    BARCODE_PATTERN,
    ERROR_RESPONSES,
    TEXT_PATTERN,
    StaffApiRequest,
    find_branch,
    staff_of,
)
from onelibrary.catalog.access import access_item
from onelibrary.circulation import item_desk
from onelibrary.circulation.api import BRANCH_DOC, OutcomeOut, outcome_out
from onelibrary.circulation.item_choices import ACTIONS
from onelibrary.circulation.lookup import role_at
from onelibrary.members.access import NotFound
from onelibrary.patrons.lookup import find_item

router = Router(tags=["circulation"])

Barcode = Annotated[str, Path(max_length=200, pattern=BARCODE_PATTERN)]


class ItemActionIn(Schema):
    branch: str = Field(..., max_length=32, pattern=BARCODE_PATTERN, description=BRANCH_DOC)
    note: str = Field(
        default="",
        max_length=item_desk.NOTE_MAX,
        pattern=TEXT_PATTERN,
        description="What happened and what was checked; kept on the event. Required for "
        "damaged, missing, claims returned and withdraw.",
    )


def _take(request: StaffApiRequest, barcode: str, slug: str, payload: ItemActionIn) -> OutcomeOut:
    staff = staff_of(request)
    branch = find_branch(payload.branch)
    role_at(staff, branch)  # not_your_branch before anything about the copy
    try:
        item = access_item(staff, barcode, for_change=False)
    except NotFound:
        find_item(barcode)  # says what was scanned instead: a library card, say
        raise
    return outcome_out(item_desk.take(staff, branch, item, slug, note=payload.note))


def _endpoint(slug: str) -> Callable[[StaffApiRequest, Barcode, ItemActionIn], OutcomeOut]:
    action = ACTIONS[slug]

    def endpoint(request: StaffApiRequest, barcode: Barcode, payload: ItemActionIn) -> OutcomeOut:
        return _take(request, barcode, slug, payload)

    endpoint.__doc__ = f"{action.says} {action.decision}; refused: {action.refusal}."
    return endpoint


for _slug, _action in ACTIONS.items():
    router.post(
        f"/items/{{barcode}}/{_slug}",
        response={200: OutcomeOut, **ERROR_RESPONSES},
        summary=f"{_action.label} (a copy, by barcode)",
        operation_id=f"onelibrary_circulation_item_{_slug.replace('-', '_')}",
    )(_endpoint(_slug))
