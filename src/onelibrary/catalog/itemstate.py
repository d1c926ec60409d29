"""The one owner of a copy's state: its status, where it is, and where it shelves.

No other code writes `Item.status`, `Item.current_branch` or `Item.home_branch` (a test
reads the source to keep it so). Every move goes through `TABLE`: the status before, the
trigger, the status after, and who may make the move. `move` writes the row with the
status it was read with as a condition, so a move made from a stale copy of the row is
refused rather than applied over another desk's change.

Every part that gives a copy to a hold, sends it, receives it or lends it locks the row
first (`lock`) and then writes it through `move` or `reserve`: `circulation/locks.py`
relies on that (a copy handed to a hold always gets a new row version). The table in
words, with its ids, is docs/circulation/item-states.md.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import F
from django.utils import timezone

from onelibrary.catalog.models import Item, Title
from onelibrary.core.refusals import Refusal
from onelibrary.core.states import (
    ADMINS,
    STAFF,
    SYSTEM,
    StateTable,
    Transition,
    TransitionError,
)
from onelibrary.members.models import Branch

S = Item.Status
__all__ = ["TABLE", "ItemChanged", "TransitionError", "apply", "lock", "move", "reserve"]
DESK_OR_SYSTEM = STAFF | {SYSTEM}
ON_THE_MOVE = (S.AVAILABLE, S.CHECKED_OUT, S.IN_TRANSIT, S.ON_HOLD_SHELF)
OUT_OF_CIRCULATION = (S.MISSING, S.LOST, S.DAMAGED, S.WITHDRAWN, S.IN_PROCESSING)


def _each(befores: tuple[str, ...], trigger: str, after: str, who: frozenset[str]) -> list:
    return [Transition(before, trigger, after, who) for before in befores]


TABLE = StateTable(
    "copy",
    {s.value: s.label for s in S},
    [
        # ITEM-1: lent at a desk (from the shelf, its hold shelf, or a transit not yet gone).
        *_each((S.AVAILABLE, S.ON_HOLD_SHELF, S.IN_TRANSIT), "lend", S.CHECKED_OUT, STAFF),
        # ITEM-2: on the shelf where it is (checked in, received, released, found, relocated).
        *_each(
            (S.AVAILABLE, S.CHECKED_OUT, S.IN_TRANSIT, S.ON_HOLD_SHELF, S.LOST, S.MISSING),
            "shelve",
            S.AVAILABLE,
            DESK_OR_SYSTEM,
        ),
        # ITEM-3: travelling to another branch (home, a hold, float balancing).
        *_each(
            (S.AVAILABLE, S.CHECKED_OUT, S.IN_TRANSIT, S.ON_HOLD_SHELF, S.LOST, S.MISSING),
            "send",
            S.IN_TRANSIT,
            DESK_OR_SYSTEM,
        ),
        # ITEM-4: on the hold shelf for a patron.
        *_each(
            (S.AVAILABLE, S.CHECKED_OUT, S.IN_TRANSIT, S.ON_HOLD_SHELF, S.LOST, S.MISSING),
            "hold_shelf",
            S.ON_HOLD_SHELF,
            DESK_OR_SYSTEM,
        ),
        # ITEM-5: not where it should be (pick list, lost in transit, claimed returned).
        *_each(
            (S.AVAILABLE, S.CHECKED_OUT, S.IN_TRANSIT, S.IN_PROCESSING),
            "declare_missing",
            S.MISSING,
            DESK_OR_SYSTEM,
        ),
        # ITEM-6: lost by its borrower (on loan, or claimed returned and never found).
        *_each((S.CHECKED_OUT, S.MISSING), "mark_lost", S.LOST, DESK_OR_SYSTEM),
        # ITEM-7: damaged: set aside for its library.
        *_each((S.AVAILABLE, S.CHECKED_OUT, S.IN_PROCESSING), "mark_damaged", S.DAMAGED, STAFF),
        # ITEM-8: in processing at its library (cataloguing, repair).
        *_each((S.AVAILABLE, S.DAMAGED, S.MISSING), "process", S.IN_PROCESSING, STAFF),
        # ITEM-9: back in the collection from processing, damage or missing (by the library).
        *_each((S.IN_PROCESSING, S.DAMAGED), "shelve", S.AVAILABLE, STAFF),
        # ITEM-10: withdrawn from the collection: its library's admin or the central office.
        *_each(
            (S.AVAILABLE, S.MISSING, S.LOST, S.DAMAGED, S.IN_PROCESSING),
            "withdraw",
            S.WITHDRAWN,
            ADMINS,
        ),
        # ITEM-11: a withdrawn copy put back, by its library's admin.
        Transition(S.WITHDRAWN, "reinstate", S.AVAILABLE, ADMINS),
    ],
)

# The trigger that puts a copy in each status, for pages that choose a status.
TRIGGER_FOR: dict[str, str] = {
    S.AVAILABLE: "shelve",
    S.CHECKED_OUT: "lend",
    S.IN_TRANSIT: "send",
    S.ON_HOLD_SHELF: "hold_shelf",
    S.MISSING: "declare_missing",
    S.LOST: "mark_lost",
    S.DAMAGED: "mark_damaged",
    S.IN_PROCESSING: "process",
    S.WITHDRAWN: "withdraw",
}


class ItemChanged(Refusal):
    """The row changed since it was read: another desk moved the copy a moment ago."""


def lock(item_id: int) -> Item:
    """The copy's row, locked until the transaction ends (SELECT … FOR UPDATE)."""
    return Item.objects.select_for_update(of=("self",)).select_related("title").get(pk=item_id)


