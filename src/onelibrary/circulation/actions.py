"""Circulation actions: the only code that changes loans, charges and item circulation state.

Each action checks what it is given, runs in one transaction, writes an Event, and
names the decision-table case it implements (docs/circulation/). A refusal raises
`CirculationError` and changes nothing. The desk pages and the API call the scan
functions in `circulation.scans`, which find the item and patron from typed barcodes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from django.contrib.auth.models import User
from django.db import models, transaction
from django.utils import timezone

from onelibrary.catalog import itemstate
from onelibrary.catalog.models import Item
from onelibrary.circulation import decide, holds_desk, locks, money, states
from onelibrary.circulation.borrowers import last_borrower
from onelibrary.circulation.lookup import (
    CirculationError,
    Outcome,
    blocks_for,
    may_override,
    role_at,
)
from onelibrary.circulation.models import Charge, Event, Loan
from onelibrary.core import duedates
from onelibrary.core.states import PATRON
from onelibrary.core.versions import held
from onelibrary.floating import placement as floating
from onelibrary.holds import queries as hold_queries
from onelibrary.holds import shelf as hold_shelf
from onelibrary.members import kept as members_kept
from onelibrary.members import lifecycle
from onelibrary.members.models import Branch
from onelibrary.patrons.models import Patron
from onelibrary.policy.lookup import policy_for
from onelibrary.policy.models import GroupPolicy
from onelibrary.policy.resolve import ResolvedPolicy
from onelibrary.transit import actions as transit
from onelibrary.transit.models import Transit


def _record(
    kind: str,
    *,
    decision: str,
    staff: User | None,
    branch: Branch | None,
    item: Item,
    patron: Patron | None = None,
    patron_id: int | None = None,
    loan: Loan | None = None,
    rule: dict | None = None,
    at: dt.datetime,
    **detail: object,
) -> Event:
    return Event.objects.create(
        kind=kind,
        decision=decision,
        staff=staff,
        branch=branch,
        item=item,
        patron_id=patron.pk if patron is not None else patron_id,
        loan=loan,
        rule=rule or {},
        detail=detail,
        at=at,
    )


def _due_for(branch: Branch, start: dt.date, loan_days: int) -> dt.date:
    closed = members_kept.closed_dates(branch.pk, start)
    return duedates.due_date(start, loan_days, branch.open_days, closed)


def _local(now: dt.datetime) -> dt.date:
    return timezone.localtime(now).date()


CARRIED = ("title", "owning_library", "home_branch", "current_branch")


def _next_loan_state(before: str | None, trigger: str, role: str, *, decision: str) -> str:
    """The loan's state after `trigger` (states.TABLE, LOAN-1 … 8), or refused in the
    table's words when it has no such move or `role` may not make it."""
    try:
        return states.TABLE.next_state(before, trigger, role)
    except states.TransitionError as error:
        raise CirculationError("bad_transition", str(error), decision=decision) from error


def _carry_over(fresh: Item, given: Item) -> Item:
    """`fresh` is the item's row just read under lock; `given` the caller's copy, which
    usually has its title and branches loaded (`find_item`). Those are carried over where
    the keys still match, so the action reads only the item's own row."""
    for name in CARRIED:
        field = Item._meta.get_field(name)
        assert isinstance(field, models.ForeignKey)
        if field.is_cached(given) and getattr(given, field.attname) == getattr(
            fresh, field.attname
        ):
            field.set_cached_value(fresh, field.get_cached_value(given))
    return fresh


# --- checkout -----------------------------------------------------------------------


