"""Money at the desk over the JSON API: a patron's charges, payments, receipts, waivers,
refunds. Served under `/api/v1/circulation/`; the same `circulation.money` actions as the
desk pages, so the same decision ids (docs/circulation/money.md).

Amounts are strings of dollars and cents ("12.50"), never JSON numbers, which are floats.
Each write may carry a one-time `token`: sent again, it answers 200 with what the first
call wrote and writes nothing (MONEY-5).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Field, Path, Router, Schema, Status

from onelibrary.apiauth import (
    BARCODE_PATTERN,
    ERROR_RESPONSES,
    TEXT_PATTERN,
    StaffApiRequest,
    find_branch,
    staff_of,
)
from onelibrary.circulation import money
from onelibrary.circulation.models import ChargeEntry, Payment
from onelibrary.patrons.lookup import served_patron, served_view
from onelibrary.patrons.models import PatronAudit

router = Router(tags=["circulation"])

MAX_ID = 2**63 - 1
API = PatronAudit.Via.API
AMOUNT_DOC = 'Dollars and cents as a string, e.g. "12.50": more than 0, two places at most.'
TOKEN_DOC = "A one-time key for this write: sent again, nothing is written twice (MONEY-5)."


def _branch() -> str:
    return Field(
        ...,
        max_length=32,
        pattern=BARCODE_PATTERN,
        description="The code of the branch whose desk this is; you must work for its library.",
    )


def _token() -> str | None:
    return Field(
        default=None,
        min_length=8,
        max_length=64,
        pattern=r"^[A-Za-z0-9_-]+$",
        description=TOKEN_DOC,
    )


class PaymentIn(Schema):
    branch: str = _branch()
    amount: str = Field(..., max_length=40, pattern=TEXT_PATTERN, description=AMOUNT_DOC)
    method: str = Field(..., max_length=16, description="cash, card or other.")
    reference: str = Field(default="", max_length=100, pattern=TEXT_PATTERN)
    charge_ids: list[Annotated[int, Field(ge=1, le=MAX_ID)]] = Field(
        default=[], max_length=500, description="Pay only these charges; left out: oldest first."
    )
    token: str | None = _token()


class WaiverIn(Schema):
    branch: str = _branch()
    amount: str = Field(..., max_length=40, pattern=TEXT_PATTERN, description=AMOUNT_DOC)
    reason: str = Field(..., max_length=300, pattern=TEXT_PATTERN, description="Required.")
    token: str | None = _token()


class RefundIn(WaiverIn):
    method: str = Field(
        ..., max_length=16, description="How it is handed back: cash, card or other."
    )


class EntryOut(Schema):
    entry_id: int
    charge_id: int
    kind: str = Field(description="payment, waiver, refund or cancel.")
    amount: str
    owed_after: str = Field(description="What the charge still owed after this entry.")
    method: str
    reason: str
    decision: str
    at: dt.datetime
    payment_id: int | None


class ChargeOut(Schema):
    charge_id: int
    kind: str
    item_barcode: str
    item_title: str
    owed_to: str = Field(description="The code of the library owed.")
    created_at: dt.datetime
    amount: str
    paid: str = Field(description="Paid less refunded.")
    waived: str
    cancelled: str
    owed: str
    settled_at: dt.datetime | None
    entries: list[EntryOut]


class PatronChargesOut(Schema):
    patron_card: str
    owed: str
    charges: list[ChargeOut]


class ReceiptOut(Schema):
    payment_id: int
    patron_card: str
    amount: str
    method: str
    reference: str
    branch: str
    at: dt.datetime
    repeated: bool = Field(description="The same token again: this is the first payment.")
    paid: list[EntryOut] = Field(description="What it paid of each charge, and what remains.")
    owed_after: str = Field(description="What the patron still owed, all charges, after it.")


class EntryResultOut(EntryOut):
    repeated: bool


def _entry(entry: ChargeEntry) -> EntryOut:
    return EntryOut(
        entry_id=entry.pk,
        charge_id=entry.charge_id,
        kind=entry.kind,
        amount=str(entry.amount),
        owed_after=str(entry.owed_after),
        method=entry.method or (entry.payment.method if entry.payment else ""),
        reason=entry.reason,
        decision=entry.decision,
        at=entry.at,
        payment_id=entry.payment_id,
    )


def _receipt(payment: Payment, *, repeated: bool = False) -> ReceiptOut:
    return ReceiptOut(
        payment_id=payment.pk,
        patron_card=payment.patron.card,
        amount=str(payment.amount),
        method=payment.method,
        reference=payment.reference,
        branch=payment.branch.code,
        at=payment.at,
        repeated=repeated,
        paid=[_entry(e) for e in payment.entries.select_related("payment").order_by("pk")],
        owed_after=str(payment.owed_after),
    )


Card = Annotated[str, Path(max_length=200, pattern=BARCODE_PATTERN)]


@router.get(
    "/patrons/{card}/charges",
    response={200: PatronChargesOut, **ERROR_RESPONSES},
    summary="A patron's charges, with what was paid, waived and refunded",
    operation_id="circulation_patron_charges",
)
def patron_charges(request: StaffApiRequest, card: Card) -> PatronChargesOut:
    """Every charge, oldest first, each with its history; `owed` is the open ones' total."""
    patron = served_patron(staff_of(request), card, via=API, context="charges")
    lines = money.charge_lines(patron, staff_of(request), everything=True)
    return PatronChargesOut(
        patron_card=patron.card,
        owed=str(sum((line.balance.owed for line in lines), money.ZERO)),
        charges=[
            ChargeOut(
                charge_id=line.charge.pk,
                kind=line.charge.kind,
                item_barcode=line.charge.item.barcode,
                item_title=line.charge.item.title.title,
                owed_to=line.charge.library.code,
                created_at=line.charge.created_at,
                amount=str(line.charge.amount),
                paid=str(line.balance.kept),
                waived=str(line.balance.waived),
                cancelled=str(line.balance.cancelled),
                owed=str(line.balance.owed),
                settled_at=line.charge.settled_at,
                entries=[_entry(e) for e in line.entries],
            )
            for line in lines
        ],
    )


