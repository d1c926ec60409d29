"""Holds over the JSON API: place, list, cancel, suspend and resume holds; a branch's pick
list; a hold's routing explanation. The endpoints call the same actions and queries as the
staff pages, and refuse the same way (apiauth: 404 nothing by that id, card or code, 409
refused by a rule or the hold's state, 422 malformed input). A hold id is found through
`holds.access`: another library's hold answers 404 like one that does not exist, and a
reply that shows the patron's card writes a patron audit row. Cancelling a hold may move
its copy off the hold shelf: that endpoint is the desk's (`circulation/holds_api.py`),
served under the same `/api/v1/holds/`."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from ninja import Field, Path, Router, Schema, Status

from onelibrary.apiauth import (
    BARCODE_PATTERN,
    ERROR_RESPONSES,
    ApiError,
    StaffApiRequest,
    find_branch,
    staff_of,
)
from onelibrary.catalog.models import Title
from onelibrary.holds import actions, expecting, queries
from onelibrary.holds.access import access_hold, hold_patron
from onelibrary.holds.expected import Expectation
from onelibrary.holds.models import Hold
from onelibrary.patrons.lookup import find_item, served_patron

router = Router(tags=["holds"])

MAX_ID = 2**63 - 1
HoldId = Annotated[int, Path(ge=1, le=MAX_ID)]


def _code(description: str, max_length: int = 200) -> Any:
    return Field(..., max_length=max_length, pattern=BARCODE_PATTERN, description=description)


class PlaceIn(Schema):
    patron_card: str = _code("The patron's library card.")
    pickup_branch: str | None = Field(
        None,
        max_length=32,
        pattern=BARCODE_PATTERN,
        description="Branch code; the patron's preferred branch when left out.",
    )
    title_id: int | None = Field(None, ge=1, le=MAX_ID, description="Hold any copy of a title.")
    item_barcode: str | None = Field(
        None, max_length=200, pattern=BARCODE_PATTERN, description="Or hold one copy."
    )


class SuspendIn(Schema):
    until: dt.date = Field(description="The hold is not filled until after this date.")


class HoldExpectedOut(Schema):
    """When the copy is expected on the hold shelf (docs/holds/expected.md)."""

    rule: str = Field(description="The case that gave it: EXPECT-1 … 6.")
    words: str = Field(description="The whole sentence, as said to the patron.")
    state: str = Field(description="Where the hold stands, in words.")
    earliest: dt.date | None = Field(description="Null when no date can be estimated.")
    latest: dt.date | None = Field(description="The range's last day; = earliest when known.")
    about: bool = Field(description="An estimate resting on due dates or the queue.")
    basis: str = Field(description="What the date rests on.")

    @classmethod
    def of(cls, expected: Expectation | None) -> HoldExpectedOut | None:
        if expected is None:
            return None
        return cls(
            rule=expected.rule,
            words=expected.words,
            state=expected.state,
            earliest=expected.earliest,
            latest=expected.latest,
            about=expected.about,
            basis=expected.basis,
        )


class HoldOut(Schema):
    hold_id: int
    state: str
    state_label: str
    title_id: int
    title: str
    item_barcode: str | None = Field(description="Set for a hold on one copy.")
    patron_card: str
    pickup_branch: str
    placed_at: dt.datetime
    suspended_until: dt.date | None
    assigned_item_barcode: str | None
    shelf_expires_on: dt.date | None
    queue_position: int | None = Field(description="1 = next; null when not waiting.")
    queue_waiting: int
    queue_approximate: bool = Field(description="Local priority may let newer holds go first.")
    expected: HoldExpectedOut | None = Field(
        description="When the copy is expected on the hold shelf; null for a closed hold."
    )
    message: str = ""


class PatronHoldsOut(Schema):
    patron_card: str
    holds: list[HoldOut]


class PickOut(Schema):
    hold_id: int
    item_barcode: str
    shelf_location: str
    call_number: str
    title: str
    author: str
    pickup_branch: str
    routed_at: dt.datetime | None
    overdue: bool = Field(description="Not pulled within the group's pull deadline.")


class PickListOut(Schema):
    branch: str
    copies: list[PickOut]


class CostOut(Schema):
    pull_days: float
    courier_days: float
    load: float
    total: float


class CandidateOut(Schema):
    copy_id: int
    barcode: str
    owner: str
    branch: str
    cost: CostOut | None
    excluded_because: str
    chosen: bool


class ExplanationOut(Schema):
    hold_id: int
    state: str
    kind: str = Field(description="route, capture, or now (a dry run for a waiting hold).")
    at: str | None
    reason: str
    chosen_copy_id: int | None
    candidates: list[CandidateOut]
    candidates_not_shown: int


def _hold(request: StaffApiRequest, hold_id: int, *, for_change: bool) -> Hold:
    """The hold, if it is this staff member's business (holds.access); else 404."""
    return access_hold(staff_of(request), hold_id, for_change=for_change)


