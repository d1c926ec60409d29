"""Circulation actions: the only code that changes loans, charges and item circulation state.

Each action checks what it is given, runs in one transaction, writes an Event, and
names the decision-table case it implements (docs/circulation/). A refusal raises
`CirculationError` and changes nothing. The desk pages and the API call the scan
functions in `circulation.scans`, which find the item and patron from typed barcodes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import models, transaction
from django.utils import timezone

from onelibrary.catalog import itemstate
from onelibrary.catalog.models import Item
from onelibrary.circulation import holds_desk, locks, states
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
from onelibrary.floating import placement as floating
from onelibrary.holds import shelf as hold_shelf
from onelibrary.members import kept as members_kept
from onelibrary.members.models import Branch
from onelibrary.patrons.models import Patron
from onelibrary.policy.lookup import policy_for
from onelibrary.policy.models import GroupPolicy
from onelibrary.transit import actions as transit
from onelibrary.versions import held


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
    now = now or timezone.now()
    role = role_at(staff, branch)
    locked = locks.lock_item(item.pk)  # with: is it on loan, does a hold wait on it
    item = _carry_over(locked, item)
    open_loan = Loan.objects.get(pk=locked.open_loan_id) if locked.open_loan_id else None
    if open_loan is not None and open_loan.patron_id == patron.pk:
        # CHECKOUT-4: a repeat of the same checkout, e.g. the scanner fired twice.
        return Outcome(
            "CHECKOUT-4",
            "ALREADY OUT TO THIS PATRON",
            f"{item.title.title} is already checked out to {patron.first_name}, "
            f"due {open_loan.due_date:%a %d %b}. Nothing was changed.",
            item,
            open_loan,
            repeated=True,
        )
    if open_loan is not None:
        raise CirculationError(
            "checked_out_to_another",
            f"{item.title.title} ({item.barcode}) is checked out to "
            "another patron. Check it in first, then check it out again.",
            decision="CHECKOUT-5",
        )
    refusals: dict[str, tuple[str, str, str]] = {
        Item.Status.ON_HOLD_SHELF: (
            "on_hold_shelf",
            "CHECKOUT-11",
            "is on the hold shelf for another patron. Put it back on the hold shelf.",
        ),
        Item.Status.IN_TRANSIT: (
            "in_transit",
            "CHECKOUT-12",
            "is in transit. Check it in first to receive it here, then check it out.",
        ),
    }
    refusal = refusals.get(item.status)
    if item.status in (
        Item.Status.LOST,
        Item.Status.MISSING,
        Item.Status.WITHDRAWN,
        Item.Status.DAMAGED,
    ):
        refusal = (
            "not_lendable",
            "CHECKOUT-10",
            f"is marked {item.get_status_display().lower()}."
            " Check it in first so its record is corrected, then lend it.",
        )
    if item.status == Item.Status.IN_TRANSIT and holds_desk.release_for_checkout(
        staff, branch, item, now=now
    ):
        item.refresh_from_db()  # CHECKOUT-18: it had not left this branch yet
        refusal = None
    if refusal and refusal[1] == "CHECKOUT-11" and hold_shelf.shelf_hold_for(item, patron):
        refusal = None  # CHECKOUT-16: the copy is on the hold shelf for this patron
    if refusal:
        code, decision, text = refusal
        raise CirculationError(
            code, f"{item.title.title} ({item.barcode}) {text}", decision=decision
        )
    policy = policy_for(item, patron, branch)
    today = _local(now)
    blocks = blocks_for(patron, policy, today)
    override_reason = override_reason.strip()
    if blocks and not override_reason:
        raise CirculationError(
            blocks[0].code,
            " ".join(b.message for b in blocks),
            decision=blocks[0].decision,
            overridable=may_override(role),
        )
    if blocks and not may_override(role):
        raise CirculationError(
            "override_not_allowed",
            "Only a library admin or the central office may override "
            "a block. Ask one of them to check this out.",
            decision="CHECKOUT-9",
        )
    _next_loan_state(None, "checkout", role, decision="CHECKOUT-1")
    due = _due_for(branch, today, policy.loan_days)  # CHECKOUT-13 moves it to an open day
    rule = policy.as_dict()
    loan = Loan.objects.create(
        item=item,
        patron=patron,
        checkout_branch=branch,
        checked_out_at=now,
        due_date=due,
        rule=rule,
    )
    itemstate.move(item, "lend", role, at=branch)
    filled = hold_shelf.after_checkout(staff, patron, item, now=now, waits=locked.hold_waits)
    decision = "CHECKOUT-9" if blocks else "CHECKOUT-16" if filled else "CHECKOUT-1"
    _record(
        "checkout",
        decision=decision,
        staff=staff,
        branch=branch,
        item=item,
        patron=patron,
        loan=loan,
        rule=rule,
        at=now,
        due_date=due.isoformat(),
        overridden=[b.code for b in blocks],
        override_reason=override_reason,
        hold=filled.pk if filled else None,
    )
    return Outcome(
        decision,
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


@transaction.atomic
@held()
def check_in(staff: User, branch: Branch, item: Item, *, now: dt.datetime | None = None) -> Outcome:
    now = now or timezone.now()
    role = role_at(staff, branch)
    locked = locks.lock_item(item.pk)  # with: is it on loan, may a hold claim it
    item = _carry_over(locked, item)
    loan = locks.lock_loan(locked.open_loan_id) if locked.open_loan_id else None
    if loan is None:
        return _check_in_without_loan(
            staff, branch, item, now, role=role, claimable=locked.claimable
        )
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
    destination = _destination(item, branch, claimable=locked.claimable)
    decision, instruction = destination.decision, destination.instruction
    itemstate.apply(item, destination.changes, role, at=branch)
    notes = []
    captured = holds_desk.capture_at_checkin(
        staff, branch, item, now=now, claimable=locked.claimable
    )
    if captured is not None:  # CHECKIN-17, CHECKIN-18
        decision, instruction = captured.decision, captured.instruction
        notes.append(captured.message)
    moved = captured is not None or destination.send_to is not None
    if moved:
        # An item on loan has no open transit; one starts only if it leaves this branch.
        transit.after_checkin(staff, branch, item, destination.send_to, destination.reason, now=now)
    late = duedates.days_late(loan.due_date, _local(now))
    fine = _overdue_fine(loan, late)
    if fine:
        assert patron_id is not None  # a loan out until now has its patron
        Charge.objects.create(
            patron_id=patron_id,
            loan=loan,
            item=item,
            library_id=item.owning_library_id,
            kind=Charge.Kind.OVERDUE,
            amount=fine,
            created_at=now,
            note=f"{late} days late",
        )
        notes.append(f"Returned {late} days late: a fine of ${fine:.2f} was added.")
        decision_extra = "CHECKIN-11"
    else:
        decision_extra = ""
    if before == Loan.State.LOST:
        settled = Charge.objects.filter(
            loan=loan, kind=Charge.Kind.LOST, settled_at__isnull=True
        ).update(settled_at=now, note="Item returned")
        notes.append(
            "This item was marked lost and is now back"
            + (": its lost-item charge is cancelled." if settled else ".")
        )
        decision_extra = "CHECKIN-7"
    elif before == Loan.State.CLAIMS_RETURNED:
        notes.append("The patron's claim that this was returned is now resolved.")
        decision_extra = "CHECKIN-8"
    if not keeps_history:
        Event.objects.filter(loan=loan).update(patron=None)
    _record(
        "checkin",
        decision=decision_extra or decision,
        staff=staff,
        branch=branch,
        item=item,
        patron_id=patron_id if keeps_history else None,
        loan=loan,
        rule=loan.rule,
        at=now,
        instruction=instruction,
        days_late=late,
        loan_state_before=before,
    )
    if moved:
        # Holds and transit may have moved the item further; its title and branches stay.
        item.refresh_from_db(fields=["status", "current_branch", "home_branch"])
    message = " ".join([f"{item.title.title} is checked in.", *notes])
    return Outcome(decision_extra or decision, instruction, message, item, loan)


def _overdue_fine(loan: Loan, late: int) -> Decimal:
    per_day = (loan.rule.get("fine_per_day") or {}).get("value")
    if not late or per_day in (None, "", "0", "0.00"):
        return Decimal("0")
    fine = Decimal(str(per_day)) * late
    cap = (loan.rule.get("fine_cap") or {}).get("value")
    if cap not in (None, ""):
        fine = min(fine, Decimal(str(cap)))
    return fine.quantize(Decimal("0.01"))


def _check_in_without_loan(
    staff: User, branch: Branch, item: Item, now: dt.datetime, *, role: str, claimable: bool
) -> Outcome:
    if item.status in (Item.Status.DAMAGED, Item.Status.WITHDRAWN):
        label = item.get_status_display().upper()
        return Outcome(
            "CHECKIN-10",
            f"SET ASIDE: {label}",
            f"{item.title.title} is marked {label.lower()}. Set it aside for its library.",
            item,
        )
    if item.status != Item.Status.ON_HOLD_SHELF:
        captured = holds_desk.capture_at_checkin(staff, branch, item, now=now, claimable=claimable)
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
    destination = _destination(item, branch, claimable=claimable)
    decision, instruction = destination.decision, destination.instruction
    # CHECKIN-4: already done here: on the shelf where it belongs, or waiting to leave.
    already_here = item.current_branch_id == branch.pk and (
        (item.status == Item.Status.AVAILABLE and decision != "CHECKIN-2")
        or (item.status == Item.Status.IN_TRANSIT and decision == "CHECKIN-2")
    )
    if already_here:
        window = GroupPolicy.current().repeat_scan_seconds
        recent = Event.objects.filter(
            item=item, kind="checkin", branch=branch, at__gte=now - dt.timedelta(seconds=window)
        ).exists()
        message = (
            f"{item.title.title} was just checked in here; the repeated scan was not counted again."
            if recent
            else f"{item.title.title} was already checked in here; nothing changed."
        )
        return Outcome("CHECKIN-4", instruction, message, item, repeated=recent)
    previous = item.status
    if previous == Item.Status.IN_TRANSIT:
        # CHECKIN-5 (arrived home), CHECKIN-6 (arrived elsewhere: send it on).
        decision = "CHECKIN-6" if decision == "CHECKIN-2" else "CHECKIN-5"
        message = (
            f"{item.title.title} has arrived home."
            if decision == "CHECKIN-5"
            else f"{item.title.title} is not for this branch."
        )
    elif previous in (Item.Status.LOST, Item.Status.MISSING):
        decision = "CHECKIN-9"
        message = f"{item.title.title} was marked {previous.replace('_', ' ')} and has been found."
    elif previous == Item.Status.ON_HOLD_SHELF:
        return Outcome(
            "CHECKIN-16",
            "HOLD SHELF",
            f"{item.title.title} is waiting on the hold "
            "shelf for a patron. Put it back on the hold shelf.",
            item,
        )
    else:
        decision = "CHECKIN-15"
        message = f"{item.title.title} was not on loan and was out of place."
    itemstate.apply(item, destination.changes, role, at=branch)
    transit.after_checkin(staff, branch, item, destination.send_to, destination.reason, now=now)
    item.refresh_from_db()
    _record(
        "checkin",
        decision=decision,
        staff=staff,
        branch=branch,
        item=item,
        at=now,
        instruction=instruction,
        status_before=previous,
    )
    return Outcome(decision, instruction, message, item)


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
    if item.price and loan.patron_id:
        Charge.objects.create(
            patron_id=loan.patron_id,
            loan=loan,
            item=item,
            library=item.owning_library,
            kind=Charge.Kind.LOST,
            amount=item.price,
            created_at=now or timezone.now(),
        )
    return outcome


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
    )
    return Outcome(
        "DAMAGED-1",
        "SET ASIDE: DAMAGED",
        f"{item.title.title} is marked damaged and set aside for the owning library's review.",
        item,
    )
