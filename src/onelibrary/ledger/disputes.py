"""Damage reports and disputes: the actions (docs/ledger.md, DISPUTE-1 … 15).

A member reports a copy damaged, at checkin (DISPUTE-1) or out of a crate (DISPUTE-2),
with a note and photos. The replacement policy in force says who would owe whom and how
much; the party that did not report is told (`notices.told`) and accepts (the entries are
booked, DISPUTE-7) or disputes by the policy's dispute deadline (DISPUTE-8). A dispute has
a thread; when its deadline passes the daily job (`tasks`) hands it to the central office
(DISPUTE-11), whose decision books who owes what, or a write-off (DISPUTE-12). A report
nobody answered by its deadline is accepted by the same job (DISPUTE-10).

Every function here validates first and writes in one transaction; a `LedgerRefusal`
means nothing was written (no row, no photo file). Entries are booked through
`ledger.book` with the report as their source (`ledger.report`, id), so a report books
once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import IO

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from onelibrary.catalog.models import Item
from onelibrary.circulation.models import Loan
from onelibrary.ledger import book, evidence, notices, rules
from onelibrary.ledger.book import LedgerRefusal
from onelibrary.ledger.models import Entry
from onelibrary.ledger.policies import in_force_rules
from onelibrary.ledger.report_models import DamageReport, Decision, DisputeMessage
from onelibrary.members.access import NotAllowed, NotFound, Staff, scope_of
from onelibrary.members.models import Library
from onelibrary.transit.models import Transit

SOURCE = "ledger.report"
DECISION_DAYS = 30  # the central office decides within this many days of a hand-over
NOTE_MAX = 2000
Uploads = list[tuple[str, IO[bytes]]]
State = DamageReport.State
ANSWERABLE = (State.OPEN, State.DISPUTED)
THREAD_OPEN = (State.OPEN, State.DISPUTED, State.ESCALATED)


@dataclass(frozen=True)
class Claim:
    """What a report would claim: the loss, its parties and debts under the policy."""

    where: str
    case: str
    fact: str
    loan: Loan | None
    transit: Transit | None
    owner: Library
    payer: Library | None
    occurred_at: dt.datetime
    debts: tuple[rules.Debt, ...]
    terms: rules.Terms


# --- who sees what (DISPUTE-15) -------------------------------------------------------


def visible_reports(staff: Staff) -> QuerySet[DamageReport]:
    """The central office sees every report; a member's staff those where their library is
    the owner, the payer or the reporter."""
    scope = scope_of(staff)
    if not scope.is_staff:
        raise NotAllowed("not_staff", "Damage reports are for library staff.")
    found = DamageReport.objects.select_related("item__title", "owner", "payer", "responder")
    if scope.central:
        return found
    libs = scope.libraries
    return found.filter(
        Q(owner__in=libs) | Q(payer__in=libs) | Q(reporter_library__in=libs)
    ).distinct()


def access_report(staff: Staff, pk: int) -> DamageReport:
    report = visible_reports(staff).filter(pk=pk).first()
    if report is None:
        raise NotFound("unknown_report", f"No damage report #{pk} among your library's.")
    return report


def may_answer(staff: Staff, report: DamageReport) -> bool:
    """The responder's staff answer; when the group would pay, the central office does."""
    scope = scope_of(staff)
    if report.responder_id is None:
        return scope.central
    return report.responder_id in scope.libraries


def may_decide(staff: Staff) -> bool:
    return scope_of(staff).central


# --- reporting (DISPUTE-1 … 6) --------------------------------------------------------


def _refuse(code: str, message: str, decision: str) -> LedgerRefusal:
    return LedgerRefusal(code, message, decision=decision)


def _borrower(loan: Loan) -> Library | None:
    if loan.borrower_library is not None:
        return loan.borrower_library
    return loan.patron.home_library if loan.patron is not None else None


