"""Posting: the entries that follow from what the desk and transit have recorded.

The poster reads the facts written since its cursor and books them through `book.post`,
keyed by the fact, so running it twice, or two at once, books each fact once:

- a circulation `Event` `mark_lost` (LOST-1), a loan lost: lost by patron (LEDGER-1);
- a circulation `Event` `damaged` (DAMAGED-1, naming the last loan's borrowing library,
  DAMAGED-3): damaged by patron (LEDGER-2);
- a transit `TransitEvent` `lost` (detail: owner, price, route): lost in transit (LEDGER-3);
- a circulation `Event` `checkin` of a lost or claimed-returned loan (CHECKIN-7, -8, and
  FOUND-1, which checks the copy in): found after payment (LEDGER-5);
- a circulation `Event` `claims_returned` whose loan is still so after the policy's days:
  claims returned (LEDGER-6);
- a `ChargeEntry` payment or refund on a lost, damaged or overdue charge, taken at one
  member's desk for money that is another's: passed on (LEDGER-7), or the group's share
  of an overdue fine (LEDGER-18).

It runs from a huey periodic task (`ledger.tasks`) and at the start of every ledger page
and command (`catch_up`), so what they show is current. Ids are handed out before commits
land, so a fact with a lower id may commit after a higher one was read: each run reads
again `OVERLAP` ids behind its cursor, which costs only look-ups of facts already booked.
Facts are posted under the policy in force when they are booked; none in force, nothing
is read and the cursor waits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import CharField, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from onelibrary.circulation.models import Charge, ChargeEntry, Event, Loan
from onelibrary.ledger import book, rules
from onelibrary.ledger.models import DamageReport, Entry, PostingCursor
from onelibrary.ledger.policies import in_force_rules, in_force_share
from onelibrary.members.models import Branch, Library
from onelibrary.transit.models import TransitEvent

OVERLAP = 500
BATCH = 1000
EVENT, TRANSIT, MONEY = "circulation.event", "transit.event", "circulation.charge_entry"
CASE_OF_CHARGE = {
    Charge.Kind.LOST: rules.LOST_BY_PATRON,
    Charge.Kind.DAMAGED: rules.DAMAGED_BY_PATRON,
}
BACK_FROM = ("lost", "claims_returned")


@dataclass
class Report:
    booked: int = 0
    already: int = 0
    nothing: int = 0
    refused: list[str] = field(default_factory=list)
    waiting: str = ""

    def add(self, posted: book.Posted) -> None:
        if posted.created:
            self.booked += 1
        else:
            self.already += 1


class Parties:
    """Library rows by code and by branch code, read once per run."""

    def __init__(self) -> None:
        self.by_code = {lib.code: lib for lib in Library.objects.all()}
        self.by_id = {lib.pk: lib for lib in self.by_code.values()}
        self.by_branch = {
            code: self.by_code[lib]
            for code, lib in Branch.objects.values_list("code", "library__code")
        }

    def get(self, code: str | None) -> Library | None:
        return self.by_code.get(code) if code else None


def catch_up(now: dt.datetime | None = None) -> Report:
    """Book every fact not yet booked. Safe to call at any time, from anywhere, at once."""
    now = now or timezone.now()
    policy = in_force_rules()
    report = Report()
    if policy is None:
        report.waiting = "No replacement policy is in force: nothing is booked until one is."
        return report
    parties = Parties()
    _read(EVENT, _events(), lambda e: _circulation_fact(policy, parties, e, report), report)
    _read(TRANSIT, _transit_losses(), lambda e: _transit_loss(policy, parties, e, report), report)
    _claims_returned(policy, parties, now, report)
    share = in_force_share()
    _read(MONEY, _money(), lambda e: _money_fact(policy, share, parties, e, report), report)
    return report


def _read(
    source: str, facts: QuerySet[Any], book_one: Callable[[Any], None], report: Report
) -> None:
    cursor, _ = PostingCursor.objects.get_or_create(source=source)
    start = max(cursor.last_id - OVERLAP, 0)
    while True:
        batch = list(facts.filter(pk__gt=start).order_by("pk")[:BATCH])
        if not batch:
            return
        for fact in batch:
            with transaction.atomic():
                book_one(fact)
        start = batch[-1].pk
        PostingCursor.objects.filter(source=source, last_id__lt=start).update(last_id=start)


def _events() -> QuerySet[Event]:
    wanted = (
        Q(kind="mark_lost", decision="LOST-1")
        | Q(kind="damaged")
        | Q(kind="checkin", detail__loan_state_before__in=BACK_FROM)
    )
    return Event.objects.filter(wanted).select_related("item", "loan__borrower_library")


def _transit_losses() -> QuerySet[TransitEvent]:
    return TransitEvent.objects.filter(kind="lost").select_related("item")


def _post_debts(
    decided: rules.Decided,
    parties: Parties,
    source: tuple[str, int],
    report: Report,
    what: str,
    **fields: Any,
) -> None:
    """Book the debts of one fact; a refusal (a claim too late) is reported, not raised."""
    if not decided.debts:
        report.nothing += 1
        return
    for debt in decided.debts:
        try:
            posted = book.post(
                kind=debt.kind,
                debtor=parties.get(debt.debtor),
                creditor=parties.get(debt.creditor),
                amount=debt.amount,
                source=source,
                reason=f"{what}: {debt.words}"[: book.REASON_MAX],
                decision=debt.decision,
                policy=debt.snapshot,
                **fields,
            )
        except book.LedgerRefusal as refusal:
            report.refused.append(f"{source[0]} {source[1]}: {refusal.message}")
            return
        report.add(posted)


def _loan_already_charged(loan: Loan, owner: Library, borrower: Library | None) -> bool:
    """A loss of this loan is booked already (claimed returned, then marked lost)."""
    booked = Entry.objects.filter(
        loan=loan, kind__in=rules.REFUNDED_KINDS, creditor=owner, debtor=borrower
    )
    return booked.filter(reversed_by__isnull=True).exists()


def _borrower(loan: Loan) -> Library | None:
    if loan.borrower_library is not None:
        return loan.borrower_library
    return loan.patron.home_library if loan.patron is not None else None


def _circulation_fact(policy: rules.Policy, parties: Parties, event: Event, report: Report) -> None:
    item = event.item
    assert item is not None  # lost, damaged and checkin events name their copy
    owner = parties.by_id[item.owning_library_id]
    title = f"{item.barcode}"
    if event.kind == "checkin":
        assert event.loan is not None
        _found(policy, parties, event, event.loan, owner, report)
        return
    if event.kind == "mark_lost":
        loan = event.loan
        assert loan is not None  # LOST-1 is a loan's loss
        borrower = _borrower(loan)
        if borrower is not None and _loan_already_charged(loan, owner, borrower):
            report.already += 1
            return
        loss = rules.Loss(
            rules.LOST_BY_PATRON,
            owner.code,
            _price_at_loss(loan, item.price),
            item.item_type,
            borrower=borrower.code if borrower else None,
        )
        _post_debts(
            rules.decide(policy, loss),
            parties,
            (EVENT, event.pk),
            report,
            what=f"copy {title} lost on loan",
            item=item,
            loan=loan,
            occurred_at=event.at,
        )
        return
    # damaged: DAMAGED-3 named the library whose patron had it last
    borrower_code = str(event.detail.get("last_borrower_library") or "")
    if not borrower_code:
        report.nothing += 1
        return
    returned = parse_datetime(str(event.detail.get("last_returned_at") or "")) or event.at
    terms = policy.cases.get(rules.DAMAGED_BY_PATRON)
    loss = rules.Loss(
        rules.DAMAGED_BY_PATRON, owner.code, item.price, item.item_type, borrower=borrower_code
    )
    last_loan = Loan.objects.filter(pk=event.detail.get("last_loan")).first()
    if last_loan is not None and DamageReport.objects.filter(fact=f"loan:{last_loan.pk}").exists():
        # A damage report claims this loss (DISPUTE-4): it books what its answer decides.
        report.already += 1
        return
    _post_debts(
        rules.decide(policy, loss),
        parties,
        (EVENT, event.pk),
        report,
        what=f"copy {title} found damaged after its loan",
        item=item,
        loan=last_loan,
        occurred_at=returned,
        claimed_at=event.at,
        claim_days=terms.claim_days if terms else None,
    )


def _price_at_loss(loan: Loan, price_now: Decimal | None) -> Decimal | None:
    """The price the desk charged at the loss (LOST-1 charges the price then), else the
    copy's price as the poster reads it."""
    charged = Charge.objects.filter(loan=loan, kind=Charge.Kind.LOST).order_by("pk").first()
    return charged.amount if charged is not None else price_now