@transaction.atomic
@held()  # the kept rules, roles and closed dates: one token read per action
def check_out(
    staff: User,
    branch: Branch,
    patron: Patron,
    item: Item,
    *,
    override_reason: str = "",
    now: dt.datetime | None = None,
) -> Outcome:
    """Gather the facts, let `decide.decide_checkout` choose the case, apply its answer."""
    now = now or timezone.now()
    role = role_at(staff, branch)
    locked = locks.lock_item(item.pk)  # with: is it on loan, does a hold wait on it
    item = _carry_over(locked, item)
    open_loan = Loan.objects.get(pk=locked.open_loan_id) if locked.open_loan_id else None
    waiting = None
    facts = decide.CheckoutFacts(
        copy=_copy_facts(item, branch),
        patron_name=patron.first_name,
        override_reason=override_reason,
        may_override=may_override(role),
    )
    if open_loan is not None:
        same = open_loan.patron_id == patron.pk
        facts = replace(
            facts,
            loan="this_patron" if same else "another",
            loan_due=f"{open_loan.due_date:%a %d %b}",
        )
    elif item.status == Item.Status.ON_HOLD_SHELF:
        facts = replace(facts, on_shelf_for_patron=bool(hold_shelf.shelf_hold_for(item, patron)))
    elif item.status == Item.Status.IN_TRANSIT:
        waiting = transit.waiting_to_leave(branch, item)
        where, to = _transit_facts(waiting)
        facts = replace(facts, transit=where, transit_to=to)
    answer = decide.decide_checkout(facts)
    policy = None
    if answer.needs_blocks:
        policy = policy_for(item, patron, branch)
        blocks = tuple(blocks_for(patron, policy, _local(now)))
        # MONEY-11: the library's setting is read only when a fines block may need it.
        fines = not facts.may_override and any(b.decision == "CHECKOUT-8" for b in blocks)
        fines = fines and branch.library.desk_may_override_fines
        answer = decide.decide_checkout(replace(facts, blocks=blocks, may_override_fines=fines))
    if answer.refused is not None:
        refused = answer.refused
        raise CirculationError(
            refused.code,
            refused.message,
            decision=refused.decision,
            overridable=refused.overridable,
        )
    if answer.repeated:
        assert open_loan is not None  # CHECKOUT-4: the loan is this patron's already
        return Outcome(
            "CHECKOUT-4",
            "ALREADY OUT TO THIS PATRON",
            f"{item.title.title} is already checked out to {patron.first_name}, "
            f"due {facts.loan_due}. Nothing was changed.",
            item,
            open_loan,
            repeated=True,
        )
    _refuse_outside_membership(item, patron)
    assert policy is not None  # a checkout that lends has asked the patron's blocks
    return _lend(
        staff,
        branch,
        patron,
        item,
        answer,
        policy=policy,
        role=role,
        override_reason=override_reason.strip(),
        waiting=waiting,
        locked=locked,
        now=now,
    )


def _refuse_outside_membership(item: Item, patron: Patron) -> None:
    """A member's status decides whether its copies go out to other members' patrons and
    its patrons borrow other members' copies (members/lifecycle.py, MEMBER-1 … 5). Not an
    override: the group's membership is not the desk's to set aside."""
    owner, home = item.owning_library, patron.home_library
    which = lifecycle.group_loan_refusal(
        owner.status, home.status, same_library=owner.pk == home.pk
    )
    if not which:
        return
    if which == "owner":
        raise CirculationError(
            "member_not_lending",
            f"{item.title.title} belongs to {owner.name}, which "
            f"{lifecycle.allowed(owner.status).why_not}: its copies go out to its own "
            "patrons only. Send the copy home to it.",
            decision=lifecycle.decision_for(owner.status),
        )
    raise CirculationError(
        "member_not_borrowing",
        f"{patron.first_name}'s home library, {home.name}, "
        f"{lifecycle.allowed(home.status).why_not}: its patrons borrow only its own copies. "
        "Ask the central office to move the patron's home library to an active member.",
        decision=lifecycle.decision_for(home.status),
    )


STATUS_LABELS = dict(Item.Status.choices)  # a plain dict: get_status_display costs more


def _copy_facts(item: Item, branch: Branch) -> decide.Copy:
    return decide.Copy(
        title=item.title.title,
        barcode=item.barcode,
        status=item.status,
        status_label=str(STATUS_LABELS.get(item.status, item.status)),
        here=item.current_branch_id == branch.pk,
    )


def _transit_facts(waiting: Transit | None) -> tuple[str, str]:
    """Where a copy in transit stands for checkout (CHECKOUT-12, -18), and where it goes:
    holds say whether the hold it travels for is still open; transit whether it has left."""
    if waiting is None:
        return decide.GONE, ""
    hold_id = waiting.hold_id if waiting.reason == Transit.Reason.HOLD else None
    if hold_id is not None and hold_queries.is_open(hold_id):
        crate = f" (crate {waiting.crate.label})" if waiting.crate else ""
        where = waiting.receiver
        return decide.WAITING_FOR_HOLD, f"{where.name} ({where.code}){crate}"
    return decide.WAITING, ""