def find_claim(item: Item, where: str, now: dt.datetime) -> Claim:
    """The loss a report on `item` would claim, or the refusal that says why none."""
    policy = in_force_rules()
    if policy is None:
        raise _refuse(
            "no_policy",
            "No replacement policy is in force, so nothing can be claimed: ask the central "
            "office to adopt one.",
            "DISPUTE-5",
        )
    owner = item.owning_library
    loan: Loan | None = None
    transit: Transit | None = None
    if where == DamageReport.Where.CHECKIN:
        loan = (
            Loan.objects.filter(item=item, state=Loan.State.RETURNED, returned_at__isnull=False)
            .select_related("borrower_library", "patron__home_library")
            .order_by("-returned_at", "-pk")
            .first()
        )
        borrower = _borrower(loan) if loan is not None else None
        if loan is None or borrower is None or borrower == owner:
            raise _refuse(
                "nothing_between_members",
                f"Copy {item.barcode} was last lent to a patron of {owner.name} or to no one: "
                "its damage is nothing between members. Mark it damaged at the item desk.",
                "DISPUTE-5",
            )
        assert loan.returned_at is not None
        case, fact, occurred = rules.DAMAGED_BY_PATRON, f"loan:{loan.pk}", loan.returned_at
        loss = rules.Loss(case, owner.code, item.price, item.item_type, borrower=borrower.code)
    else:
        transit = (
            Transit.objects.filter(item=item, received_at__isnull=False)
            .select_related("sender__library", "receiver__library", "received_branch__library")
            .order_by("-received_at", "-pk")
            .first()
        )
        if transit is None:
            raise _refuse(
                "no_arrival",
                f"Copy {item.barcode} has not arrived by courier: report damage at checkin, "
                "or mark it damaged at the item desk.",
                "DISPUTE-5",
            )
        assert transit.received_at is not None
        receiver = (transit.received_branch or transit.receiver).library
        case, fact = rules.DAMAGED_IN_TRANSIT, f"transit:{transit.pk}"
        occurred = transit.received_at
        loss = rules.Loss(
            case,
            owner.code,
            item.price,
            item.item_type,
            sender=transit.sender.library.code,
            receiver=receiver.code,
        )
    terms = policy.cases.get(case)
    decided = rules.decide(policy, loss)
    if terms is None or not decided.debts:
        raise _refuse("nothing_between_members", decided.words, "DISPUTE-5")
    late = (now - occurred).days
    if late > terms.claim_days:
        raise _refuse(
            "claim_too_late",
            f"Copy {item.barcode} came back on {timezone.localtime(occurred):%d %b %Y}, {late} "
            f"days ago; the policy gives {terms.claim_days} days to claim. Nothing was saved: "
            "ask the central office for a decision instead.",
            "DISPUTE-3",
        )
    _refuse_second_claim(item, fact, loan, transit)
    codes = {lib.code: lib for lib in Library.objects.filter(code__in=[decided.debts[0].debtor])}
    payer = codes.get(decided.debts[0].debtor or "")
    return Claim(where, case, fact, loan, transit, owner, payer, occurred, decided.debts, terms)


def _refuse_second_claim(item: Item, fact: str, loan: Loan | None, transit: Transit | None) -> None:
    """DISPUTE-4: one claim per loss, whether by a report or booked by the poster."""
    earlier = DamageReport.objects.filter(fact=fact).first()
    if earlier is not None:
        raise _refuse(
            "already_reported",
            f"This damage is already claimed by report #{earlier.pk} "
            f"({earlier.get_state_display().lower()}): add to its thread instead.",
            "DISPUTE-4",
        )
    booked = Entry.objects.filter(item=item, reversed_by__isnull=True)
    if loan is not None:
        booked = booked.filter(loan=loan, kind__in=rules.REFUNDED_KINDS)
    else:
        assert transit is not None
        booked = booked.filter(kind=Entry.Kind.TRANSIT_LOSS, occurred_at__gte=transit.created_at)
    entry = booked.first()
    if entry is not None:
        raise _refuse(
            "already_booked",
            f"This loss is already booked as entry #{entry.pk} ({entry.reason}): a second "
            "claim for it is refused.",
            "DISPUTE-4",
        )


