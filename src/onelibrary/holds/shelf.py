"""A copy meets its hold: pulled from the pick list, captured or arriving at checkin, on
the hold shelf, or lent to its patron. States move through `actions.claim`'s table;
`holds.leaving` takes a copy off the shelf when its hold expires or is cancelled.

Holds answers and does not move the copy: each function here that gives a copy a new
place returns it as a `CopyMove` (the move, and the transit to open if it leaves), and
the desk applies it in the same transaction (`circulation/holds_desk.py`: checkin,
the pick list). Holds never asks transit or circulation (docs/architecture.md).
`shelf_hold_for` and `after_checkout` (CHECKOUT-16) move no copy: checkout calls them.
Hold states move in the role of the desk where the copy is scanned, or as the system
when a copy leaving the hold shelf is captured for the next hold (`holds.states`).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from onelibrary.catalog import itemstate
from onelibrary.catalog.models import Item
from onelibrary.core.duedates import next_open_day
from onelibrary.core.states import SYSTEM
from onelibrary.holds import expecting, inputs, routing
from onelibrary.holds.actions import (
    HoldError,
    check_staff_at,
    load_hold,
    lock_titles,
    move,
    record,
    release,
    route_titles,
)
from onelibrary.holds.models import Hold, HoldEvent, may_claim
from onelibrary.holds.queries import explanation_record
from onelibrary.members import kept as members_kept
from onelibrary.members.models import Branch
from onelibrary.patrons.models import Patron
from onelibrary.policy.models import GroupPolicy
from onelibrary.policy.resolve import NoRuleError

log = logging.getLogger(__name__)
S = Hold.State


@dataclass(frozen=True)
class Send:
    """The copy travels: the desk opens the transit from `sender` to `receiver`.
    `reason` is the transit's: "hold" (for hold `hold_id`) or "return_home"."""

    sender: Branch
    receiver: Branch
    reason: str
    hold_id: int | None = None


@dataclass(frozen=True)
class CopyMove:
    """What a hold does to its copy, for the desk to apply: the copy's move
    (`catalog/itemstate`'s trigger, `at` where it now is, `home` where it now shelves),
    then, when it leaves, `send`."""

    item: Item
    trigger: str
    at: Branch | None = None
    home: Branch | None = None
    send: Send | None = None


@dataclass(frozen=True)
class HoldInstruction:
    """What to do with a copy a hold has claimed: the checkin or pick-list line, and the
    copy's move for the desk to apply."""

    decision: str
    instruction: str
    message: str
    hold: Hold
    copy: CopyMove


@dataclass(frozen=True)
class Answer:
    """What happened, in words, and the copy's move (if any) for the desk to apply."""

    message: str
    copy: CopyMove | None = None


def _shelf_until(branch: Branch, today: dt.date) -> dt.date:
    closed = members_kept.closed_dates(branch.pk, today)
    days = GroupPolicy.current().hold_shelf_days
    return next_open_day(today + dt.timedelta(days=days), branch.open_days, closed)


def _notify(hold: Hold, now: dt.datetime) -> None:
    """Tell the patron the copy is ready; sent once the transaction has committed."""
    patron = hold.patron
    assert patron is not None  # open: only a closed one loses it (retention.py)
    if not patron.email:
        record(hold, "notice_not_sent", now=now, reason="The patron has no email address.")
        return
    branch = hold.pickup_branch
    subject = f"Ready for pickup: {hold.title.title}"
    body = (
        f"Dear {patron.first_name},\n\n{hold.title.title} is waiting for you on the hold shelf "
        f"at {branch.name}{', ' + branch.address if branch.address else ''}.\n"
        f"Please pick it up by {hold.shelf_expires_on:%A %d %B %Y}; after that it goes to "
        "the next patron.\n"
    )
    record(hold, "notice_sent", now=now, to=patron.email, subject=subject)

    def send() -> None:
        try:
            send_mail(subject, body, None, [patron.email])
        except Exception:  # the hold is on the shelf either way; a lost notice is logged
            log.exception("could not send the hold notice for hold %s", hold.pk)

    transaction.on_commit(send)