def _lend(
    staff: User,
    branch: Branch,
    patron: Patron,
    item: Item,
    answer: decide.CheckoutDecision,
    *,
    policy: ResolvedPolicy,
    role: str,
    override_reason: str,
    waiting: Transit | None,
    locked: locks.LockedItem,
    now: dt.datetime,
) -> Outcome:
    """Apply a checkout that lends: release the transit (CHECKOUT-18), make the loan, lend
    the copy, fill its hold (CHECKOUT-16), write the event."""
    if answer.release_transit:
        assert waiting is not None
        transit.release_for_checkout(staff, branch, waiting, now=now)
        item.refresh_from_db()  # CHECKOUT-18: it had not left this branch yet
    _next_loan_state(None, "checkout", role, decision="CHECKOUT-1")
    due = _due_for(branch, _local(now), policy.loan_days)  # CHECKOUT-13: an open day
    rule = policy.as_dict()
    loan = Loan.objects.create(
        item=item,
        patron=patron,
        borrower_library_id=patron.home_library_id,  # kept after return: DAMAGED-3
        # For reports (docs/insights.md): kept after return, without the patron.
        borrower_category=patron.category,
        owning_library_id=item.owning_library_id,
        by_hold=answer.fills_hold,
        checkout_branch=branch,
        checked_out_at=now,
        due_date=due,
        rule=rule,
    )
    itemstate.move(item, "lend", role, at=branch)
    filled = hold_shelf.after_checkout(staff, patron, item, now=now, waits=locked.hold_waits)
    _record(
        "checkout",
        decision=answer.decision,
        staff=staff,
        branch=branch,
        item=item,
        patron=patron,
        loan=loan,
        rule=rule,
        at=now,
        due_date=due.isoformat(),
        overridden=list(answer.overridden),
        override_reason=override_reason,
        hold=filled.pk if filled else None,
    )
    return Outcome(
        answer.decision,
        f"DUE {due:%a %d %b}".upper(),
        f"{item.title.title} is checked out to {patron.first_name} "
        f"{patron.last_name}, due {due:%A %d %B %Y}."
        + (" Their hold is filled." if filled else ""),
        item,
        loan,
    )


# --- checkin ------------------------------------------------------------------------


@dataclass(frozen=True)
class Destination:
    """Where a returned item goes from this desk.

    `send_to` is the branch it must travel to (None: it stays here) and `reason` why:
    "return_home" or "float_balance". The transit app opens a transit from these.
    """

    decision: str
    instruction: str
    changes: dict
    send_to: Branch | None = None
    reason: str = ""


def _destination(item: Item, branch: Branch, *, claimable: bool) -> Destination:
    """Where a returned item goes from this desk."""
    placed = floating.place(item, branch, claimable=claimable)
    if placed is not None:
        # CHECKIN-3 (floats here), -20 (outside its float group: home), -21 (float
        # balance: to the branch furthest under capacity nearby), -22 (over capacity, stays).
        return Destination(
            placed.decision, placed.instruction, placed.changes, placed.send_to, placed.reason
        )
    if branch.pk == item.home_branch_id:
        return Destination("CHECKIN-1", "SHELVE", {"status": Item.Status.AVAILABLE})
    home = item.home_branch
    return Destination(
        "CHECKIN-2",
        f"SEND TO {home.name.upper()} ({home.code})",
        {"status": Item.Status.IN_TRANSIT},
        send_to=home,
        reason="return_home",
    )


def _place(destination: Destination) -> decide.Place:
    return decide.Place(destination.decision, destination.instruction)


