"""A hold closed while its copy is on the hold shelf: expired (not picked up in time) or
cancelled. The copy goes to the next hold, captured again at the pickup branch (SHELF-1
here, SHELF-2 elsewhere), or home; the instruction is kept on the closing event for the
pickup branch's list to clear (docs/holds/holds.md, "Expiry and the list to clear").

Like `holds.shelf`, this module answers and does not move the copy: `off_the_shelf`,
`cancel` and `expire` return the copy's move and the desk applies it in the same
transaction (`circulation/holds_desk.py`).
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User

from onelibrary.catalog.models import Item
from onelibrary.core.states import SYSTEM
from onelibrary.holds import inputs
from onelibrary.holds.actions import claim, load_hold, move, record, role_of, route_titles
from onelibrary.holds.models import Hold
from onelibrary.holds.shelf import Answer, CopyMove, Send, capture

S = Hold.State


def off_the_shelf(hold: Hold, *, now: dt.datetime, staff: User | None) -> Answer:
    """Where the copy of `hold`, closed while on the shelf, goes: the answer's message is
    the instruction for the "to clear" list; the caller keeps it on the closing event."""
    assert hold.assigned_item_id is not None  # a hold on the shelf has its copy
    item = (
        Item.objects.select_for_update(of=("self",))
        .select_related("title", "owning_library", "home_branch")
        .get(pk=hold.assigned_item_id)
    )
    branch = hold.pickup_branch
    # Whoever closed the hold, the system gives its copy to the next one (HOLD-2, HOLD-3).
    nxt = capture(staff, branch, item, now=now, role=SYSTEM, here="SHELF-1", elsewhere="SHELF-2")
    if nxt is not None:
        patron = nxt.hold.patron
        assert patron is not None  # open: only a closed one loses it (retention.py)
        instruction = (
            f"KEEP ON HOLD SHELF FOR {patron.last_name.upper()}, {patron.first_name.upper()}"
            if nxt.instruction == "HOLD SHELF"
            else nxt.instruction
        )
        return Answer(instruction, nxt.copy)
    if item.floating or item.home_branch_id == branch.pk:
        return Answer("SHELVE", CopyMove(item, "shelve", home=branch))
    home = item.home_branch
    return Answer(
        f"SEND TO {home.name.upper()} ({home.code})",
        CopyMove(item, "send", send=Send(branch, home, "return_home")),
    )


def cancel(staff: User | None, hold: Hold, *, now: dt.datetime) -> Answer:
    """Cancel an open hold (HOLD-13; `staff` None: the patron themself): what happens to
    its copy, in words, and its move (a copy on the hold shelf leaves it)."""
    hold = load_hold(hold)
    before = hold.state
    item = hold.assigned_item
    move(hold, "cancel", role_of(staff, hold), closed_at=now)  # HOLD-13
    released = off_the_shelf(hold, now=now, staff=staff) if before == S.ON_SHELF else Answer("")
    record(
        hold,
        "cancelled",
        now=now,
        staff=staff,
        item=item,
        state_before=before,
        instruction=released.message,
    )
    if before == S.ROUTED:
        route_titles([hold.title_id], now=now, staff=staff)  # its copy may fill another
        return Answer("The hold is cancelled; its copy stays on the shelf.")
    if before == S.IN_TRANSIT:
        return Answer(
            "The hold is cancelled. Its copy is already on its way: it goes on when checked in."
        )
    if before == S.ON_SHELF:
        return Answer(
            f"The hold is cancelled. Its copy on the hold shelf: {released.message}.",
            released.copy,
        )
    return Answer("The hold is cancelled.")


def expired_on_shelf(now: dt.datetime) -> list[int]:
    """The holds on the shelf past their pickup deadline (`shelf_expires_on`)."""
    today = inputs.local_date(now)
    return list(
        Hold.objects.filter(state=S.ON_SHELF, shelf_expires_on__lt=today).values_list(
            "pk", flat=True
        )
    )


def expire(pk: int, *, now: dt.datetime) -> Answer | None:
    """Hold `pk` was not picked up in time: expired, claimed with a conditional UPDATE
    (None: another worker took it). The answer is its copy's instruction and move."""
    if not claim(pk, S.ON_SHELF, "expire", SYSTEM, closed_at=now):  # HOLD-12
        return None
    hold = load_hold(pk)
    released = off_the_shelf(hold, now=now, staff=None)
    record(
        hold,
        "expired",
        now=now,
        item=hold.assigned_item,
        shelf_expires_on=hold.shelf_expires_on.isoformat(),  # type: ignore[union-attr]
        instruction=released.message,
    )
    return released