def _reporter_library(staff: Staff, claim: Claim) -> Library | None:
    scope = scope_of(staff)
    if not scope.is_staff:
        raise NotAllowed("not_staff", "Only library staff report damage.")
    for party in (claim.payer, claim.owner):
        if party is not None and party.pk in scope.libraries:
            return party
    if scope.central:
        return None
    return Library.objects.filter(pk__in=scope.libraries).order_by("pk").first()


def _checked_note(note: str, decision: str) -> str:
    note = note.strip()
    if not note:
        raise _refuse("note_required", "Say what the damage is: the note is required.", decision)
    if len(note) > NOTE_MAX:
        raise _refuse(
            "note_too_long",
            f"Keep the note under {NOTE_MAX} characters; it has {len(note)}.",
            decision,
        )
    return note


def report_damage(
    staff: User,
    item: Item,
    where: str,
    *,
    note: str,
    photos: Uploads,
    now: dt.datetime | None = None,
) -> DamageReport:
    """DISPUTE-1 (at checkin) and DISPUTE-2 (on arrival): open a report and tell the
    party that must answer."""
    now = now or timezone.now()
    if where not in DamageReport.Where.values:
        raise _refuse("bad_where", "Report damage at checkin or on arrival.", "DISPUTE-5")
    claim = find_claim(item, where, now)
    reporter = _reporter_library(staff, claim)
    note = _checked_note(note, "DISPUTE-1" if where == "checkin" else "DISPUTE-2")
    checked = evidence.check_photos(photos)
    # The party that would pay answers, unless it reported the damage itself: then the
    # owner confirms it. When the group would pay, the central office answers.
    responder = claim.owner if reporter is not None and reporter == claim.payer else claim.payer
    amount = sum((d.amount for d in claim.debts), Decimal(0))
    written: list[str] = []
    try:
        with transaction.atomic():
            report = DamageReport.objects.create(
                item=item,
                where=where,
                case=claim.case,
                fact=claim.fact,
                loan=claim.loan,
                transit=claim.transit,
                owner=claim.owner,
                payer=claim.payer,
                responder=responder,
                reporter_library=reporter,
                occurred_at=claim.occurred_at,
                note=note,
                amount=amount,
                policy={
                    "snapshot": claim.debts[0].snapshot,
                    "debts": [
                        {"kind": d.kind, "amount": str(d.amount), "words": d.words}
                        for d in claim.debts
                    ],
                },
                created_by=staff,
                created_at=now,
                respond_by=now + dt.timedelta(days=claim.terms.dispute_days),
            )
            evidence.store(checked, report, staff, written=written)
    except IntegrityError:
        evidence.discard(written)
        raise _refuse(
            "already_reported",
            "This damage was claimed a moment ago by another report.",
            "DISPUTE-4",
        ) from None
    except BaseException:
        evidence.discard(written)
        raise
    notices.told(report)
    return report


# --- answering (DISPUTE-7 … 9) -------------------------------------------------------


def _locked(report: DamageReport) -> DamageReport:
    return (
        DamageReport.objects.select_for_update(of=("self",))
        .select_related("item", "owner", "payer", "loan")
        .get(pk=report.pk)
    )


def _book_accepted(report: DamageReport, by: User | None, decision: str, why: str) -> None:
    for debt in report.policy.get("debts", []):
        book.claim(
            kind=debt["kind"],
            debtor=report.payer,
            creditor=report.owner,
            amount=debt["amount"],
            source=(SOURCE, report.pk),
            reason=f"Copy {report.item.barcode} damaged ({debt['words']}): {why}"[
                : book.REASON_MAX
            ],
            decision=decision,
            item=report.item,
            loan=report.loan,
            policy=report.policy.get("snapshot") or {},
            by=by,
            occurred_at=report.occurred_at,
        )


def accept(staff: User, report: DamageReport, *, now: dt.datetime | None = None) -> DamageReport:
    """DISPUTE-7: the responder accepts (also after disputing, until a decision): the
    report's debts are booked."""
    now = now or timezone.now()
    if not may_answer(staff, report):
        raise NotAllowed("not_the_responder", _who_answers(report))
    with transaction.atomic():
        report = _locked(report)
        if report.state not in ANSWERABLE:
            raise _refuse("already_answered", _settled(report), "DISPUTE-7")
        _book_accepted(report, staff, "DISPUTE-7", "accepted")
        DamageReport.objects.filter(pk=report.pk).update(
            state=State.ACCEPTED, answered_at=now, answered_by=staff
        )
    report.refresh_from_db()
    notices.answered(report)
    return report


