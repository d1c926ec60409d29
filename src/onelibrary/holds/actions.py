"""Holds actions: the only code that changes holds.

Each action checks what it is given, runs in one transaction, moves the hold through its
state table (`holds.states`, HOLD-1 … 17) in the actor's real role (refusing any other
move, or one that role may not make), and writes a HoldEvent. A refusal raises
`HoldError` (a `Refusal`, so the desk and the API report it the same way) and
changes nothing. Here: the hold's moves, routing applied to the database, placing a hold
and the patron's changes; `holds.shelf` builds on these for a copy meeting its hold (pick
list, capture at checkin, hold shelf, CHECKIN-17/18/19 and CHECKOUT-16), and
`holds.leaving` for a hold cancelled or expired (its copy leaving the hold shelf). Those
two answer with the copy's move; the desk applies it (`circulation/holds_desk.py`).
docs/holds/holds.md describes the life of a hold.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone

from onelibrary.catalog import itemstate
from onelibrary.catalog.models import Item, Title
from onelibrary.core.refusals import Refusal
from onelibrary.core.states import CENTRAL_OFFICE, DESK, LIBRARY_ADMIN, PATRON, SYSTEM
from onelibrary.holds import expecting, inputs, routing, states
from onelibrary.holds.expected import Expectation
from onelibrary.holds.models import OPEN_STATES, Hold, HoldEvent
from onelibrary.holds.queries import Labels, explanation_record, queue_position, same_explanation
from onelibrary.members import lifecycle
from onelibrary.members.access import is_staff_member, role_at, role_at_branch
from onelibrary.members.models import Branch
from onelibrary.members.pickup import may_be_pickup
from onelibrary.patrons.models import Patron
from onelibrary.policy.lookup import load_rules, situation_for
from onelibrary.policy.resolve import Situation, resolve

log = logging.getLogger(__name__)
S = Hold.State
MAX_SUSPEND_DAYS = 366


class HoldError(Refusal):
    """A refused hold action: `message` says what is wrong and what to do."""


# --- the hold's moves: through its table (holds/states.py), in the actor's role --------


def claim(pk: int, before: str, trigger: str, role: str, **fields: object) -> bool:
    """Move hold `pk` from `before` by `trigger` in `role`, if it is still in `before` (a
    conditional UPDATE: of two desks or workers, one wins). Refuses, in the table's words,
    a move the table has not or `role` may not make (HOLD-1 … 17)."""
    try:
        after = states.TABLE.next_state(before, trigger, role)
    except states.TransitionError as error:
        raise HoldError("bad_transition", str(error)) from error
    return Hold.objects.filter(pk=pk, state=before).update(state=after, **fields) == 1


def move(hold: Hold, trigger: str, role: str, **fields: object) -> None:
    if not claim(hold.pk, hold.state, trigger, role, **fields):
        raise HoldError(
            "hold_changed",
            "This hold was changed a moment ago at another desk. Reload the page and try again.",
        )
    hold.refresh_from_db()


def role_of(staff: User | None, hold: Hold) -> str:
    """The role a change asked for `hold` is made in (docs/holds/states.md, "Who may").

    No staff: the patron themself, through their account. Staff: their role at the hold's
    pickup library or the patron's home library, the higher; any member's desk serves
    every patron of the group (the patron may ask at any desk), so staff of another member
    act as desk staff there."""
    if staff is None:
        return PATRON
    assert hold.patron is not None  # open: only a closed one loses it (retention.py)
    found = {
        role_at(staff, hold.pickup_branch.library_id),
        role_at(staff, hold.patron.home_library_id),
    }
    for role in (CENTRAL_OFFICE, LIBRARY_ADMIN, DESK):
        if role in found:
            return role
    if is_staff_member(staff):
        return DESK
    raise HoldError("not_staff", "Only library staff may change a patron's hold.")


def record(
    hold: Hold,
    kind: str,
    *,
    now: dt.datetime,
    staff: User | None = None,
    item: Item | None = None,
    **detail: object,
) -> HoldEvent:
    # An event is kept as a hold changes; its patron goes only later, once it is closed.
    assert hold.patron is not None
    return HoldEvent.objects.create(
        hold=hold,
        kind=kind,
        at=now,
        staff=staff,
        item=item,
        lender=item.owning_library.code if item is not None else "",
        borrower=hold.patron.home_library.code,
        detail=detail,
    )


def load_hold(hold: Hold | int) -> Hold:
    pk = hold if isinstance(hold, int) else hold.pk
    return Hold.objects.select_related(
        "patron__home_library",
        "pickup_branch__library",
        "title",
        "assigned_item__owning_library",
        "assigned_item__home_branch",
    ).get(pk=pk)


def lock_titles(title_ids: list[int]) -> None:
    """Routing a title is serialised: one routing run per title at a time (PostgreSQL;
    SQLite's write lock already serialises every write transaction)."""
    list(
        Title.objects.select_for_update()
        .filter(pk__in=sorted(set(title_ids)))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def check_staff_at(staff: User, branch: Branch) -> str:
    """The staff member's role at `branch`'s library, where they work a desk's holds."""
    try:
        return role_at_branch(staff, branch)
    except Refusal as error:
        raise HoldError(
            error.code,
            f"You do not work for {branch.library.name}, so you cannot work its holds at "
            f"{branch.name}. Choose one of your own library's branches.",
        ) from error


# --- routing, applied ----------------------------------------------------------------


def route_titles(
    title_ids: list[int],
    *,
    now: dt.datetime,
    staff: User | None = None,
    unavailable: frozenset[int] = frozenset(),
    gone: frozenset[int] = frozenset(),
) -> dict[int, routing.Explanation]:
    """Route every waiting hold of the titles at once (DESIGN: "Routing holds").

    Holds already routed keep their copy; a copy is assigned only when it is available
    now, holdable, not exempt, and (for a hold on one copy) that copy. `unavailable`
    copies sit out this run; `gone` ones count as missing (`inputs.copies_for`).
    """
    lock_titles(title_ids)
    today = inputs.local_date(now)
    holds = inputs.waiting_holds(title_ids, today)
    if not holds:
        return {}
    copies = inputs.copies_for(title_ids, unavailable=unavailable, gone=gone)
    network = inputs.network_for(
        {c.branch_id for c in copies}, {h.pickup_branch_id for h in holds}, today
    )
    result = routing.route(
        [inputs.request_of(h) for h in holds],
        copies,
        network,
        lending_load=inputs.lending_load(today),
        load_weight=inputs.load_weight(),
        today=today,
    )
    fit = {c.id for c in copies if c.available and c.holdable and not c.exempt}
    items = Item.objects.select_related("owning_library").in_bulk(list(fit))
    labels = Labels.for_copies([c.id for c in copies])
    used: set[int] = set()
    routed: list[Hold] = []
    for hold in holds:
        explanation = result.explanations.get(hold.pk)
        stored = explanation_record(explanation, kind="route", now=now, labels=labels)
        copy_id = result.assignments.get(hold.pk)
        if copy_id is not None and (
            copy_id not in fit or copy_id in used or hold.item_id not in (None, copy_id)
        ):
            log.warning("routing offered copy %s to hold %s, which it cannot fill", copy_id, hold)
            copy_id = None
        if copy_id is not None and not itemstate.reserve(copy_id):
            # Lent, sent or held at a desk since routing read it: not this copy, this time.
            copy_id = None
        if copy_id is None:
            if not same_explanation(
                stored, hold.explanation
            ):  # a long queue is not rewritten each time
                Hold.objects.filter(pk=hold.pk).update(explanation=stored)
            continue
        used.add(copy_id)
        move(
            hold,
            "route",
            SYSTEM,
            assigned_item=copy_id,
            routed_at=now,
            explanation=stored,
            lending_branch_id=items[copy_id].current_branch_id,  # for reports
        )
        record(hold, "routed", now=now, staff=staff, item=items[copy_id], explanation=stored)
        routed.append(hold)
    if routed:  # its copy starts out: the patron's expected day moves (EXPECT-3)
        expecting.remember(routed, now)
    return dict(result.explanations)


# --- placing a hold -------------------------------------------------------------------


@dataclass(frozen=True)
class Placed:
    hold: Hold
    message: str
    expected: Expectation | None = None  # when it is expected on the hold shelf


def _refuse_closed_pickup(pickup: Branch) -> None:
    """A closed branch (`pickup_closed`), or one of a member that is not active
    (HOLD-18, `pickup_not_member`), is no pickup branch; the nearest that are, are named."""
    if may_be_pickup(pickup):
        return
    near = inputs.nearest_open_branches(pickup)
    names = ", ".join(f"{b.name} ({b.code})" for b in near)
    nearest = f"The nearest open branches are {names}." if near else "No branch is open."
    if not pickup.is_active:
        raise HoldError(
            "pickup_closed",
            f"{pickup.name} is closed for good and cannot be a pickup branch. {nearest}",
        )
    library = pickup.library
    raise HoldError(
        "pickup_not_member",
        f"{pickup.name} cannot be a pickup branch: {library.name} "
        f"{lifecycle.allowed(library.status).why_not}. "
        f"Choose a branch of an active member. {nearest}",
        decision="HOLD-18",
    )


def _hold_limit(patron: Patron, item: Item | None) -> int | None:
    """The rule's max_holds: for a copy, the rule governing that copy for this patron; for
    a title, the patron's home library's rule for their category (no item type)."""
    if item is not None:
        situation = situation_for(item, patron, None)
    else:
        situation = Situation(patron.home_library.code, patron.category, "", "")
    limit = resolve(load_rules(), situation).values["max_holds"]
    return None if limit is None else int(limit)


def _why_no_holdable_copy(title: Title, item: Item | None) -> str | None:
    """None when some copy may fill the hold; else what to tell the patron, e.g. "all 3
    copies are exempt from group holds (reference only)"."""
    cache = inputs.RuleCache()
    candidates = [item] if item else list(title.items.select_related("owning_library"))
    if not candidates:
        return f"No library in the group has a copy of {title.title}, so it cannot be held."
    reasons: dict[str, int] = {}
    for copy in candidates:
        if copy.status in inputs.GONE:
            reason = "lost, missing, damaged or withdrawn"
        else:
            found = cache.for_item(copy, copy.owning_library.code)
            if found.holdable and not found.exempt:
                return None
            reason = found.reason
        reasons[reason] = reasons.get(reason, 0) + 1
    if item is not None:
        return f"Copy {item.barcode} of {title.title} cannot be held: it is {reason}."
    count = len(candidates)
    if len(reasons) == 1:
        every = "the only copy is" if count == 1 else f"all {count} copies are"
        return f"{title.title} cannot be held: {every} {reason}."
    parts = ", ".join(f"{n} {why}" for why, n in reasons.items())
    return f"{title.title} cannot be held: none of its {count} copies can fill it ({parts})."


@dataclass(frozen=True)
class _Who:
    """How a refusal speaks of the patron: by name to staff, as "you" to the patron
    placing their own hold (`staff` None)."""

    name: str
    has: str
    whose: str
    renew: str

    @classmethod
    def of(cls, staff: User | None, patron: Patron) -> _Who:
        if staff is None:
            return cls("You", "have", "Your", "Renew your card at any library desk")
        return cls(patron.first_name, "has", f"{patron.first_name}'s", "Renew the card")


@transaction.atomic
def place_hold(
    staff: User | None,
    patron: Patron,
    pickup: Branch,
    *,
    title: Title | None = None,
    item: Item | None = None,
    now: dt.datetime | None = None,
) -> Placed:
    """A hold on a title (any copy) or on one copy, for pickup at any open branch.

    Refused, with nothing written: an expired card, a branch closed for good (the nearest
    open ones are named), a second open hold on the same title, the rule's hold limit, or
    no copy in the group that group holds may use (the reason is given). Copies that are
    merely out do not refuse it: the hold waits, and says so.
    """
    now = now or timezone.now()
    if item is not None:
        title = item.title
    if title is None:
        raise HoldError("empty", "Name the title or the copy to hold.")
    today = inputs.local_date(now)
    who = _Who.of(staff, patron)
    if patron.expires_on < today:
        raise HoldError(
            "card_expired",
            f"{who.whose} card expired on {patron.expires_on:%d %b %Y}. "
            f"{who.renew}, then place the hold.",
        )
    _refuse_closed_pickup(pickup)
    home = patron.home_library
    if not lifecycle.allowed(home.status).new_holds:  # MEMBER-1, -2, -4, -5
        raise HoldError(
            "member_no_new_holds",
            f"{who.whose} home library, {home.name}, {lifecycle.allowed(home.status).why_not}: "
            "its patrons place no new group holds. Ask the central office to move the "
            "patron's home library to an active member first.",
            decision="MEMBER-4" if home.status == lifecycle.LEAVING else "MEMBER-1",
        )
    open_holds = Hold.objects.filter(patron=patron, state__in=OPEN_STATES)
    if open_holds.filter(title=title).exists():
        raise HoldError(
            "duplicate_hold",
            f"{who.name} already {who.has} a hold on {title.title}. "
            "Change that hold's pickup branch instead of placing another.",
        )
    limit = _hold_limit(patron, item)
    held = open_holds.count()
    if limit is not None and held >= limit:
        raise HoldError(
            "hold_limit",
            f"{who.name} {who.has} {held} holds; the rule allows {limit}. "
            "Cancel one first, or wait until one is picked up.",
        )
    why = _why_no_holdable_copy(title, item)
    if why:
        raise HoldError("not_holdable", why)
    try:
        with transaction.atomic():
            hold = Hold.objects.create(
                patron=patron,
                title=title,
                item=item,
                pickup_branch=pickup,
                placed_at=now,
                placed_by=staff,
                # For reports (docs/insights.md): kept when the patron goes.
                borrower_library_id=patron.home_library_id,
                borrower_category=patron.category,
            )
    except IntegrityError as error:  # the same hold placed at another desk a moment ago
        raise HoldError(
            "duplicate_hold", f"{who.name} already {who.has} a hold on {title.title}."
        ) from error
    record(hold, "placed", now=now, staff=staff, item=item, pickup=pickup.code)
    route_titles([title.pk], now=now, staff=staff)
    hold = load_hold(hold)
    expected = expecting.remember([hold], now).get(hold.pk)
    return Placed(hold, _placed_message(hold, expected), expected)


def _placed_message(hold: Hold, expected: Expectation | None) -> str:
    assert hold.patron is not None  # just placed
    who = f"{hold.patron.first_name} {hold.patron.last_name}"
    start = f"Hold placed for {who} on {hold.title.title}, for pickup at {hold.pickup_branch.name}."
    if hold.state == S.ROUTED and hold.assigned_item is not None:
        copy = hold.assigned_item
        start = f"{start} A copy at {copy.current_branch.name} will be pulled and sent."
    else:
        position = queue_position(hold)
        reason = hold.explanation.get("reason", "")
        start = f"{start} It waits for a copy. {reason} {position.sentence}".strip()
    if expected is None:
        return start
    if expected.when:
        return f"{start} Ready for pickup: {expected.when}."
    return f"{start} No pickup date can be estimated: {expected.basis}."


def release(
    hold: Hold,
    trigger: str,
    role: str,
    *,
    now: dt.datetime,
    staff: User | None,
    why: str,
    **fields: object,
) -> None:
    """A routed hold gives up its copy (still on its shelf) and waits again."""
    item = hold.assigned_item
    move(hold, trigger, role, assigned_item=None, routed_at=None, **fields)
    record(hold, trigger, now=now, staff=staff, item=item, why=why)


def copy_lost_in_transit(hold: Hold, *, now: dt.datetime, staff: User | None) -> str:
    """The copy on its way to this hold was declared missing in transit (transit.late):
    the hold waits again and is routed at once, as for a copy not on the shelf (PICK-3)."""
    item = hold.assigned_item
    role = role_of(staff, hold) if staff is not None else SYSTEM
    release(hold, "lost_in_transit", role, now=now, staff=staff, why="missing in transit")
    unavailable = frozenset({item.pk}) if item is not None else frozenset()
    route_titles([hold.title_id], now=now, staff=staff, unavailable=unavailable)
    hold.refresh_from_db()
    if hold.state == S.ROUTED:
        return "Its hold was routed to another copy."
    return "Its hold waits for another copy."


# --- the patron's changes: suspend, resume, change pickup (cancel: holds.leaving) ------


@transaction.atomic
def suspend_hold(
    staff: User | None, hold: Hold, until: dt.date, *, now: dt.datetime | None = None
) -> None:
    """Not to be filled until after `until` (the patron is away). A copy routed to it but not
    yet pulled is given up (HOLD-8, then HOLD-14); a copy already on its way or on the
    shelf cannot be. `staff` None: the patron themself."""
    now = now or timezone.now()
    hold = load_hold(hold)
    role = role_of(staff, hold)
    today = inputs.local_date(now)
    if until < today or until > today + dt.timedelta(days=MAX_SUSPEND_DAYS):
        raise HoldError(
            "bad_date", "Suspend until a date from today to a year from now.", decision=""
        )
    if hold.state not in (S.WAITING, S.ROUTED):
        raise HoldError(
            "bad_transition",
            f"The copy for this hold is already {hold.get_state_display().lower()}: "
            "it cannot be suspended now. Cancel it instead if the patron cannot pick it up.",
        )
    routed = hold.state == S.ROUTED
    if routed:
        release(hold, "release", role, now=now, staff=staff, why="suspended")
    move(hold, "suspend", role, suspended_until=until)
    if routed:
        route_titles([hold.title_id], now=now, staff=staff)
    record(hold, "suspended", now=now, staff=staff, until=until.isoformat())


@transaction.atomic
def resume_hold(staff: User | None, hold: Hold, *, now: dt.datetime | None = None) -> None:
    """HOLD-15: a suspended hold waits for a copy again. `staff` None: the patron themself."""
    now = now or timezone.now()
    hold = load_hold(hold)
    if hold.state != S.WAITING or hold.suspended_until is None:
        raise HoldError("bad_transition", "This hold is not suspended.")
    move(hold, "resume", role_of(staff, hold), suspended_until=None)
    record(hold, "resumed", now=now, staff=staff)
    route_titles([hold.title_id], now=now, staff=staff)


@transaction.atomic
def change_pickup(
    staff: User | None, hold: Hold, pickup: Branch, *, now: dt.datetime | None = None
) -> str:
    """A new pickup branch (HOLD-16, HOLD-17). A waiting or routed hold is routed again for
    it; a copy already on its way is sent on when it arrives at the old pickup branch
    (CHECKIN-18). `staff` None: the patron themself."""
    now = now or timezone.now()
    hold = load_hold(hold)
    role = role_of(staff, hold)
    _refuse_closed_pickup(pickup)
    if hold.state not in (S.WAITING, S.ROUTED, S.IN_TRANSIT):
        raise HoldError(
            "bad_transition",
            f"This hold is '{hold.get_state_display()}': its pickup branch cannot change now.",
        )
    old = hold.pickup_branch
    if old.pk == pickup.pk:
        return f"The hold is already for pickup at {pickup.name}."
    if hold.state == S.ROUTED:
        release(hold, "release", role, now=now, staff=staff, why="pickup branch changed")
    move(hold, "change_pickup", role, pickup_branch=pickup)
    record(hold, "pickup_changed", now=now, staff=staff, before=old.code, after=pickup.code)
    if hold.state == S.IN_TRANSIT:
        return (
            f"Pickup changed to {pickup.name}. The copy is on its way to {old.name}; "
            "it is sent on from there."
        )
    route_titles([hold.title_id], now=now, staff=staff)
    return f"Pickup changed to {pickup.name}."
