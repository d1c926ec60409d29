"""The ledger over the JSON API: entries, balances, settlement, policies (docs/ledger.md).

The same reads as the pages (`ledger.access`: a member's staff see their own accounts,
the central office all) after the same catch-up (`posting.catch_up`). Errors use
apiauth's one body: 404 an entry not among yours, 403 not staff or not the central office
(reversal), 409 a reversal refused (LEDGER-14), 422 an unknown period (LEDGER-15).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.db.models import Q
from ninja import Field, Path, Query, Router, Schema, Status

from onelibrary.apiauth import ERROR_RESPONSES, TEXT_PATTERN, ApiError, StaffApiRequest, staff_of
from onelibrary.ledger import access, book, policies, posting, rules, settlement
from onelibrary.ledger.models import Entry, ReplacementPolicy
from onelibrary.members.access import NotAllowed

router = Router(tags=["ledger"])
MAX_ID = 2**63 - 1
EntryId = Annotated[int, Path(ge=1, le=MAX_ID)]
LIMIT = 500


class PeriodQuery(Schema):
    period: str = Field(..., max_length=32, description="2026-11, or 2026-11-01..2026-11-30")


class EntriesQuery(PeriodQuery):
    party: str = Field("", max_length=32, description="Only entries where this member is a party.")


class LedgerEntryOut(Schema):
    id: int
    booked_at: dt.datetime
    occurred_at: dt.datetime
    kind: str
    debtor: str | None
    creditor: str | None
    amount: str
    decision: str
    reason: str
    item: str | None
    policy: dict[str, object]
    reverses: int | None


class ReverseIn(Schema):
    reason: str = Field(..., max_length=500, pattern=TEXT_PATTERN)


class BalancesOut(Schema):
    period: str
    balances: dict[str, str]


class SettlementOut(Schema):
    period: str
    balances: dict[str, str]
    payments: list[dict[str, str]]


class CaseOut(Schema):
    decision: str
    case: str
    payer: str
    basis: str
    processing_fee: str
    claim_days: int
    dispute_days: int
    owes_when_unpaid: bool
    words: str


class PolicyOut(Schema):
    id: int
    name: str
    version: int
    in_force: bool
    cases: list[CaseOut]


def ledger_entry_out(e: Entry) -> LedgerEntryOut:
    return LedgerEntryOut(
        id=e.pk,
        booked_at=e.booked_at,
        occurred_at=e.occurred_at,
        kind=e.kind,
        debtor=e.debtor.code if e.debtor else None,
        creditor=e.creditor.code if e.creditor else None,
        amount=str(e.amount),
        decision=e.decision,
        reason=e.reason,
        item=e.item.barcode if e.item else None,
        policy=e.policy,
        reverses=e.reverses_id,
    )


def _period(text: str) -> settlement.Period:
    try:
        return settlement.period(text)
    except book.LedgerRefusal as refusal:
        raise ApiError(422, refusal.code, refusal.message) from None


@router.get(
    "/entries",
    response={200: list[LedgerEntryOut], **ERROR_RESPONSES},
    summary="Entries of a period",
    operation_id="onelibrary_ledger_api_entries",
)
def list_entries(request: StaffApiRequest, query: Query[EntriesQuery]) -> list[LedgerEntryOut]:
    staff = staff_of(request)
    period = _period(query.period)
    access.ledger_scope(staff)
    posting.catch_up()
    found = access.visible_entries(staff) & settlement.entries_in(period)
    if query.party:
        found = found.filter(Q(debtor__code=query.party) | Q(creditor__code=query.party))
    rows = found.select_related("debtor", "creditor", "item").order_by("booked_at", "pk")[:LIMIT]
    return [ledger_entry_out(e) for e in rows]


@router.get(
    "/entries/{entry_id}",
    response={200: LedgerEntryOut, **ERROR_RESPONSES},
    summary="One entry",
    operation_id="onelibrary_ledger_api_entry",
)
def get_entry(request: StaffApiRequest, entry_id: EntryId) -> LedgerEntryOut:
    return ledger_entry_out(access.access_entry(staff_of(request), entry_id))


@router.post(
    "/entries/{entry_id}/reverse",
    response={201: LedgerEntryOut, **ERROR_RESPONSES},
    summary="Reverse an entry (central office)",
    operation_id="onelibrary_ledger_api_reverse",
)
def reverse_entry(
    request: StaffApiRequest, entry_id: EntryId, payload: ReverseIn
) -> Status[LedgerEntryOut]:
    staff = staff_of(request)
    found = access.access_entry(staff, entry_id)
    if not access.may_reverse(staff):
        raise NotAllowed("not_permitted", "Only the central office reverses an entry.")
    return Status(201, ledger_entry_out(book.reverse(found, payload.reason, staff)))


@router.get(
    "/balances",
    response={200: BalancesOut, **ERROR_RESPONSES},
    summary="Balances of a period",
    operation_id="onelibrary_ledger_api_balances",
)
def get_balances(request: StaffApiRequest, query: Query[PeriodQuery]) -> BalancesOut:
    found = _settlement(request, query.period)
    return BalancesOut(
        period=found.period.label,
        balances={code: str(amount) for code, amount in found.balances.items()},
    )


@router.get(
    "/settlement",
    response={200: SettlementOut, **ERROR_RESPONSES},
    summary="Settlement of a period: balances and the payments that settle them",
    operation_id="onelibrary_ledger_api_settlement",
)
def get_settlement(request: StaffApiRequest, query: Query[PeriodQuery]) -> SettlementOut:
    found = _settlement(request, query.period)
    return SettlementOut(
        period=found.period.label,
        balances={code: str(amount) for code, amount in found.balances.items()},
        payments=[
            {"from": p.payer, "to": p.payee, "amount": str(p.amount)} for p in found.payments
        ],
    )


def _settlement(request: StaffApiRequest, text: str) -> settlement.Settlement:
    staff = staff_of(request)
    period = _period(text)
    access.ledger_scope(staff)
    posting.catch_up()
    return access.visible_settlement(staff, settlement.settle(period))


@router.get(
    "/policies",
    response={200: list[PolicyOut], **ERROR_RESPONSES},
    summary="Replacement policies, each case in plain words",
    operation_id="onelibrary_ledger_api_policies",
)
def list_policies(request: StaffApiRequest) -> list[PolicyOut]:
    access.ledger_scope(staff_of(request))
    found = []
    for row in ReplacementPolicy.objects.prefetch_related("cases"):
        p = policies.as_rules(row)
        cases = [
            CaseOut(
                decision=rules.DECISION[c],
                case=c,
                payer=t.payer,
                basis=t.basis,
                processing_fee=str(t.processing_fee),
                claim_days=t.claim_days,
                dispute_days=t.dispute_days,
                owes_when_unpaid=t.owes_when_unpaid,
                words=policies.words(
                    p, t, "the owning member", "the borrowing member", "the receiving member"
                ),
            )
            for c in rules.CASES
            if (t := p.cases.get(c)) is not None
        ]
        found.append(
            PolicyOut(
                id=row.pk, name=row.name, version=row.version, in_force=row.in_force, cases=cases
            )
        )
    return found