def dispute(
    staff: User,
    report: DamageReport,
    *,
    body: str,
    photos: Uploads,
    now: dt.datetime | None = None,
) -> DisputeMessage:
    """DISPUTE-8: the responder disputes, with its reasons, by the deadline (DISPUTE-9)."""
    now = now or timezone.now()
    if not may_answer(staff, report):
        raise NotAllowed("not_the_responder", _who_answers(report))
    if report.state != State.OPEN:
        raise _refuse("not_open", _settled(report), "DISPUTE-8")
    if now > report.respond_by:
        raise _refuse(
            "dispute_too_late",
            f"The deadline to dispute was {timezone.localtime(report.respond_by):%d %b %Y}: "
            "the report stands. Nothing was saved; write to the central office if "
            "something is wrong.",
            "DISPUTE-9",
        )
    message = _add_message(staff, report, body, photos, now, new_state=State.DISPUTED)
    notices.disputed(report, message)
    return message


def post_message(
    staff: User,
    report: DamageReport,
    *,
    body: str,
    photos: Uploads,
    now: dt.datetime | None = None,
) -> DisputeMessage:
    """DISPUTE-14: a message in the thread from a party's staff or the central office,
    while the report is still open; refused once it is accepted or decided."""
    now = now or timezone.now()
    scope = scope_of(staff)
    if not (scope.central or scope.acts_for_any(report.parties)):
        raise NotFound("unknown_report", f"No damage report #{report.pk} among your library's.")
    if report.state not in THREAD_OPEN:
        raise _refuse("thread_closed", _settled(report), "DISPUTE-14")
    message = _add_message(staff, report, body, photos, now, new_state=None)
    notices.new_message(report, message)
    return message


def _add_message(
    staff: User,
    report: DamageReport,
    body: str,
    photos: Uploads,
    now: dt.datetime,
    *,
    new_state: str | None,
) -> DisputeMessage:
    body = _checked_note(body, "DISPUTE-14")
    checked = evidence.check_photos(photos)
    scope = scope_of(staff)
    library = next(
        (
            lib
            for lib in (report.responder_id, report.owner_id, report.payer_id)
            if lib is not None and lib in scope.libraries
        ),
        None,
    )
    written: list[str] = []
    try:
        with transaction.atomic():
            locked = _locked(report)
            if new_state is not None:
                if locked.state != State.OPEN:
                    raise _refuse("not_open", _settled(locked), "DISPUTE-8")
                DamageReport.objects.filter(pk=report.pk).update(
                    state=new_state, answered_at=now, answered_by=staff
                )
            elif locked.state not in THREAD_OPEN:
                raise _refuse("thread_closed", _settled(locked), "DISPUTE-14")
            message = DisputeMessage.objects.create(
                report=report, author=staff, library_id=library, body=body, created_at=now
            )
            evidence.store(checked, report, staff, message=message, written=written)
    except BaseException:
        evidence.discard(written)
        raise
    report.refresh_from_db()
    return message


# --- the deadline passes (DISPUTE-10, 11) and the central office decides (12, 13) -----


@dataclass
class Passed:
    accepted: int = 0
    escalated: int = 0


def pass_deadlines(now: dt.datetime | None = None) -> Passed:
    """The daily job: an open report nobody answered is accepted (DISPUTE-10); a disputed
    one goes to the central office (DISPUTE-11). Each row moves by a conditional update,
    so two runs at once move it once."""
    now = now or timezone.now()
    done = Passed()
    for report in DamageReport.objects.filter(state=State.OPEN, respond_by__lt=now):
        with transaction.atomic():
            locked = _locked(report)
            if locked.state != State.OPEN:
                continue
            _book_accepted(locked, None, "DISPUTE-10", "not disputed by the deadline")
            DamageReport.objects.filter(pk=report.pk).update(state=State.ACCEPTED, answered_at=now)
            done.accepted += 1
    due = DamageReport.objects.filter(state=State.DISPUTED, respond_by__lt=now)
    for pk in list(due.values_list("pk", flat=True)):
        moved = DamageReport.objects.filter(pk=pk, state=State.DISPUTED).update(
            state=State.ESCALATED,
            escalated_at=now,
            decide_by=now + dt.timedelta(days=DECISION_DAYS),
        )
        if moved:
            done.escalated += 1
            notices.escalated(DamageReport.objects.get(pk=pk))
    return done