@router.post(
    "/patrons/{card}/payments",
    response={200: ReceiptOut, 201: ReceiptOut, **ERROR_RESPONSES},
    summary="Take a payment from a patron",
    operation_id="circulation_take_payment",
)
def take_payment(request: StaffApiRequest, card: Card, payload: PaymentIn) -> Status[ReceiptOut]:
    """201 with the receipt; split over the oldest charges first, or `charge_ids`
    (MONEY-1). 200 with the first receipt when the `token` was used before (MONEY-5)."""
    staff = staff_of(request)
    branch = find_branch(payload.branch)
    patron = served_patron(staff, card, via=API, context="payment")
    taken = money.take_payment(
        staff,
        branch,
        patron,
        payload.amount,
        payload.method,
        charge_ids=payload.charge_ids or None,
        reference=payload.reference,
        token=payload.token,
    )
    return Status(200 if taken.repeated else 201, _receipt(taken.payment, repeated=taken.repeated))


@router.get(
    "/payments/{payment_id}",
    response={200: ReceiptOut, **ERROR_RESPONSES},
    summary="A payment's receipt",
    operation_id="circulation_payment_receipt",
)
def receipt(
    request: StaffApiRequest, payment_id: Annotated[int, Path(ge=1, le=MAX_ID)]
) -> ReceiptOut:
    staff = staff_of(request)
    payment = money.access_payment(staff, payment_id)
    served_view(staff, payment.patron.card, via=API, context=f"receipt {payment_id}")  # audited
    return _receipt(payment)


def _entry_result(done: money.Entered) -> Status[EntryResultOut]:
    out = EntryResultOut(**_entry(done.entry).model_dump(), repeated=done.repeated)
    return Status(200 if done.repeated else 201, out)


@router.post(
    "/charges/{charge_id}/waivers",
    response={200: EntryResultOut, 201: EntryResultOut, **ERROR_RESPONSES},
    summary="Waive some or all of a charge, with a reason",
    operation_id="circulation_waive_charge",
)
def waive(
    request: StaffApiRequest,
    charge_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    payload: WaiverIn,
) -> Status[EntryResultOut]:
    """A library admin of the library owed: any amount (MONEY-6); desk staff: up to that
    library's desk waiver limit (MONEY-7)."""
    staff = staff_of(request)
    branch = find_branch(payload.branch)
    charge = money.access_charge(staff, charge_id)
    served_view(staff, charge.patron.card, via=API, context="waiver")  # audited
    done = money.waive(staff, branch, charge, payload.amount, payload.reason, token=payload.token)
    return _entry_result(done)


@router.post(
    "/charges/{charge_id}/refunds",
    response={200: EntryResultOut, 201: EntryResultOut, **ERROR_RESPONSES},
    summary="Refund money paid towards a charge",
    operation_id="circulation_refund_charge",
)
def refund(
    request: StaffApiRequest,
    charge_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    payload: RefundIn,
) -> Status[EntryResultOut]:
    """Up to what was paid and not refunded (MONEY-9); what it covered is owed again."""
    staff = staff_of(request)
    branch = find_branch(payload.branch)
    charge = money.access_charge(staff, charge_id)
    served_view(staff, charge.patron.card, via=API, context="refund")  # audited
    done = money.refund(
        staff, branch, charge, payload.amount, payload.method, payload.reason, token=payload.token
    )
    return _entry_result(done)