def _to_shelf_or_send(
    hold: Hold,
    item: Item,
    branch: Branch,
    trigger: str,
    *,
    now: dt.datetime,
    staff: User | None,
    role: str,
    here: str,
    elsewhere: str,
) -> HoldInstruction:
    """`item`, in hand at `branch`, now fills `hold`: onto the hold shelf when `branch` is
    the pickup branch (decision `here`, `trigger`_to_shelf), else into transit to it
    (`elsewhere`, `trigger`_to_send). The copy's move is in the answer."""
    pickup = hold.pickup_branch
    patron = hold.patron
    assert patron is not None  # open: only a closed one loses it (retention.py)
    who = f"{patron.last_name}, {patron.first_name} (card …{patron.card[-4:]})"
    if pickup.pk == branch.pk:
        until = _shelf_until(pickup, inputs.local_date(now))
        move(
            hold,
            f"{trigger}_to_shelf",
            role,
            assigned_item=item,
            lending_branch=branch,  # for reports: the copy started here
            shelf_since=now,
            shelf_expires_on=until,
        )
        record(hold, "on_shelf", now=now, staff=staff, item=item, until=until.isoformat())
        _notify(hold, now)
        return HoldInstruction(
            here,
            "HOLD SHELF",
            f"{item.title.title}: on the hold shelf for {who} until {until:%a %d %b}.",
            hold,
            CopyMove(item, "hold_shelf", at=branch),
        )
    move(hold, f"{trigger}_to_send", role, assigned_item=item, lending_branch=branch)
    record(hold, "in_transit", now=now, staff=staff, item=item, origin=branch.code)
    expecting.remember([hold], now)  # its copy is on its way: a firmer day (EXPECT-2)
    return HoldInstruction(
        elsewhere,
        f"SEND TO {pickup.name.upper()} ({pickup.code}) FOR HOLD",
        f"{item.title.title}: for {who}'s hold, to be picked up at {pickup.name}.",
        hold,
        _send_for(hold, item, branch),
    )


def _send_for(hold: Hold, item: Item, branch: Branch) -> CopyMove:
    pickup = hold.pickup_branch
    return CopyMove(item, "send", at=branch, send=Send(branch, pickup, "hold", hold.pk))


def capture_at_checkin(
    staff: User | None,
    branch: Branch,
    item: Item,
    *,
    now: dt.datetime,
    claimable: bool | None = None,
) -> HoldInstruction | None:
    """A copy checked in at `branch`: does a hold claim it? Asked by circulation's
    check_in inside its transaction, after the loan (if any) is closed; the desk applies
    the answer's `copy` (`circulation/holds_desk.py`).

    - CHECKIN-19: in transit for a hold, arrived at its pickup branch → hold shelf.
    - CHECKIN-18: in transit for a hold whose pickup branch is elsewhere → send it on.
    - a copy routed to a hold and scanned here instead of from the pick list: pulled.
    - CHECKIN-17 / 18: else captured for the best open hold under the routing rules
      (`routing.capture`), here or elsewhere; the title's other holds are routed again.

    `claimable` is `may_claim(item)` when the caller has asked it already (checkin reads
    `holds.models.may_claim_sql` with its lock); None asks it here.
    """
    if not (may_claim(item) if claimable is None else claimable):
        return None
    role = check_staff_at(staff, branch) if staff is not None else SYSTEM
    own = (
        Hold.objects.filter(assigned_item=item, state__in=(S.ROUTED, S.IN_TRANSIT))
        .select_related("patron__home_library", "pickup_branch")
        .first()
    )
    if own is not None and own.state == S.IN_TRANSIT:
        if own.pickup_branch_id == branch.pk:
            return _to_shelf_or_send(
                own,
                item,
                branch,
                "arrive",
                now=now,
                staff=staff,
                role=role,
                here="CHECKIN-19",
                elsewhere="CHECKIN-18",
            )
        pickup = own.pickup_branch
        return HoldInstruction(
            "CHECKIN-18",
            f"SEND TO {pickup.name.upper()} ({pickup.code}) FOR HOLD",
            f"{item.title.title} is on its way to a hold at {pickup.name}: send it on.",
            own,
            _send_for(own, item, branch),
        )
    if own is not None:
        return _to_shelf_or_send(
            own,
            item,
            branch,
            "pull",
            now=now,
            staff=staff,
            role=role,
            here="CHECKIN-17",
            elsewhere="CHECKIN-18",
        )
    return capture(
        staff, branch, item, now=now, role=role, here="CHECKIN-17", elsewhere="CHECKIN-18"
    )


