"""Circulation over the JSON API: the desk's scans for self-check machines and scripts.

The endpoints call the same scan functions and actions as the desk pages, so every
decision-table case and every kept refusal (`UnprocessedScan`) is the same.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.utils import timezone
from ninja import Field, Path, Router, Schema, Status

from onelibrary.apiauth import (
    BARCODE_PATTERN,
    ERROR_RESPONSES,
    TEXT_PATTERN,
    StaffApiRequest,
    find_branch,
    staff_of,
)
from onelibrary.circulation import actions
from onelibrary.circulation.lookup import CirculationError, Outcome, role_at
from onelibrary.circulation.models import Loan
from onelibrary.circulation.scans import checkin_scan, checkout_scan
from onelibrary.patrons.lookup import served_view

router = Router(tags=["circulation"])

MAX_ID = 2**63 - 1


def _code(description: str, max_length: int = 200) -> str:
    return Field(..., max_length=max_length, pattern=BARCODE_PATTERN, description=description)


BRANCH_DOC = "The code of the branch whose desk this is; you must work for its library."
OVERRIDE_DOC = (
    "Why a block is overridden. Only a library admin or the central office may override; "
    "the reason is kept on the event."
)


class CheckoutIn(Schema):
    branch: str = _code(BRANCH_DOC, 32)
    patron_card: str = _code("The patron's library card, as scanned.")
    item_barcode: str = _code("The item's barcode, as scanned.")
    override_reason: str = Field(
        default="", max_length=500, pattern=TEXT_PATTERN, description=OVERRIDE_DOC
    )


class CheckinIn(Schema):
    branch: str = _code(BRANCH_DOC, 32)
    item_barcode: str = _code("The item's barcode, as scanned.")


class RenewalIn(Schema):
    branch: str | None = Field(
        default=None,
        max_length=32,
        pattern=BARCODE_PATTERN,
        description="The desk renewing it; the loan's checkout branch when left out.",
    )
    override_reason: str = Field(
        default="", max_length=500, pattern=TEXT_PATTERN, description=OVERRIDE_DOC
    )


class OutcomeOut(Schema):
    decision: str = Field(description="The decision-table id, e.g. CHECKIN-2 (docs/circulation).")
    instruction: str = Field(description="What to do with the item, in a few large words.")
    message: str
    repeated: bool = Field(description="A repeat of a scan just made: nothing was done again.")
    item_barcode: str
    item_title: str
    item_status: str
    loan_id: int | None
    loan_state: str | None
    due_date: dt.date | None


class LoanOut(Schema):
    loan_id: int
    state: str
    item_barcode: str
    item_title: str
    owning_library: str
    checkout_branch: str
    checked_out_at: dt.datetime
    due_date: dt.date
    overdue: bool
    renewals: int
    renewals_allowed: int | None


class PatronLoansOut(Schema):
    patron_card: str
    home_library: str
    loans: list[LoanOut]


def outcome_out(outcome: Outcome) -> OutcomeOut:
    loan = outcome.loan
    return OutcomeOut(
        decision=outcome.decision,
        instruction=outcome.instruction,
        message=outcome.message,
        repeated=outcome.repeated,
        item_barcode=outcome.item.barcode,
        item_title=outcome.item.title.title,
        item_status=outcome.item.status,
        loan_id=loan.pk if loan else None,
        loan_state=loan.state if loan else None,
        due_date=loan.due_date if loan else None,
    )


@router.post(
    "/checkouts",
    response={200: OutcomeOut, 201: OutcomeOut, **ERROR_RESPONSES},
    summary="Check an item out to a patron",
)
def checkout(request: StaffApiRequest, payload: CheckoutIn) -> Status[OutcomeOut]:
    """201 with the new loan; 200 when it was already out to this patron (CHECKOUT-4)."""
    staff = staff_of(request)
    branch = find_branch(payload.branch)
    try:
        role_at(staff, branch)
    except CirculationError as error:
        error.decision = error.decision or "CHECKOUT-15"
        raise
    outcome = checkout_scan(
        staff,
        branch,
        payload.patron_card,
        payload.item_barcode,
        override_reason=payload.override_reason,
    )
    return Status(200 if outcome.repeated else 201, outcome_out(outcome))


@router.post("/checkins", response={200: OutcomeOut, **ERROR_RESPONSES}, summary="Check an item in")
def checkin(request: StaffApiRequest, payload: CheckinIn) -> OutcomeOut:
    staff = staff_of(request)
    branch = find_branch(payload.branch)
    role_at(staff, branch)
    return outcome_out(checkin_scan(staff, branch, payload.item_barcode))


@router.post(
    "/loans/{loan_id}/renewals",
    response={200: OutcomeOut, **ERROR_RESPONSES},
    summary="Renew a loan",
)
def renew(
    request: StaffApiRequest,
    loan_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    payload: RenewalIn | None = None,
) -> OutcomeOut:
    """The body may be left out: the loan's checkout branch is then the desk."""
    payload = payload or RenewalIn()
    loan = Loan.objects.filter(pk=loan_id).first()
    if loan is None:
        raise CirculationError("unknown_loan", f"There is no loan #{loan_id}.")
    branch = find_branch(payload.branch) if payload.branch else None
    outcome = actions.renew(
        loan, staff=staff_of(request), branch=branch, override_reason=payload.override_reason
    )
    return outcome_out(outcome)


@router.get(
    "/patrons/{card}/loans",
    response={200: PatronLoansOut, **ERROR_RESPONSES},
    summary="A patron's open loans",
)
def patron_loans(
    request: StaffApiRequest, card: Annotated[str, Path(max_length=200, pattern=BARCODE_PATTERN)]
) -> PatronLoansOut:
    """Open loans (on loan, claims returned, lost), soonest due first."""
    # the patron as this staff member may see them; the view is audited
    patron = served_view(staff_of(request), card, via="api", context="loans")
    today = timezone.localdate()
    loans = (
        Loan.objects.filter(patron_id=patron.pk)
        .exclude(state=Loan.State.RETURNED)
        .select_related("item__title", "item__owning_library", "checkout_branch")
        .order_by("due_date", "pk")
    )
    return PatronLoansOut(
        patron_card=patron.card,
        home_library=patron.home_library.code,
        loans=[
            LoanOut(
                loan_id=loan.pk,
                state=loan.state,
                item_barcode=loan.item.barcode,
                item_title=loan.item.title.title,
                owning_library=loan.item.owning_library.code,
                checkout_branch=loan.checkout_branch.code,
                checked_out_at=loan.checked_out_at,
                due_date=loan.due_date,
                overdue=loan.state == Loan.State.ACTIVE and loan.due_date < today,
                renewals=loan.renewals,
                renewals_allowed=_renewals_allowed(loan),
            )
            for loan in loans
        ],
    )


def _renewals_allowed(loan: Loan) -> int | None:
    value = (loan.rule.get("renewals_allowed") or {}).get("value")
    return None if value is None else int(value)