def decide(
    staff: User,
    report: DamageReport,
    *,
    outcome: str,
    debtor: Library | None = None,
    creditor: Library | None = None,
    amount: Decimal | str = "0",
    reason: str,
    now: dt.datetime | None = None,
) -> Decision:
    """DISPUTE-12: the central office's decision on a disputed report, booked at once:
    one member owes the other (`charge`), the group carries it (a write-off entry), or
    the owner does (nothing booked). DISPUTE-13: anyone else, a second decision, a
    report not in dispute, or a decision without a reason or amount is refused."""
    now = now or timezone.now()
    if not may_decide(staff):
        raise NotAllowed(
            "not_central_office",
            "Only the central office decides a dispute: add your view to the thread instead.",
        )
    reason = reason.strip()
    if not reason:
        raise _refuse(
            "reason_required",
            "Write the reason for the decision: both members read it.",
            "DISPUTE-13",
        )
    if outcome not in Decision.Outcome.values:
        raise _refuse(
            "bad_outcome",
            f"'{outcome}' is not a decision: choose charge, group_carries or owner_carries.",
            "DISPUTE-13",
        )
    value = Decimal(0)
    if outcome != Decision.Outcome.OWNER_CARRIES:
        value = book.checked_amount(amount)
    if outcome == Decision.Outcome.CHARGE and (
        debtor is None or creditor is None or debtor == creditor
    ):
        raise _refuse(
            "bad_parties",
            "Name the member that owes and the member that is owed: two different members.",
            "DISPUTE-13",
        )
    with transaction.atomic():
        report = _locked(report)
        if report.state not in (State.DISPUTED, State.ESCALATED):
            raise _refuse("not_in_dispute", _settled(report), "DISPUTE-13")
        if outcome == Decision.Outcome.CHARGE:
            kind = report.policy.get("debts", [{}])[0].get("kind", Entry.Kind.REPLACEMENT)
            _post_decided(report, staff, kind, debtor, creditor, value, reason)
        elif outcome == Decision.Outcome.GROUP_CARRIES:
            creditor = report.owner
            _post_decided(report, staff, Entry.Kind.WRITE_OFF, None, creditor, value, reason)
        decision = Decision.objects.create(
            report=report,
            outcome=outcome,
            debtor=debtor if outcome == Decision.Outcome.CHARGE else None,
            creditor=creditor if outcome != Decision.Outcome.OWNER_CARRIES else None,
            amount=value,
            reason=reason,
            decided_by=staff,
            decided_at=now,
        )
        DamageReport.objects.filter(pk=report.pk).update(state=State.DECIDED)
    report.refresh_from_db()
    notices.decided(report, decision)
    return decision


def _post_decided(
    report: DamageReport,
    staff: User,
    kind: str,
    debtor: Library | None,
    creditor: Library | None,
    value: Decimal,
    reason: str,
) -> None:
    book.claim(
        kind=kind,
        debtor=debtor,
        creditor=creditor,
        amount=value,
        source=(SOURCE, report.pk),
        reason=f"Copy {report.item.barcode}, decided by the central office: {reason}"[
            : book.REASON_MAX
        ],
        decision="DISPUTE-12",
        item=report.item,
        loan=report.loan,
        policy=report.policy.get("snapshot") or {},
        by=staff,
        occurred_at=report.occurred_at,
    )


def _who_answers(report: DamageReport) -> str:
    if report.responder is None:
        return "The central office answers this report: the group would pay."
    return f"Only {report.responder.name} answers this report; add to its thread instead."


def _settled(report: DamageReport) -> str:
    return f"Report #{report.pk} is {report.get_state_display().lower()}: nothing was changed."