def capture(
    staff: User | None,
    branch: Branch,
    item: Item,
    *,
    now: dt.datetime,
    role: str,
    here: str,
    elsewhere: str,
) -> HoldInstruction | None:
    """The best waiting hold under the routing rules (`routing.capture`) takes `item`, in
    hand at `branch`: decision `here` for this branch's hold shelf, `elsewhere` to send it.
    None: no waiting hold may have it. The title's other holds are routed again."""
    candidates = Hold.objects.filter(title_id=item.title_id, state=S.WAITING)
    if not candidates.exists():
        return None
    lock_titles([item.title_id])
    today = inputs.local_date(now)
    try:
        copy = inputs.copy_of(item, inputs.RuleCache(), available=True, at_branch_id=branch.pk)
    except NoRuleError:
        return None  # the group's rules are incomplete: checkin goes on without holds
    if not copy.holdable or copy.exempt:
        return None
    holds = {
        h.pk: h
        for h in candidates.filter(inputs.not_suspended(today)).select_related(
            "patron__home_library", "pickup_branch"
        )
    }
    requests = [inputs.request_of(h) for h in sorted(holds.values(), key=_queue_key)]
    if not requests:
        return None
    network = inputs.network_for({branch.pk}, {h.pickup_branch_id for h in holds.values()}, today)
    explanation = routing.capture(
        copy,
        requests,
        network,
        lending_load=inputs.lending_load(today),
        load_weight=inputs.load_weight(),
        today=today,
    )
    hold = holds.get(explanation.hold_id) if explanation.chosen_copy_id == item.pk else None
    if hold is None:
        return None
    stored = explanation_record(explanation, kind="capture", now=now)
    Hold.objects.filter(pk=hold.pk).update(explanation=stored)
    record(
        hold,
        "captured",
        now=now,
        staff=staff,
        item=item,
        branch=branch.code,
        explanation=stored,
    )
    answer = _to_shelf_or_send(
        hold,
        item,
        branch,
        "capture",
        now=now,
        staff=staff,
        role=role,
        here=here,
        elsewhere=elsewhere,
    )
    route_titles([item.title_id], now=now, staff=staff)  # on capture
    return answer


def _queue_key(hold: Hold) -> tuple[dt.datetime, int]:
    return (hold.placed_at, hold.pk)


# --- checkout: the hold shelf copy goes home with its patron (CHECKOUT-16) ------------


def shelf_hold_for(item: Item, patron: Patron) -> Hold | None:
    """The hold on the shelf that this copy fills for this patron, if any."""
    return Hold.objects.filter(assigned_item=item, patron=patron, state=S.ON_SHELF).first()