def _shown(request: StaffApiRequest, hold: Hold, context: str) -> str:
    """The patron's card for a reply about one hold: read through patrons.access, audited;
    empty for a closed hold whose patron the retention has forgotten."""
    patron = hold_patron(staff_of(request), hold, via="api", context=context)
    return patron.card if patron is not None else ""


def hold_out(hold: Hold, message: str = "", *, card: str) -> HoldOut:
    """`card` is the patron's, as the caller read it through patrons.access (audited)."""
    hold = queries.holds().get(pk=hold.pk)  # as it is now, after the action
    queue = queries.queue_position(hold)
    return HoldOut(
        hold_id=hold.pk,
        state=hold.state,
        state_label=hold.get_state_display(),
        title_id=hold.title_id,
        title=hold.title.title,
        item_barcode=hold.item.barcode if hold.item else None,
        patron_card=card,
        pickup_branch=hold.pickup_branch.code,
        placed_at=hold.placed_at,
        suspended_until=hold.suspended_until,
        assigned_item_barcode=hold.assigned_item.barcode if hold.assigned_item else None,
        shelf_expires_on=hold.shelf_expires_on,
        queue_position=queue.position,
        queue_waiting=queue.waiting,
        queue_approximate=queue.approximate,
        expected=HoldExpectedOut.of(expecting.expectation(hold)),
        message=message,
    )


@router.post("/", response={201: HoldOut, **ERROR_RESPONSES}, summary="Place a hold")
def place(request: StaffApiRequest, payload: PlaceIn) -> Status[HoldOut]:
    """On a title (`title_id`) or one copy (`item_barcode`), for pickup at an open branch.
    Refused with 409 and the reason: duplicate, hold limit, no holdable copy, branch closed
    for good (the nearest open branches are named), expired card."""
    if (payload.title_id is None) == (payload.item_barcode is None):
        raise ApiError(422, "invalid_input", "Give either title_id or item_barcode, not both.")
    patron = served_patron(staff_of(request), payload.patron_card, via="api", context="place hold")
    item = find_item(payload.item_barcode) if payload.item_barcode else None
    title = None
    if payload.title_id is not None:
        title = Title.objects.filter(pk=payload.title_id).first()
        if title is None:
            raise ApiError(404, "unknown_title", f"There is no title #{payload.title_id}.")
    if payload.pickup_branch:
        pickup = find_branch(payload.pickup_branch)
    elif patron.preferred_branch is not None:
        pickup = patron.preferred_branch
    else:
        raise ApiError(422, "no_pickup", "The patron has no preferred branch: give pickup_branch.")
    placed = actions.place_hold(staff_of(request), patron, pickup, title=title, item=item)
    return Status(201, hold_out(placed.hold, placed.message, card=patron.card))