@transaction.atomic
@held()
def check_in(staff: User, branch: Branch, item: Item, *, now: dt.datetime | None = None) -> Outcome:
    """Gather the facts, let `decide.decide_checkin` choose the case, apply its answer."""
    now = now or timezone.now()
    role = role_at(staff, branch)
    locked = locks.lock_item(item.pk)  # with: is it on loan, may a hold claim it
    item = _carry_over(locked, item)
    loan = locks.lock_loan(locked.open_loan_id) if locked.open_loan_id else None
    destination = _destination(item, branch, claimable=locked.claimable)
    facts = decide.CheckinFacts(
        copy=_copy_facts(item, branch),
        place=_place(destination),
        claimable=bool(locked.claimable),
    )
    if loan is None:
        if decide.already_here(facts.copy, facts.place):
            facts = replace(facts, recently_here=_checked_in_just_now(item, branch, now))
        answer = decide.decide_checkin(facts)
        return _check_in_without_loan(staff, branch, item, now, role, answer, destination)
    late = duedates.days_late(loan.due_date, _local(now))
    facts = replace(
        facts, loan_state=loan.state, days_late=late, fine=decide.overdue_fine(loan.rule, late)
    )
    answer = decide.decide_checkin(facts)
    return _return_loan(staff, branch, item, loan, now, role, answer, destination)


def _checked_in_just_now(item: Item, branch: Branch, now: dt.datetime) -> bool:
    """CHECKIN-4: was this copy checked in here within the group's repeat-scan window?"""
    window = GroupPolicy.current().repeat_scan_seconds
    return Event.objects.filter(
        item=item, kind="checkin", branch=branch, at__gte=now - dt.timedelta(seconds=window)
    ).exists()


def _captured(
    answer: decide.CheckinDecision, hold: holds_desk.HoldInstruction
) -> decide.CheckinDecision:
    return decide.after_capture(
        answer, decide.Captured(hold.decision, hold.instruction, hold.message)
    )


def _return_loan(
    staff: User,
    branch: Branch,
    item: Item,
    loan: locks.LockedLoan,
    now: dt.datetime,
    role: str,
    answer: decide.CheckinDecision,
    destination: Destination,
) -> Outcome:
    """Apply a checkin of a copy on loan: close the loan (CHECKIN-14 when another desk was
    first), give the copy its place, offer it to holds, fine, settle a lost charge."""
    loan.item = item
    keeps_history = loan.keeps_history
    patron_id = loan.patron_id
    before = loan.state
    _next_loan_state(before, "checkin", role, decision="CHECKIN-1")
    closing = {"state": Loan.State.RETURNED, "returned_at": now, "checkin_branch": branch}
    if not keeps_history:
        # Privacy: without the patron's opt-in the link to a returned loan is cut; its
        # events keep their counts for statistics, not who borrowed what.
        closing["patron"] = None
    # CHECKIN-14: two desks scanning the same item at once: only one update matches.
    updated = Loan.objects.filter(pk=loan.pk, state=before).update(**closing)
    if updated != 1:
        raise CirculationError(
            "already_checked_in",
            f"{item.title.title} was checked in at another desk a moment ago. Nothing more to do.",
            decision="CHECKIN-14",
        )
    for name, value in closing.items():
        setattr(loan, name, value)
    itemstate.apply(item, destination.changes, role, at=branch)
    captured = (
        holds_desk.capture_at_checkin(staff, branch, item, now=now, claimable=True)
        if answer.offer_to_holds
        else None
    )
    if captured is not None:  # CHECKIN-17, CHECKIN-18
        answer = _captured(answer, captured)
    moved = captured is not None or destination.send_to is not None
    if moved:
        # An item on loan has no open transit; one starts only if it leaves this branch.
        transit.after_checkin(staff, branch, item, destination.send_to, destination.reason, now=now)
    notes = list(answer.notes)
    if answer.fine:
        assert patron_id is not None  # a loan out until now has its patron
        Charge.objects.create(
            patron_id=patron_id,
            loan=loan,
            item=item,
            library_id=item.owning_library_id,
            kind=Charge.Kind.OVERDUE,
            amount=answer.fine,
            created_at=now,
            note=f"{answer.days_late} days late",
        )
    if answer.settle_lost:  # CHECKIN-7: refund what was paid, cancel the rest (MONEY-10)
        settled = money.settle_found_lost(item, staff, branch, now=now)
        notes.append(
            "This item was marked lost and is now back."
            + "".join(f" {done.message}" for done in settled)
        )
    if not keeps_history:
        Event.objects.filter(loan=loan).update(patron=None)
    _record(
        "checkin",
        decision=answer.decision,
        staff=staff,
        branch=branch,
        item=item,
        patron_id=patron_id if keeps_history else None,
        loan=loan,
        rule=loan.rule,
        at=now,
        instruction=answer.instruction,
        days_late=answer.days_late,
        loan_state_before=before,
    )
    if moved:
        # Holds and transit may have moved the item further; its title and branches stay.
        item.refresh_from_db(fields=["status", "current_branch", "home_branch"])
    message = " ".join([answer.message, *notes])
    return Outcome(answer.decision, answer.instruction, message, item, loan)