def after_checkout(
    staff: User, patron: Patron, item: Item, *, now: dt.datetime, waits: bool | None = None
) -> Hold | None:
    """Called by circulation's check_out inside its transaction, once the loan is made.

    CHECKOUT-16: the copy was on the hold shelf for this patron: the hold is fulfilled.
    A copy routed to a hold but lent at the desk before it was pulled no longer fills
    that hold: the hold waits again and its title is routed again.

    `waits` is False when the caller knows no such hold exists (checkout reads
    `holds.models.waits_on_copy_sql` with its lock): nothing is asked then.
    """
    if waits is False:
        return None
    hold = (
        Hold.objects.filter(assigned_item=item, state__in=(S.ON_SHELF, S.ROUTED))
        .select_related("patron__home_library")
        .first()
    )
    if hold is None:
        return None
    role = check_staff_at(staff, item.current_branch)  # the checkout desk's branch
    if hold.state == S.ON_SHELF and hold.patron_id == patron.pk:
        # For reports (docs/insights.md): whose copy filled it.
        move(hold, "fulfil", role, closed_at=now, owning_library_id=item.owning_library_id)
        record(hold, "filled", now=now, staff=staff, item=item)  # lending load counts these
        return hold
    if hold.state == S.ROUTED:
        release(
            hold, "release", role, now=now, staff=staff, why="lent at the desk before it was pulled"
        )
        route_titles([hold.title_id], now=now, staff=staff)
    return None


# --- the pick list: pulled, or not on the shelf --------------------------------------


def pull(staff: User, branch: Branch, item: Item, *, now: dt.datetime) -> HoldInstruction:
    """A copy from this branch's pick list, scanned: to the hold shelf when the patron
    picks up here (PICK-1), else into transit to the pickup branch (PICK-2; its current
    branch unchanged). The desk applies the copy's move (`circulation/holds_desk.py`)."""
    role = check_staff_at(staff, branch)
    item = itemstate.lock(item.pk)
    hold = Hold.objects.filter(assigned_item=item, state=S.ROUTED).first()
    if hold is None or item.current_branch_id != branch.pk:
        where = (
            f" It is on the pick list of {item.current_branch.name}." if hold is not None else ""
        )
        raise HoldError(
            "not_on_pick_list",
            f"{item.title.title} ({item.barcode}) is not on this branch's pick list.{where} "
            "If it was returned, check it in instead.",
        )
    hold = load_hold(hold)
    return _to_shelf_or_send(
        hold,
        item,
        branch,
        "pull",
        now=now,
        staff=staff,
        role=role,
        here="PICK-1",
        elsewhere="PICK-2",
    )


def not_found(staff: User, branch: Branch, hold: Hold, *, now: dt.datetime) -> Answer:
    """PICK-3: the routed copy was not found on the shelf: it is to be marked missing, and
    the hold is routed again at once, without it."""
    role = check_staff_at(staff, branch)
    hold = load_hold(hold)
    item = hold.assigned_item
    if hold.state != S.ROUTED or item is None or item.current_branch_id != branch.pk:
        raise HoldError("not_on_pick_list", "That hold is no longer on this branch's pick list.")
    item = itemstate.lock(item.pk)
    missing = CopyMove(item, "declare_missing") if item.status == Item.Status.AVAILABLE else None
    release(hold, "not_on_shelf", role, now=now, staff=staff, why="not found on the shelf")
    # Its row says "available" until the desk marks it missing: routing counts it gone.
    gone = frozenset({item.pk}) if missing is not None else frozenset()
    route_titles([hold.title_id], now=now, staff=staff, gone=gone)
    hold.refresh_from_db()
    if hold.state == S.ROUTED:
        message = f"{item.barcode} is marked missing. Another copy was routed to the hold."
    else:
        message = f"{item.barcode} is marked missing. The hold waits for another copy."
    return Answer(message, missing)


# --- leaving the hold shelf: expired or cancelled --------------------------------------


@transaction.atomic
def clear_from_shelf(
    staff: User, branch: Branch, hold: Hold, *, now: dt.datetime | None = None
) -> None:
    """Staff have taken the copy of an expired or cancelled hold off the hold shelf."""
    now = now or timezone.now()
    check_staff_at(staff, branch)
    hold = load_hold(hold)
    if hold.pickup_branch_id != branch.pk or hold.state not in (S.EXPIRED, S.CANCELLED):
        raise HoldError("not_to_clear", "That copy is not on this branch's list to clear.")
    if not HoldEvent.objects.filter(hold=hold, kind="shelf_cleared").exists():
        record(hold, "shelf_cleared", now=now, staff=staff, item=hold.assigned_item)