def _found(
    policy: rules.Policy, parties: Parties, event: Event, loan: Loan, owner: Library, report: Report
) -> None:
    """LEDGER-5: the copy of a lost (or claimed-returned) loan is back."""
    borrower = _borrower(loan)
    if borrower is None or borrower == owner:
        report.nothing += 1
        return
    owed = [
        (kind, amount)
        for kind, amount in Entry.objects.filter(
            loan=loan, debtor=borrower, creditor=owner, reversed_by__isnull=True
        )
        .exclude(kind=Entry.Kind.REVERSAL)
        .values_list("kind", "amount")
    ]
    refunded = Entry.objects.filter(
        loan=loan, kind=Entry.Kind.REFUND, debtor=owner, creditor=borrower, reversed_by__isnull=True
    ).values_list("amount", flat=True)
    owed += [("refund", -amount) for amount in refunded]
    debt = rules.refund(policy, owed, owner.code, borrower.code)
    decided = rules.Decided((debt,) if debt else (), "LEDGER-5", "")
    _post_debts(
        decided,
        parties,
        (EVENT, event.pk),
        report,
        what=f"copy {event.item.barcode if event.item else ''} found after it was paid for",
        item=event.item,
        loan=loan,
        occurred_at=event.at,
    )


def _transit_loss(
    policy: rules.Policy, parties: Parties, event: TransitEvent, report: Report
) -> None:
    detail = event.detail
    price = Decimal(detail["price"]) if detail.get("price") else None
    sender = parties.by_branch.get(str(detail.get("sender", "")))
    receiver = parties.by_branch.get(str(detail.get("receiver", "")))
    loss = rules.Loss(
        rules.LOST_IN_TRANSIT,
        str(detail.get("owning_library", "")),
        price,
        event.item.item_type if event.item else "",
        sender=sender.code if sender else None,
        receiver=receiver.code if receiver else None,
    )
    _post_debts(
        rules.decide(policy, loss),
        parties,
        (TRANSIT, event.pk),
        report,
        what=f"copy {event.item.barcode if event.item else ''} lost in transit",
        item=event.item,
        occurred_at=event.at,
    )