def _check_in_without_loan(
    staff: User,
    branch: Branch,
    item: Item,
    now: dt.datetime,
    role: str,
    answer: decide.CheckinDecision,
    destination: Destination,
) -> Outcome:
    """Apply a checkin of a copy not on loan: holds first when one may claim it, then the
    case decided (arrived, found, out of place), or nothing for a case that changes nothing."""
    if answer.holds_first:
        captured = holds_desk.capture_at_checkin(staff, branch, item, now=now, claimable=True)
        if captured is not None:  # CHECKIN-17, CHECKIN-18, CHECKIN-19
            transit.after_checkin(staff, branch, item, None, "", now=now)
            item.refresh_from_db()
            _record(
                "checkin",
                decision=captured.decision,
                staff=staff,
                branch=branch,
                item=item,
                at=now,
                instruction=captured.instruction,
                hold=captured.hold.pk,
            )
            return Outcome(captured.decision, captured.instruction, captured.message, item)
    if not answer.moves:  # CHECKIN-4, CHECKIN-10, CHECKIN-16: nothing changes
        return Outcome(
            answer.decision, answer.instruction, answer.message, item, repeated=answer.repeated
        )
    previous = item.status
    itemstate.apply(item, destination.changes, role, at=branch)
    transit.after_checkin(staff, branch, item, destination.send_to, destination.reason, now=now)
    item.refresh_from_db()
    _record(
        "checkin",
        decision=answer.decision,
        staff=staff,
        branch=branch,
        item=item,
        at=now,
        instruction=answer.instruction,
        status_before=previous,
    )
    return Outcome(answer.decision, answer.instruction, answer.message, item)


# --- renew, claims returned, lost, damaged ------------------------------------------


@transaction.atomic
@held()
def renew(
    loan: Loan,
    *,
    staff: User | None,
    branch: Branch | None = None,
    override_reason: str = "",
    now: dt.datetime | None = None,
) -> Outcome:
    """Renew from today, never shortening the loan (RENEW-1). `staff` None: the patron."""
    override_reason = override_reason.strip()
    now = now or timezone.now()
    loan = (
        Loan.objects.select_for_update(of=("self",))
        .select_related("item__title", "patron", "checkout_branch")
        .get(pk=loan.pk)
    )
    role = role_at(staff, branch or loan.checkout_branch) if staff else PATRON
    if loan.state != Loan.State.ACTIVE:
        raise CirculationError(
            "not_renewable",
            f"{loan.item.title.title} is '{loan.get_state_display()}', so it cannot be renewed.",
            decision="RENEW-3",
        )
    _next_loan_state(loan.state, "renew", role, decision="RENEW-3")
    allowed = int((loan.rule.get("renewals_allowed") or {}).get("value") or 0)
    if loan.renewals >= allowed and not (override_reason and staff and may_override(role)):
        raise CirculationError(
            "no_renewals_left",
            f"{loan.item.title.title} has been renewed {loan.renewals} "
            f"times; the rule allows {allowed}. It is due {loan.due_date:%a %d %b}.",
            decision="RENEW-2",
            overridable=bool(staff and may_override(role)),
        )
    today = _local(now)
    expired = loan.patron is not None and loan.patron.expires_on < today
    if expired and not (override_reason and staff and may_override(role)):
        raise CirculationError(
            "card_expired",
            "The patron's card has expired. Renew the card first.",
            decision="RENEW-4",
            overridable=bool(staff and may_override(role)),
        )
    loan_days = int((loan.rule.get("loan_days") or {}).get("value") or 14)
    due = max(loan.due_date, _due_for(loan.checkout_branch, today, loan_days))
    Loan.objects.filter(pk=loan.pk).update(due_date=due, renewals=loan.renewals + 1)
    loan.refresh_from_db()
    _record(
        "renew",
        decision="RENEW-1",
        staff=staff,
        branch=branch,
        item=loan.item,
        patron=loan.patron,
        loan=loan,
        rule=loan.rule,
        at=now,
        due_date=due.isoformat(),
        by_patron=staff is None,
        override_reason=override_reason,
    )
    return Outcome(
        "RENEW-1",
        f"DUE {due:%a %d %b}".upper(),
        f"{loan.item.title.title} is renewed until {due:%A %d %B %Y}.",
        loan.item,
        loan,
    )


