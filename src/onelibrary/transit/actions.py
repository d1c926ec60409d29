"""Transit actions: the only code that changes transits.

`send_item` is the one way an item starts travelling (the desk calls it for checkin, for
a copy a hold sends, and float balancing); `receive_item` ends a journey when the item
is scanned in at a branch. The circulation actions call `after_checkin`,
`waiting_to_leave` and `release_for_checkout` inside their own transactions. Transit
knows a transit's hold only by its id: whether that hold is open is the desk's question
to holds (`circulation/actions.py`). Crates are in `transit.crates`, unpacking at the
receiving end in `transit.receiving`, late and lost items in `transit.late`. Each action
checks what it is given, moves through the table in `transit.states` and writes a
`TransitEvent`; a refusal raises `TransitError` (a `Refusal`) and changes nothing.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from onelibrary.catalog import itemstate
from onelibrary.catalog.models import Item
from onelibrary.core.refusals import Refusal
from onelibrary.core.states import SYSTEM, StateTable
from onelibrary.courier import actions as courier_actions
from onelibrary.courier import days as courier_days
from onelibrary.members.access import role_at_branch
from onelibrary.members.models import Branch
from onelibrary.transit import states
from onelibrary.transit.models import Crate, CrateItem, Transit, TransitEvent, TransitSettings

T = Transit.State


class TransitError(Refusal):
    """A refused transit or crate action: `message` says what is wrong and what to do."""


def record(
    kind: str,
    *,
    now: dt.datetime,
    staff: User | None,
    branch: Branch | None,
    transit: Transit | None = None,
    crate: Crate | None = None,
    item: Item | None = None,
    **detail: object,
) -> TransitEvent:
    if item is None and transit is not None:
        item = transit.item
    return TransitEvent.objects.create(
        kind=kind,
        at=now,
        staff=staff,
        branch=branch,
        transit=transit,
        crate=crate,
        item=item,
        detail=detail,
    )


def role_for(staff: User | None, branch: Branch) -> str:
    """The role a move at `branch` is made in: the staff member's role at its library
    (refused for another library's staff), or SYSTEM when no staff acts (background work,
    such as the hold shelf's expiry sending a copy home)."""
    if staff is None:
        return SYSTEM
    try:
        return role_at_branch(staff, branch)
    except Refusal as error:
        raise TransitError(
            error.code,
            f"You do not work for {branch.library.name}, so you cannot send or receive "
            f"items at {branch.name}. Choose one of your own library's branches.",
        ) from error


def next_state(table: StateTable, before: str | None, trigger: str, role: str) -> str:
    """`table`'s state after `trigger` (TRANSIT-n, CRATE-n), refused in the table's words
    when it has no such move or `role` may not make it."""
    try:
        return table.next_state(before, trigger, role)
    except states.TransitionError as error:
        raise TransitError("bad_transition", str(error)) from error


def move(transit: Transit, trigger: str, role: str, **fields: object) -> None:
    """Move `transit` by `trigger` in `role` if it is still in the state read (a conditional
    UPDATE); refused in the table's words for a move it has not or `role` may not make."""
    after = next_state(states.TRANSIT_TABLE, transit.state, trigger, role)
    updated = Transit.objects.filter(pk=transit.pk, state=transit.state).update(
        state=after, **fields
    )
    if updated != 1:
        raise TransitError(
            "transit_changed",
            "This item's transit was changed a moment ago at another desk. Scan it again.",
        )
    transit.refresh_from_db()


def open_transit_of(item: Item | int, *, lock: bool = False) -> Transit | None:
    pk = item if isinstance(item, int) else item.pk
    found = Transit.objects.filter(item_id=pk, state__in=states.OPEN).select_related(
        "sender", "receiver", "crate", "item__title"
    )
    if lock:
        found = found.select_for_update(of=("self",))
    return found.first()


def _local(now: dt.datetime) -> dt.date:
    return timezone.localtime(now).date()


def expected_on(sender_id: int, receiver_id: int, shipped_on: dt.date) -> dt.date:
    """When an item shipped on `shipped_on` is expected at its receiver: the courier app's
    answer (`courier.days`, DAYS-1 to DAYS-4); with no route (DAYS-5), the group's
    `fallback_courier_days` (docs/transit.md)."""
    arrival = courier_days.expected_arrival(sender_id, receiver_id, shipped_on)
    if arrival is not None:
        return arrival
    return shipped_on + dt.timedelta(days=TransitSettings.current().fallback_courier_days)


def _take_out_of_crate(transit: Transit, *, now: dt.datetime, why: str) -> None:
    CrateItem.objects.filter(transit=transit, removed_at__isnull=True).update(
        removed_at=now, removed_why=why[:200]
    )


# --- sending -----------------------------------------------------------------------


@transaction.atomic
def send_item(
    staff: User | None,
    item: Item,
    sender: Branch,
    receiver: Branch,
    *,
    reason: str,
    hold_id: int | None = None,
    note: str = "",
    now: dt.datetime | None = None,
) -> Transit:
    """Start `item` (in hand at `sender`) travelling to `receiver`; the item is in transit.

    Called by checkin (CHECKIN-2, CHECKIN-6), by the desk for a copy a hold sends (pulled
    or captured for another branch's pickup, `hold_id` the hold's; leaving the hold
    shelf for home), and by float balancing (`reason="float_balance"`). If the
    item already has an open transit: to the same receiver from here it is kept (a repeat);
    one from another branch, or already shipped, is received here first; one from here not
    yet shipped is cancelled (re-routed). Refused: the receiver is the sender, a branch
    closed for good, or an item on loan.
    """
    now = now or timezone.now()
    role = role_for(staff, sender)
    if reason not in Transit.Reason.values:
        raise TransitError("bad_reason", f"'{reason}' is not a reason to send an item.")
    item = itemstate.lock(item.pk)
    if receiver.pk == sender.pk:
        raise TransitError(
            "same_branch",
            f"{item.title.title} is already at {sender.name}: there is nowhere to send it.",
        )
    if not receiver.is_active:
        raise TransitError(
            "receiver_closed",
            f"{receiver.name} is closed for good and cannot receive items. Choose another branch.",
        )
    if item.status == Item.Status.CHECKED_OUT:
        raise TransitError(
            "on_loan",
            f"{item.title.title} ({item.barcode}) is on loan. Check it in first; "
            "checkin says where it goes.",
        )
    current = open_transit_of(item, lock=True)
    if current is not None:
        if current.sender_id == sender.pk and current.receiver_id == receiver.pk:
            if current.reason != reason or current.hold_id != hold_id:
                Transit.objects.filter(pk=current.pk).update(reason=reason, hold_id=hold_id)
                current.refresh_from_db()
                record("reason_changed", now=now, staff=staff, branch=sender, transit=current)
            return current
        if current.sender_id != sender.pk or current.state == T.SHIPPED:
            _receive(current, staff, sender, role, now=now)
        else:
            _cancel(current, staff, sender, role, now=now, why=f"re-routed to {receiver.code}")
    transit = Transit.objects.create(
        item=item,
        sender=sender,
        receiver=receiver,
        reason=reason,
        state=next_state(states.TRANSIT_TABLE, None, "open", role),
        hold_id=hold_id,
        created_at=now,
        created_by=staff,
        note=note[:300],
    )
    itemstate.move(item, "send", SYSTEM, at=sender)
    record(
        "opened",
        now=now,
        staff=staff,
        branch=sender,
        transit=transit,
        reason=reason,
        sender=sender.code,
        receiver=receiver.code,
        hold=hold_id,
    )
    return transit


def _receive(
    transit: Transit, staff: User | None, branch: Branch, role: str, *, now: dt.datetime
) -> None:
    before = transit.state
    move(transit, "receive", role, received_at=now, received_branch=branch, closed_at=now)
    if transit.shipped_at is not None and branch.pk == transit.receiver_id:
        # What the courier learns its times from (DAYS-1): items that went by courier and
        # reached the branch they were sent to.
        courier_actions.record_trip(
            transit.sender_id, transit.receiver_id, shipped_at=transit.shipped_at, received_at=now
        )
    if before != T.SHIPPED:
        _take_out_of_crate(transit, now=now, why=f"turned up at {branch.code} before shipping")
    CrateItem.objects.filter(transit=transit, removed_at__isnull=True, arrived_at=None).update(
        arrived_at=now
    )
    where = "at its receiver" if branch.pk == transit.receiver_id else "elsewhere"
    record(
        "received" if before != T.MISSING else "found",
        now=now,
        staff=staff,
        branch=branch,
        transit=transit,
        crate=transit.crate,
        state_before=before,
        where=where,
    )


def _cancel(
    transit: Transit,
    staff: User | None,
    branch: Branch,
    role: str,
    *,
    now: dt.datetime,
    why: str,
) -> None:
    before = transit.state
    move(transit, "cancel", role, closed_at=now, note=why[:300])
    _take_out_of_crate(transit, now=now, why=why)
    record(
        "cancelled",
        now=now,
        staff=staff,
        branch=branch,
        transit=transit,
        crate=transit.crate,
        state_before=before,
        why=why,
    )


@transaction.atomic
def receive_item(
    staff: User | None, branch: Branch, item: Item, *, now: dt.datetime | None = None
) -> Transit | None:
    """The item is scanned in at `branch`: its open transit (if it has left its sender, or
    is scanned at another branch) ends here. Returns the transit received, if any. An item
    declared missing in transit and now found has that transit received too."""
    now = now or timezone.now()
    role = role_for(staff, branch)
    current = open_transit_of(item, lock=True)
    if current is not None:
        if current.sender_id == branch.pk and current.state != T.SHIPPED:
            return None  # still waiting to leave here
        _receive(current, staff, branch, role, now=now)
        return current
    lost = Transit.objects.filter(item=item, state=T.MISSING).order_by("-pk").first()
    if lost is not None:
        _receive(lost, staff, branch, role, now=now)
        return lost
    return None


@transaction.atomic
def cancel_transit(
    staff: User | None,
    branch: Branch,
    transit: Transit,
    *,
    why: str,
    now: dt.datetime | None = None,
) -> None:
    """The item no longer travels: it never left `branch` (its sender)."""
    now = now or timezone.now()
    role = role_for(staff, branch)
    transit = Transit.objects.select_for_update(of=("self",)).get(pk=transit.pk)
    if transit.sender_id != branch.pk:
        raise TransitError(
            "not_here",
            "Only the sending branch can cancel a transit that has not left. "
            "Scan the item in at checkin instead.",
        )
    _cancel(transit, staff, branch, role, now=now, why=why)


# --- the circulation desk's hooks --------------------------------------------------


def after_checkin(
    staff: User | None,
    branch: Branch,
    item: Item,
    send_to: Branch | None = None,
    reason: str = "",
    *,
    now: dt.datetime | None = None,
) -> None:
    """Called by circulation's check_in, inside its transaction, once the item's new status
    is written; `send_to` and `reason` are checkin's `Destination`.

    The item's open transit ends here unless it is still waiting to leave this branch.
    An item checkin left in transit, with no open transit from here, starts one to
    `send_to`, else home. (A copy a hold sends has its transit opened by the desk before
    this, from holds' answer.) A transit from here that has not left is cancelled when
    checkin kept the item here (e.g. captured for a hold here).
    """
    now = now or timezone.now()
    item = Item.objects.select_related("home_branch", "title").get(pk=item.pk)
    role = role_for(staff, branch)
    received = receive_item(staff, branch, item, now=now)
    current = open_transit_of(item, lock=True) if received is None else None
    if item.status == Item.Status.IN_TRANSIT:
        if current is None:
            receiver = send_to or item.home_branch
            why = (reason or Transit.Reason.OTHER) if send_to else Transit.Reason.RETURN_HOME
            if receiver.pk != branch.pk:
                send_item(staff, item, branch, receiver, reason=why, now=now)
    elif current is not None:
        _cancel(current, staff, branch, role, now=now, why="kept here at checkin")


def waiting_to_leave(branch: Branch, item: Item) -> Transit | None:
    """The item's open transit, locked, when the item is still at `branch` waiting to
    leave it (not shipped): checkout may release it (CHECKOUT-18). None otherwise."""
    current = open_transit_of(item, lock=True)
    if current is None or current.sender_id != branch.pk or current.state == T.SHIPPED:
        return None
    return current


def release_for_checkout(
    staff: User,
    branch: Branch,
    transit: Transit,
    *,
    now: dt.datetime | None = None,
) -> None:
    """CHECKOUT-18: called by circulation's check_out, inside its transaction, for an item
    whose transit is `waiting_to_leave` this branch and not for a hold still open (the
    desk decides that, `circulation/decide.py`): the transit is cancelled and the item is
    available here again, to be lent."""
    now = now or timezone.now()
    item = transit.item
    role = role_for(staff, branch)
    _cancel(transit, staff, branch, role, now=now, why="lent at the sending branch")
    itemstate.move(itemstate.lock(item.pk), "shelve", role, at=branch)
    record(
        "released_for_checkout",
        now=now,
        staff=staff,
        branch=branch,
        transit=transit,
        decision="CHECKOUT-18",
    )