def _claims_returned(
    policy: rules.Policy, parties: Parties, now: dt.datetime, report: Report
) -> None:
    """LEDGER-6: a loan claimed returned, still so `after_days` later, is owed as lost."""
    terms = policy.cases.get(rules.CLAIMS_RETURNED)
    if terms is None:
        return
    due = now - dt.timedelta(days=terms.after_days)
    booked = Entry.objects.filter(source_kind=EVENT, source_id=Cast(OuterRef("pk"), CharField()))
    events = (
        Event.objects.filter(
            kind="claims_returned", at__lte=due, loan__state=Loan.State.CLAIMS_RETURNED
        )
        .exclude(Exists(booked))
        .select_related("item", "loan__borrower_library", "loan__patron")
    )
    for event in events:
        loan, item = event.loan, event.item
        assert loan is not None and item is not None
        owner = parties.by_id[item.owning_library_id]
        borrower = _borrower(loan)
        if borrower is not None and _loan_already_charged(loan, owner, borrower):
            continue
        loss = rules.Loss(
            rules.CLAIMS_RETURNED,
            owner.code,
            item.price,
            item.item_type,
            borrower=borrower.code if borrower else None,
        )
        with transaction.atomic():
            _post_debts(
                rules.decide(policy, loss),
                parties,
                (EVENT, event.pk),
                report,
                what=f"copy {item.barcode} claimed returned, still missing {terms.after_days} "
                "days later",
                item=item,
                loan=loan,
                occurred_at=event.at,
            )


def _money() -> QuerySet[ChargeEntry]:
    return ChargeEntry.objects.filter(
        kind__in=(ChargeEntry.Kind.PAYMENT, ChargeEntry.Kind.REFUND), branch__isnull=False
    ).select_related("charge__item", "charge__loan__borrower_library", "charge__patron", "branch")


def _money_fact(
    policy: rules.Policy, share: int, parties: Parties, entry: ChargeEntry, report: Report
) -> None:
    """LEDGER-7 and 18: a patron's money taken or handed back at one member's desk."""
    charge = entry.charge
    assert entry.branch is not None  # as read
    loan = charge.loan
    borrower = _borrower(loan) if loan is not None else charge.patron.home_library
    paid = rules.Money(
        CASE_OF_CHARGE.get(charge.kind),  # type: ignore[call-overload]
        parties.by_id[charge.library_id].code,
        borrower.code if borrower else None,
        parties.by_id[entry.branch.library_id].code,
        entry.amount,
        refund=entry.kind == ChargeEntry.Kind.REFUND,
    )
    debt = rules.passed_on(policy, paid, share)
    what = f"copy {charge.item.barcode}, {charge.get_kind_display().lower()} charge"
    _post_debts(
        rules.Decided((debt,) if debt else (), debt.decision if debt else "LEDGER-8", ""),
        parties,
        (MONEY, entry.pk),
        report,
        what=what,
        item=charge.item,
        loan=loan,
        occurred_at=entry.at,
    )