@transaction.atomic
@held()
def mark_claims_returned(
    staff: User, branch: Branch, loan: Loan, *, note: str = "", now: dt.datetime | None = None
) -> Outcome:
    return _move_loan(
        staff,
        branch,
        loan,
        "claims_returned",
        Item.Status.MISSING,
        "CLAIMS-1",
        "The patron says it was returned; the item is marked missing until it is found.",
        note=note,
        now=now,
    )


@transaction.atomic
@held()
def mark_lost(
    staff: User, branch: Branch, loan: Loan, *, note: str = "", now: dt.datetime | None = None
) -> Outcome:
    outcome = _move_loan(
        staff,
        branch,
        loan,
        "mark_lost",
        Item.Status.LOST,
        "LOST-1",
        "The item is marked lost.",
        note=note,
        now=now,
    )
    item = outcome.item
    if not loan.patron_id:
        return outcome
    if not item.price:
        # Said at the desk, so nobody believes the patron was charged.
        return replace(outcome, message=f"{outcome.message} No charge: the copy has no price.")
    Charge.objects.create(
        patron_id=loan.patron_id,
        loan=loan,
        item=item,
        library=item.owning_library,
        kind=Charge.Kind.LOST,
        amount=item.price,
        created_at=now or timezone.now(),
    )
    return replace(
        outcome,
        message=f"{outcome.message} The patron owes its price, ${item.price:.2f}, "
        f"to {item.owning_library.name}.",
    )


def _move_loan(
    staff: User,
    branch: Branch,
    loan: Loan,
    trigger: str,
    item_status: str,
    decision: str,
    message: str,
    *,
    note: str,
    now: dt.datetime | None,
) -> Outcome:
    now = now or timezone.now()
    role = role_at(staff, branch)
    loan = (
        Loan.objects.select_for_update(of=("self",))
        .select_related("item__title", "patron")
        .get(pk=loan.pk)
    )
    after = _next_loan_state(loan.state, trigger, role, decision=decision)
    Loan.objects.filter(pk=loan.pk, state=loan.state).update(state=after)
    itemstate.move(itemstate.lock(loan.item_id), itemstate.TRIGGER_FOR[item_status], role)
    loan.refresh_from_db()
    loan.item.refresh_from_db()
    _record(
        trigger,
        decision=decision,
        staff=staff,
        branch=branch,
        item=loan.item,
        patron=loan.patron,
        loan=loan,
        rule=loan.rule,
        at=now,
        note=note,
    )
    return Outcome(decision, after.replace("_", " ").upper(), message, loan.item, loan)


@transaction.atomic
@held()
def mark_damaged(
    staff: User, branch: Branch, item: Item, *, note: str, now: dt.datetime | None = None
) -> Outcome:
    now = now or timezone.now()
    role = role_at(staff, branch)
    if not note.strip():
        raise CirculationError(
            "note_required",
            "Describe the damage: the owning library "
            "and the group's replacement policy rely on it.",
            decision="DAMAGED-2",
        )
    if Loan.objects.filter(item=item, state=Loan.State.ACTIVE).exists():
        raise CirculationError(
            "on_loan",
            f"{item.title.title} is on loan. Check it in first, then mark it damaged.",
            decision="DAMAGED-2",
        )
    item = itemstate.lock(item.pk)
    try:
        itemstate.move(item, "mark_damaged", role)
    except itemstate.TransitionError as error:
        raise CirculationError("bad_transition", str(error), decision="DAMAGED-2") from error
    _record(
        "damaged",
        decision="DAMAGED-1",
        staff=staff,
        branch=branch,
        item=item,
        at=now,
        note=note.strip(),
        **last_borrower(item),  # DAMAGED-3: whose patron had it last
    )
    return Outcome(
        "DAMAGED-1",
        "SET ASIDE: DAMAGED",
        f"{item.title.title} is marked damaged and set aside for the owning library's review.",
        item,
    )