@router.get(
    "/patrons/{card}", response={200: PatronHoldsOut, **ERROR_RESPONSES}, summary="A patron's holds"
)
def patron_holds(
    request: StaffApiRequest, card: Annotated[str, Path(max_length=200, pattern=BARCODE_PATTERN)]
) -> PatronHoldsOut:
    """Open holds, oldest first, with queue positions."""
    patron = served_patron(staff_of(request), card, via="api", context="holds")
    rows = queries.patron_holds(patron)
    return PatronHoldsOut(
        patron_card=patron.card, holds=[hold_out(r["hold"], card=patron.card) for r in rows]
    )


@router.post(
    "/{hold_id}/suspend", response={200: HoldOut, **ERROR_RESPONSES}, summary="Suspend a hold"
)
def suspend(request: StaffApiRequest, hold_id: HoldId, payload: SuspendIn) -> HoldOut:
    """Not filled until after `until`; a copy routed to it and not yet pulled is given up."""
    hold = _hold(request, hold_id, for_change=True)
    actions.suspend_hold(staff_of(request), hold, payload.until)
    done = f"Suspended until {payload.until:%d %b %Y}."
    return hold_out(hold, done, card=_shown(request, hold, "suspend hold"))


@router.post(
    "/{hold_id}/resume", response={200: HoldOut, **ERROR_RESPONSES}, summary="Resume a hold"
)
def resume(request: StaffApiRequest, hold_id: HoldId) -> HoldOut:
    hold = _hold(request, hold_id, for_change=True)
    actions.resume_hold(staff_of(request), hold)
    done = "The hold is active again."
    return hold_out(hold, done, card=_shown(request, hold, "resume hold"))


@router.get(
    "/branches/{code}/pick-list",
    response={200: PickListOut, **ERROR_RESPONSES},
    summary="A branch's pick list",
)
def pick_list(
    request: StaffApiRequest, code: Annotated[str, Path(max_length=32, pattern=BARCODE_PATTERN)]
) -> PickListOut:
    """Copies to pull at the branch, in shelf order (location, call number)."""
    branch = find_branch(code)
    return PickListOut(branch=branch.code, copies=[_pick(h) for h in queries.pick_list(branch)])


def _pick(hold: Hold) -> PickOut:
    item = hold.assigned_item
    assert item is not None  # the pick list is of routed holds, each with its copy
    return PickOut(
        hold_id=hold.pk,
        item_barcode=item.barcode,
        shelf_location=item.shelf_location,
        call_number=item.call_number,
        title=hold.title.title,
        author=hold.title.author,
        pickup_branch=hold.pickup_branch.code,
        routed_at=hold.routed_at,
        overdue=queries.pull_overdue(hold),
    )


@router.get(
    "/{hold_id}/explanation",
    response={200: ExplanationOut, **ERROR_RESPONSES},
    summary="Why this copy: a hold's routing explained",
)
def explanation(request: StaffApiRequest, hold_id: HoldId) -> ExplanationOut:
    """The last routing decision for the hold; for a waiting hold, what routing would
    decide now (a dry run, nothing saved)."""
    hold = _hold(request, hold_id, for_change=False)
    record = queries.current_explanation(hold) or hold.explanation or {}
    return ExplanationOut(
        hold_id=hold.pk,
        state=hold.state,
        kind=str(record.get("kind", "")),
        at=record.get("at"),
        reason=str(record.get("reason", "This hold has not been routed yet.")),
        chosen_copy_id=record.get("chosen_copy_id"),
        candidates=[
            CandidateOut(
                copy_id=row["copy_id"],
                barcode=row.get("barcode", ""),
                owner=row["owner"],
                branch=row.get("branch_code", ""),
                cost=row["cost"],
                excluded_because=row.get("excluded_because", ""),
                chosen=row["chosen"],
            )
            for row in queries.explanation_rows(record)
        ],
        candidates_not_shown=int(record.get("candidates_not_shown", 0)),
    )