def move(
    item: Item,
    trigger: str,
    role: str,
    *,
    at: Branch | None = None,
    home: Branch | None = None,
    floating: bool | None = None,
) -> str:
    """Make the move `trigger` from the status `item` was read with; `at` is where the copy
    now is, `home` where it now shelves (floating). Returns the new status.

    Refuses (TransitionError) a move the table does not have or the role may not make, and
    (ItemChanged) one whose row has moved on since `item` was read."""
    before = item.status
    after = TABLE.next_state(before, trigger, role)
    columns: dict[str, str | int | bool] = {"status": after}
    if at is not None:
        columns["current_branch_id"] = at.pk
    if home is not None:
        columns["home_branch_id"] = home.pk
    if floating is not None:
        columns["floating"] = floating
    if _update_if(item.pk, before, columns) != 1:
        raise ItemChanged(
            "item_changed",
            f"Copy {item.barcode} was moved at another desk a moment ago. Scan it again.",
        )
    if trigger in LEAVES_OR_RETURNS:
        # Whether a title is still in the collection is part of its record for
        # harvesters (a title all of whose copies are withdrawn is a deleted record).
        Title.objects.filter(pk=item.title_id).update(updated_at=timezone.now())
    item.status = after
    if at is not None:
        item.current_branch = at
    if home is not None:
        item.home_branch = home
    if floating is not None:
        item.floating = floating
    return after


LEAVES_OR_RETURNS = frozenset({"withdraw", "reinstate"})
TABLE_NAME = Item._meta.db_table
WRITABLE = frozenset({"status", "current_branch_id", "home_branch_id", "floating"})


def _update_if(item_id: int, before: str, columns: dict[str, str | int | bool]) -> int:
    """UPDATE the copy's row where its status is still `before`; the rows changed (0 or 1).

    Written as SQL, not through the ORM: every desk scan makes one or two moves, and
    building the ORM's UPDATE cost more than running it. `tests/catalog/test_itemstate.py`
    holds it to the ORM's form of the same update."""
    assert set(columns) <= WRITABLE  # the names below are ours, never a caller's text
    sets = ", ".join(f"{name} = %s" for name in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {TABLE_NAME} SET {sets} WHERE id = %s AND status = %s",  # noqa: S608
            [*columns.values(), item_id, before],
        )
        return cursor.rowcount


def apply(item: Item, changes: dict, role: str, *, at: Branch | None = None) -> str:
    """`move` from a change a part returned as fields (`status`, `home_branch`,
    `floating`), such as floating's placement at checkin."""
    status = changes.get("status", item.status)
    return move(
        item,
        TRIGGER_FOR[status],
        role,
        at=at,
        home=changes.get("home_branch"),
        floating=changes.get("floating"),
    )


def reserve(item_id: int) -> bool:
    """Give a copy on the shelf to a hold (routing), if it is still available and no desk
    holds it right now. The row is locked and written, so a desk scan that waited for it
    sees a new version (`circulation/locks.py`) and the hold routed to it.

    A row a desk holds is skipped, not waited for (SKIP LOCKED on PostgreSQL): the desk
    may be lending it, and routing waiting on a desk that waits on routing (to route the
    title again) would deadlock. False: the copy is not routed this time."""
    free = Item.objects.select_for_update(skip_locked=True, of=("self",)).filter(
        pk=item_id, status=S.AVAILABLE
    )
    if not free.exists():
        return False
    Item.objects.filter(pk=item_id).update(status=F("status"))
    return True
