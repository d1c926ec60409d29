"""The desk's side of holds: where a hold moves its copy.

Holds decides what a hold does to its copy and answers with a `CopyMove` (holds.shelf,
holds.leaving): onto the hold shelf, into transit for a hold or home, back on the shelf,
missing. It does not write the copy nor ask transit. This module applies the answer in
the same transaction: the copy's move through its owner (`catalog/itemstate`), then the
transit to open (`transit.actions.send_item`). Checkin, checkout, the pick list,
cancelling a hold and the hourly expiry come through here (docs/architecture.md).
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from onelibrary.catalog import itemstate
from onelibrary.catalog.models import Item
from onelibrary.core.states import SYSTEM
from onelibrary.holds import leaving, shelf
from onelibrary.holds.models import Hold
from onelibrary.holds.shelf import CopyMove, HoldInstruction
from onelibrary.members.models import Branch
from onelibrary.transit import actions as transit


def apply(staff: User | None, move: CopyMove | None, *, now: dt.datetime) -> None:
    """Make the copy's move a hold asked for; when it leaves, open its transit."""
    if move is None:
        return
    itemstate.move(move.item, move.trigger, SYSTEM, at=move.at, home=move.home)
    send = move.send
    if send is not None:
        transit.send_item(
            staff,
            move.item,
            send.sender,
            send.receiver,
            reason=send.reason,
            hold_id=send.hold_id,
            now=now,
        )


# --- checkin and checkout ------------------------------------------------------------


def capture_at_checkin(
    staff: User | None,
    branch: Branch,
    item: Item,
    *,
    now: dt.datetime,
    claimable: bool | None = None,
) -> HoldInstruction | None:
    """Does a hold claim the copy checked in (CHECKIN-17/18/19, `shelf.capture_at_checkin`)?
    Its move is made here. Called by check_in inside its transaction."""
    captured = shelf.capture_at_checkin(staff, branch, item, now=now, claimable=claimable)
    if captured is not None:
        apply(staff, captured.copy, now=now)
    return captured


# --- the pick list -------------------------------------------------------------------


@transaction.atomic
def pull_copy(
    staff: User, branch: Branch, item: Item, *, now: dt.datetime | None = None
) -> HoldInstruction:
    """A copy from this branch's pick list, scanned: to the hold shelf (PICK-1) or sent to
    the pickup branch (PICK-2)."""
    now = now or timezone.now()
    pulled = shelf.pull(staff, branch, item, now=now)
    apply(staff, pulled.copy, now=now)
    return pulled


@transaction.atomic
def not_on_shelf(staff: User, branch: Branch, hold: Hold, *, now: dt.datetime | None = None) -> str:
    """PICK-3: the routed copy was not found on the shelf: marked missing, and the hold
    routed again at once. Returns what happened, in words."""
    now = now or timezone.now()
    answer = shelf.not_found(staff, branch, hold, now=now)
    apply(staff, answer.copy, now=now)
    return answer.message


# --- leaving the hold shelf: cancelled or expired ------------------------------------


@transaction.atomic
def cancel_hold(staff: User | None, hold: Hold, *, now: dt.datetime | None = None) -> str:
    """Cancel an open hold (staff, or the patron online with no staff); a copy on the hold
    shelf goes to the next hold or home. Returns what happens to its copy, in words."""
    now = now or timezone.now()
    answer = leaving.cancel(staff, hold, now=now)
    apply(staff, answer.copy, now=now)
    return answer.message


def expire_holds(now: dt.datetime) -> int:
    """Expire the holds not picked up in time, each in its own transaction; their copies
    go to the next hold or home. Returns how many this run expired."""
    done = 0
    for pk in leaving.expired_on_shelf(now):
        with transaction.atomic():
            released = leaving.expire(pk, now=now)
            if released is None:
                continue  # another worker took it
            apply(None, released.copy, now=now)
        done += 1
    return done
