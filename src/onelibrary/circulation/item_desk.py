"""The desk's actions on one copy: lost, damaged, claims returned, missing, found,
withdrawn, reinstated, back on the shelf (docs/circulation/item-desk.md).

The only way a copy's status changes outside checkout, checkin, holds and transit. Each
action checks who may (the desk's branch, then whose copy it is: `_refuse_unless`),
wants a note where the record needs one, moves the copy through `catalog.itemstate`
(or its loan through `circulation.actions`), and writes an `Event` with the staff
member, the branch, the decision id and the note, in one transaction. A refusal is a
`Refusal` with the action's decision id; nothing has changed when it is raised.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from onelibrary.catalog import itemstate
from onelibrary.catalog.models import Item
from onelibrary.circulation import actions, money
from onelibrary.circulation.item_choices import ACTIONS, Action, open_loan
from onelibrary.circulation.lookup import CirculationError, Outcome, role_at
from onelibrary.circulation.models import Event, Loan
from onelibrary.core.versions import held
from onelibrary.holds import actions as holds
from onelibrary.holds.models import Hold
from onelibrary.members.access import scope_of
from onelibrary.members.models import Branch

S = Item.Status
NOTE_MAX = 500


# --- who may, and what the copy allows ------------------------------------------------


def _refuse_unless(allowed: bool, item: Item, branch: Branch, action: Action, who: str) -> None:
    if not allowed:
        raise CirculationError(
            "not_your_library",
            f"Copy {item.barcode} belongs to {item.owning_library.name}. {who} may "
            f"{action.label.lower()} it; you are working at {branch.name}.",
            decision=action.refusal,
        )


def _check(staff: User, branch: Branch, item: Item, action: Action, loan: Loan | None) -> str:
    """The staff member's role at the desk, once they may take `action` on this copy.

    Desk staff act on copies their library owns or that are at their library's branches
    now (damaged, missing, back on the shelf), and on loans lent or borrowed through their
    library (claims returned, lost); any desk may find a copy, as any desk checks one in.
    Withdrawing and reinstating is for the owning library's admin (and the central office).
    """
    role = role_at(staff, branch)
    scope = scope_of(staff)
    if scope.central or action.slug == "found":
        return role
    owner = item.owning_library_id
    if action.slug in ("withdraw", "reinstate"):
        _refuse_unless(owner in scope.admin_of(), item, branch, action, "Only its library admin")
        return role
    if action.slug in ("claims-returned", "lost") and loan is not None:
        libraries = {owner, loan.checkout_branch.library_id, loan.borrower_library_id}
        who = "Staff of its library, of the lending library or of the borrower's library"
    elif action.slug in ("damaged", "missing"):
        libraries = {owner, item.current_branch.library_id}
        who = "Staff of its library or of the library where it is"
    else:
        libraries, who = {owner}, "Only its library's staff"
    _refuse_unless(branch.library_id in libraries, item, branch, action, who)
    return role


def _note(action: Action, note: str) -> str:
    note = note.strip()
    if action.note_required and not note:
        raise CirculationError(
            "note_required",
            f"Write a note to {action.label.lower()}: what happened and what was checked. "
            "It is kept on the copy's record.",
            decision=action.refusal,
        )
    if len(note) > NOTE_MAX:
        raise CirculationError(
            "note_too_long",
            f"Keep the note under {NOTE_MAX} characters; it has {len(note)}.",
            decision=action.refusal,
        )
    return note


def _wrong_state(item: Item, action: Action, what_to_do: str) -> CirculationError:
    label = item.get_status_display().lower()
    return CirculationError(
        "wrong_state",
        f"{item.title.title} ({item.barcode}) is {label}, so it cannot be given "
        f"'{action.label.lower()}'. {what_to_do}".strip(),
        decision=action.refusal,
    )


def _event(
    kind: str,
    decision: str,
    *,
    staff: User,
    branch: Branch,
    item: Item,
    now: dt.datetime,
    note: str,
    loan: Loan | None = None,
    **detail: object,
) -> None:
    Event.objects.create(
        kind=kind,
        decision=decision,
        staff=staff,
        branch=branch,
        item=item,
        loan=loan,
        at=now,
        detail={"note": note, **detail},
    )


def _release_routed_hold(item: Item, staff: User, role: str, now: dt.datetime, why: str) -> str:
    """A hold routed to a copy that is no longer on its shelf gives it up and is routed
    again at once, as when the pick list finds it not on the shelf (PICK-3)."""
    hold = Hold.objects.filter(assigned_item_id=item.pk, state=Hold.State.ROUTED).first()
    if hold is None:
        return ""
    holds.release(hold, "not_on_shelf", role, now=now, staff=staff, why=why)
    holds.route_titles([hold.title_id], now=now, staff=staff, gone=frozenset({item.pk}))
    hold.refresh_from_db()
    if hold.state == Hold.State.ROUTED:
        return " The hold routed to it was routed to another copy."
    return " The hold routed to it waits for another copy."


def _take_off_shelf(
    item: Item,
    trigger: str,
    kind: str,
    action: Action,
    role: str,
    staff: User,
    branch: Branch,
    now: dt.datetime,
    *,
    note: str,
    why: str,
) -> str:
    """Move a copy off the shelf (missing, withdrawn), give a hold routed to it another
    copy (`why` tells the hold's history), and write the event; the sentence about the
    hold, if one moved."""
    before = item.status
    itemstate.move(item, trigger, role)
    moved = _release_routed_hold(item, staff, role, now, why)
    _event(
        kind,
        action.decision,
        staff=staff,
        branch=branch,
        item=item,
        now=now,
        note=note,
        status_before=before,
    )
    return moved


def _locked(item: Item) -> Item:
    """The copy's row, locked, with the branches and owner the checks read."""
    locked = itemstate.lock(item.pk)
    locked.owning_library = item.owning_library
    locked.current_branch = item.current_branch
    return locked


# --- the actions -----------------------------------------------------------------------


@transaction.atomic
@held()
def declare_damaged(
    staff: User, branch: Branch, item: Item, *, note: str, now: dt.datetime | None = None
) -> Outcome:
    """DAMAGED-1 (and -3: the event names the last borrower's library) through
    `actions.mark_damaged`, which refuses a copy on loan or without a note (DAMAGED-2)."""
    now = now or timezone.now()
    action = ACTIONS["damaged"]
    role = _check(staff, branch, item, action, None)
    outcome = actions.mark_damaged(staff, branch, item, note=_note(action, note), now=now)
    moved = _release_routed_hold(outcome.item, staff, role, now, "marked damaged")
    return _with(outcome, moved)


@transaction.atomic
@held()
def back_on_shelf(
    staff: User, branch: Branch, item: Item, *, note: str, now: dt.datetime | None = None
) -> Outcome:
    """DAMAGED-4: a damaged or processed copy back on the shelf, by its library (ITEM-9)."""
    now = now or timezone.now()
    action = ACTIONS["back-on-shelf"]
    role = _check(staff, branch, item, action, None)
    note = _note(action, note)
    item = _locked(item)
    if item.status not in (S.DAMAGED, S.IN_PROCESSING):
        raise _wrong_state(item, action, "Only a damaged copy or one in processing goes back.")
    before = item.status
    itemstate.move(item, "shelve", role)
    _event(
        "back_on_shelf",
        action.decision,
        staff=staff,
        branch=branch,
        item=item,
        now=now,
        note=note,
        status_before=before,
    )
    return Outcome(action.decision, "SHELVE", f"{item.title.title} is available again.", item)


@transaction.atomic
@held()
def declare_missing(
    staff: User, branch: Branch, item: Item, *, note: str, now: dt.datetime | None = None
) -> Outcome:
    """MISSING-1: a copy that should be on the shelf (or in processing) is not found."""
    now = now or timezone.now()
    action = ACTIONS["missing"]
    role = _check(staff, branch, item, action, None)
    note = _note(action, note)
    item = _locked(item)
    if item.status == S.CHECKED_OUT:
        raise _wrong_state(
            item, action, "If the patron says they returned it, use 'Claims returned'."
        )
    if item.status not in (S.AVAILABLE, S.IN_PROCESSING):
        raise _wrong_state(
            item, action, "Only a copy on the shelf or in processing can go missing."
        )
    moved = _take_off_shelf(
        item,
        "declare_missing",
        "missing",
        action,
        role,
        staff,
        branch,
        now,
        note=note,
        why="declared missing",
    )
    return Outcome(
        action.decision,
        "MISSING",
        f"{item.title.title} is marked missing until it is found.{moved}",
        item,
    )


@transaction.atomic
@held()
def claim_returned(
    staff: User, branch: Branch, item: Item, *, note: str, now: dt.datetime | None = None
) -> Outcome:
    """CLAIMS-1 through `actions.mark_claims_returned`; CLAIMS-2 when the copy is not on
    an active loan or the note is missing."""
    action = ACTIONS["claims-returned"]
    loan = open_loan(item)
    _check(staff, branch, item, action, loan)
    note = _note(action, note)
    if loan is None or loan.state != Loan.State.ACTIVE:
        where = "not on loan" if loan is None else f"'{loan.get_state_display().lower()}'"
        raise CirculationError(
            "not_on_loan",
            f"{item.title.title} ({item.barcode}) is {where}: only a copy on loan can be "
            "claimed returned.",
            decision=action.refusal,
        )
    return actions.mark_claims_returned(staff, branch, loan, note=note, now=now)


@transaction.atomic
@held()
def declare_lost(
    staff: User, branch: Branch, item: Item, *, note: str, now: dt.datetime | None = None
) -> Outcome:
    """LOST-1 (on loan or claimed returned: `actions.mark_lost`, which charges the price)
    or LOST-2 (missing, not on loan: written off, no charge); LOST-3 refuses the rest."""
    now = now or timezone.now()
    action = ACTIONS["lost"]
    loan = open_loan(item)
    role = _check(staff, branch, item, action, loan)
    note = _note(action, note)
    if loan is not None and loan.state != Loan.State.LOST:
        return actions.mark_lost(staff, branch, loan, note=note, now=now)
    item = _locked(item)
    if loan is not None or item.status != S.MISSING:
        raise _wrong_state(
            item, action, "A copy is lost from a loan, or after it was marked missing."
        )
    itemstate.move(item, "mark_lost", role)
    _event("mark_lost", "LOST-2", staff=staff, branch=branch, item=item, now=now, note=note)
    return Outcome("LOST-2", "LOST", f"{item.title.title} is written off as lost.", item)


@transaction.atomic
@held()
def declare_found(
    staff: User, branch: Branch, item: Item, *, note: str, now: dt.datetime | None = None
) -> Outcome:
    """FOUND-1: a missing or lost copy turns up at this desk. It is in hand, so it is
    checked in here (`actions.check_in`: CHECKIN-7, -8 or -9: shelved, sent home or given
    to a hold), after its lost-item charges are settled (`_settle_lost`: refunded and cancelled)."""
    now = now or timezone.now()
    action = ACTIONS["found"]
    role_at(staff, branch)  # any desk may check a copy in, so any desk may find one
    note = _note(action, note)
    item = _locked(item)
    if item.status not in (S.MISSING, S.LOST):
        raise _wrong_state(item, action, "Check it in instead if it has come back.")
    before = item.status
    loan = open_loan(item)
    settled = _settle_lost(item, staff, branch, now)
    outcome = actions.check_in(staff, branch, item, now=now)
    _event(
        "found",
        action.decision,
        staff=staff,
        branch=branch,
        item=outcome.item,
        now=now,
        note=note,
        loan=loan,
        status_before=before,
        checkin=outcome.decision,
        money=settled,
    )
    return Outcome(
        action.decision,
        outcome.instruction,
        " ".join(["Found.", outcome.message, *settled]),
        outcome.item,
        outcome.loan,
    )


def _settle_lost(item: Item, staff: User, branch: Branch, now: dt.datetime) -> list[str]:
    """What money at the desk does with the copy's lost-item charges (MONEY-10): refund
    what was paid, cancel what was not. Done before the checkin, so CHECKIN-7 finds nothing
    left to settle; the sentences for the desk."""
    return [done.message for done in money.settle_found_lost(item, staff, branch, now=now)]


@transaction.atomic
@held()
def withdraw(
    staff: User, branch: Branch, item: Item, *, note: str, now: dt.datetime | None = None
) -> Outcome:
    """WITHDRAW-1: the copy leaves the collection (ITEM-10), by its library's admin."""
    now = now or timezone.now()
    action = ACTIONS["withdraw"]
    _check(staff, branch, item, action, None)
    note = _note(action, note)
    item = _locked(item)
    loan = open_loan(item)
    if loan is not None and loan.state != Loan.State.LOST:
        raise _wrong_state(item, action, "Its loan is still open: mark it lost first.")
    if item.status in (S.CHECKED_OUT, S.IN_TRANSIT, S.ON_HOLD_SHELF, S.WITHDRAWN):
        raise _wrong_state(item, action, "Withdraw it once it is back on its library's shelf.")
    role = _owner_role(staff, item)
    moved = _take_off_shelf(
        item, "withdraw", "withdrawn", action, role, staff, branch, now, note=note, why="withdrawn"
    )
    return Outcome(
        action.decision,
        "SET ASIDE: WITHDRAWN",
        f"{item.title.title} is withdrawn from the collection.{moved}",
        item,
    )


@transaction.atomic
@held()
def reinstate(
    staff: User, branch: Branch, item: Item, *, note: str, now: dt.datetime | None = None
) -> Outcome:
    """WITHDRAW-2: a withdrawn copy back in the collection (ITEM-11), by its library's admin."""
    now = now or timezone.now()
    action = ACTIONS["reinstate"]
    _check(staff, branch, item, action, None)
    note = _note(action, note)
    item = _locked(item)
    if item.status != S.WITHDRAWN:
        raise _wrong_state(item, action, "Only a withdrawn copy can be reinstated.")
    itemstate.move(item, "reinstate", _owner_role(staff, item))
    _event("reinstated", action.decision, staff=staff, branch=branch, item=item, now=now, note=note)
    return Outcome(
        action.decision, "SHELVE", f"{item.title.title} is back in the collection.", item
    )


def _owner_role(staff: User, item: Item) -> str:
    """The role the table asks for withdrawing: the staff member's at the owning library."""
    return scope_of(staff).role_at(item.owning_library_id) or "desk"


def _with(outcome: Outcome, more: str) -> Outcome:
    if not more:
        return outcome
    return Outcome(outcome.decision, outcome.instruction, outcome.message + more, outcome.item)


TAKE = {
    "found": declare_found,
    "damaged": declare_damaged,
    "back-on-shelf": back_on_shelf,
    "missing": declare_missing,
    "claims-returned": claim_returned,
    "lost": declare_lost,
    "withdraw": withdraw,
    "reinstate": reinstate,
}


def take(staff: User, branch: Branch, item: Item, slug: str, *, note: str) -> Outcome:
    """The action named by its address (`ACTIONS`), as the page and the API call it."""
    return TAKE[slug](staff, branch, item, note=note)
