"""The patron's own JSON API under /api/v1/account/, authenticated by the patron session.

`POST /session` logs in with card and PIN (the same rate limit as the page) and sets the
session cookie; every other endpoint reads the patron from that cookie (`PatronSession`,
which overrides the API's staff token) and checks Django's CSRF token on writes, as the
pages do. Loans and holds are looked up through `account.access`, scoped to the patron:
another patron's id is 404, as an id that does not exist. docs/account.md, "API".
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.conf import settings
from django.http import HttpRequest
from ninja import Field, Path, Router, Schema, Status
from ninja.security import APIKeyCookie

from onelibrary.account import access, actions, session
from onelibrary.account.access import AccountError
from onelibrary.apiauth import BARCODE_PATTERN, ApiError, ErrorOut
from onelibrary.circulation.models import Loan
from onelibrary.holds import expecting
from onelibrary.holds.api import HoldExpectedOut
from onelibrary.holds.expected import Expectation
from onelibrary.holds.models import Hold
from onelibrary.holds.queries import QueuePosition, queue_position
from onelibrary.patrons.models import Patron

MAX_ID = 2**63 - 1
ObjectId = Annotated[int, Path(ge=1, le=MAX_ID)]
RESPONSES: dict[Any, Any] = {frozenset({400, 401, 403, 404, 409, 413, 422, 429}): ErrorOut}


class PatronSession(APIKeyCookie):
    """The session cookie of a logged-in patron; CSRF-checked on unsafe methods."""

    param_name = settings.SESSION_COOKIE_NAME

    def authenticate(self, request: HttpRequest, key: str | None) -> Patron:
        patron = session.current_patron(request)
        if patron is None:
            raise ApiError(
                401,
                "not_logged_in",
                "Log in first: POST your card and PIN to /api/v1/account/session.",
            )
        return patron


router = Router(tags=["account"], auth=PatronSession())


class PatronApiRequest(HttpRequest):
    """A request PatronSession let in: django-ninja sets `.auth` to the patron it returned.
    Endpoints annotate their request with it (a type, nothing at run time)."""

    auth: Patron


def me(request: PatronApiRequest) -> Patron:
    return request.auth


def refused(error: AccountError) -> ApiError:
    return ApiError(error.status, error.code, error.message)


# --- schemas ------------------------------------------------------------------------------
# Named My…: the OpenAPI document keys its schemas by class name, and the staff endpoints
# have their own LoanOut, HoldOut, PlaceIn and SuspendIn (tests/api/test_openapi.py).


class LoginIn(Schema):
    card: str = Field(..., min_length=1, max_length=64, pattern=BARCODE_PATTERN)
    pin: str = Field(..., min_length=1, max_length=64, pattern=BARCODE_PATTERN)


class MeOut(Schema):
    card: str
    first_name: str
    last_name: str
    email: str
    home_library: str
    preferred_branch: str | None
    expires_on: dt.date
    expired: bool
    keep_loan_history: bool


class MyLoanOut(Schema):
    loan_id: int
    title_id: int
    title: str
    item_barcode: str
    state: str
    checked_out_at: dt.datetime
    due_date: dt.date
    renewals: int
    message: str = ""


class MyHoldOut(Schema):
    hold_id: int
    title_id: int
    title: str
    state: str
    state_label: str
    pickup_branch: str
    placed_at: dt.datetime
    suspended_until: dt.date | None
    shelf_expires_on: dt.date | None
    queue_position: int | None = Field(description="1 = next; null when not waiting.")
    queue_waiting: int
    expected: HoldExpectedOut | None = Field(
        description="When the copy is expected on the hold shelf; null for a closed hold."
    )
    message: str = ""


class MyPlaceIn(Schema):
    title_id: int = Field(..., ge=1, le=MAX_ID)
    pickup_branch: str | None = Field(
        None,
        max_length=32,
        pattern=BARCODE_PATTERN,
        description="Branch code; if left out, your preferred branch (or your home "
        "library's first).",
    )


class MySuspendIn(Schema):
    until: dt.date


class PickupIn(Schema):
    pickup_branch: str = Field(..., min_length=1, max_length=32, pattern=BARCODE_PATTERN)


class LoanHistoryIn(Schema):
    keep: bool


def me_out(patron: Patron) -> MeOut:
    return MeOut(
        card=patron.card,
        first_name=patron.first_name,
        last_name=patron.last_name,
        email=patron.email,
        home_library=patron.home_library.code,
        preferred_branch=patron.preferred_branch.code if patron.preferred_branch else None,
        expires_on=patron.expires_on,
        expired=patron.expires_on < dt.date.today(),
        keep_loan_history=patron.keep_loan_history,
    )


def loan_out(loan: Loan, message: str = "") -> MyLoanOut:
    return MyLoanOut(
        loan_id=loan.pk,
        title_id=loan.item.title_id,
        title=loan.item.title.title,
        item_barcode=loan.item.barcode,
        state=loan.state,
        checked_out_at=loan.checked_out_at,
        due_date=loan.due_date,
        renewals=loan.renewals,
        message=message,
    )


def hold_out(
    hold: Hold,
    message: str = "",
    *,
    queue: QueuePosition | None = None,
    expected: Expectation | None = None,
) -> MyHoldOut:
    """One hold; a list passes `queue` and `expected` read for all its holds at once."""
    if queue is None:
        queue = queue_position(hold)
        expected = expecting.expectation(hold)
    return MyHoldOut(
        hold_id=hold.pk,
        title_id=hold.title_id,
        title=hold.title.title,
        state=hold.state,
        state_label=hold.get_state_display(),
        pickup_branch=hold.pickup_branch.code,
        placed_at=hold.placed_at,
        suspended_until=hold.suspended_until,
        shelf_expires_on=hold.shelf_expires_on,
        queue_position=queue.position,
        queue_waiting=queue.waiting,
        expected=HoldExpectedOut.of(expected),
        message=message,
    )


def fresh_hold(patron: Patron, hold_id: int, message: str) -> MyHoldOut:
    """The hold as it is now; a cancelled one is no longer open, so read it directly."""
    hold = Hold.objects.select_related("title", "pickup_branch", "assigned_item").get(
        pk=hold_id, patron=patron
    )
    return hold_out(hold, message)


# --- the session --------------------------------------------------------------------------


@router.post(
    "/session", auth=None, response={200: MeOut, **RESPONSES}, summary="Log in with card and PIN"
)
def log_in(request: HttpRequest, payload: LoginIn) -> MeOut:
    """Sets the session cookie. 401 `bad_login` for a wrong card or PIN (the same for a
    card that does not exist), 429 `locked` after too many (the message says until when)."""
    try:
        patron = actions.log_in(payload.card, payload.pin, address=session.client_address(request))
    except AccountError as error:
        raise refused(error) from error
    session.log_in(request, patron)
    return me_out(patron)


@router.delete("/session", response={204: None, **RESPONSES}, summary="Log out")
def log_out(request: HttpRequest) -> Status[None]:
    session.log_out(request)
    return Status(204, None)


# --- me, loans, holds ---------------------------------------------------------------------


@router.get("/me", response={200: MeOut, **RESPONSES}, summary="My record")
def get_me(request: PatronApiRequest) -> MeOut:
    access.record_view(me(request), context="API me")
    return me_out(me(request))


@router.get("/loans", response={200: list[MyLoanOut], **RESPONSES}, summary="My loans")
def loans(request: PatronApiRequest) -> list[MyLoanOut]:
    """What is out, soonest due first."""
    access.record_view(me(request), context="API loans")
    return [loan_out(loan) for loan in access.my_open_loans(me(request))]


@router.post(
    "/loans/{loan_id}/renew", response={200: MyLoanOut, **RESPONSES}, summary="Renew a loan"
)
def renew(request: PatronApiRequest, loan_id: ObjectId) -> MyLoanOut:
    """409 with the rule's reason when it cannot be renewed (no renewals left, card expired)."""
    try:
        outcome = actions.renew(me(request), loan_id)
    except AccountError as error:
        raise refused(error) from error
    return loan_out(access.my_loan(me(request), loan_id), outcome.message)


@router.put("/loan-history", response={200: MeOut, **RESPONSES}, summary="Keep my loan history")
def loan_history(request: PatronApiRequest, payload: LoanHistoryIn) -> MeOut:
    """Opt in or out; opting out forgets the returned loans kept so far."""
    actions.set_loan_history(me(request), payload.keep)
    return me_out(me(request))


@router.get("/holds", response={200: list[MyHoldOut], **RESPONSES}, summary="My holds")
def holds(request: PatronApiRequest) -> list[MyHoldOut]:
    """Open holds, oldest first, with queue positions."""
    access.record_view(me(request), context="API holds")
    return [
        hold_out(row["hold"], queue=row["queue"], expected=row["expected"])
        for row in access.my_open_holds(me(request))
    ]


@router.post("/holds", response={201: MyHoldOut, **RESPONSES}, summary="Place a hold")
def place(request: PatronApiRequest, payload: MyPlaceIn) -> Status[MyHoldOut]:
    """409 with the reason: no copy that can be held, a hold on the title already, a
    branch closed for good (the nearest open ones are named), an expired card."""
    patron = me(request)
    code = payload.pickup_branch
    if not code:
        default = access.default_pickup(patron)
        if default is None:
            raise ApiError(422, "no_pickup", "Give pickup_branch: you have no usual branch.")
        code = default.code
    try:
        placed = actions.place_hold(patron, payload.title_id, code)
    except AccountError as error:
        raise refused(error) from error
    return Status(201, hold_out(placed.hold))


def _hold_call(request: PatronApiRequest, hold_id: int, call: Any) -> MyHoldOut:
    try:
        message = call()
    except AccountError as error:
        raise refused(error) from error
    return fresh_hold(me(request), hold_id, message)


@router.post(
    "/holds/{hold_id}/cancel", response={200: MyHoldOut, **RESPONSES}, summary="Cancel a hold"
)
def cancel(request: PatronApiRequest, hold_id: ObjectId) -> MyHoldOut:
    return _hold_call(request, hold_id, lambda: actions.cancel_hold(me(request), hold_id))


@router.post(
    "/holds/{hold_id}/suspend", response={200: MyHoldOut, **RESPONSES}, summary="Suspend a hold"
)
def suspend(request: PatronApiRequest, hold_id: ObjectId, payload: MySuspendIn) -> MyHoldOut:
    """Not filled until after `until` (today to a year from now)."""
    return _hold_call(
        request, hold_id, lambda: actions.suspend_hold(me(request), hold_id, payload.until)
    )


@router.post(
    "/holds/{hold_id}/resume", response={200: MyHoldOut, **RESPONSES}, summary="Resume a hold"
)
def resume(request: PatronApiRequest, hold_id: ObjectId) -> MyHoldOut:
    return _hold_call(request, hold_id, lambda: actions.resume_hold(me(request), hold_id))


@router.post(
    "/holds/{hold_id}/pickup",
    response={200: MyHoldOut, **RESPONSES},
    summary="Change a hold's pickup branch",
)
def pickup(request: PatronApiRequest, hold_id: ObjectId, payload: PickupIn) -> MyHoldOut:
    return _hold_call(
        request,
        hold_id,
        lambda: actions.change_pickup(me(request), hold_id, payload.pickup_branch),
    )
