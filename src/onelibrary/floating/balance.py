"""Float balancing: where a surplus floating item goes. Pure: plain dataclasses, no ORM.

Each branch has a capacity per collection: how many floating items of that collection
its shelves are meant to hold (none set: no limit). A branch holding more than its
capacity is over capacity; checkin there sends the item just returned to the branch
furthest under capacity nearby (`choose`), and the balancing page moves the whole
surplus of a group the same way, one item at a time (`plan`).

"Furthest under capacity" is the lowest fill (count / capacity); ties go to the branch
with more room, then the fewer courier days, then the branch code, so the answer never
depends on the order the branches come in. A branch receives an item only if it still
is at or under capacity with it, and only if it is "nearby": reachable within
`nearby_days` courier days. A branch with no capacity set never receives: the group
has not said it has room.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction


@dataclass(frozen=True)
class Shelf:
    """One branch's floating items of one collection against its capacity."""

    branch: str  # the branch code
    count: int
    capacity: int | None = None  # None: no limit

    @property
    def surplus(self) -> int:
        """Items over capacity (0 at or under capacity, or with no limit)."""
        return 0 if self.capacity is None else max(0, self.count - self.capacity)

    @property
    def room(self) -> int | None:
        """Items it can still take (None: no limit; negative: over capacity)."""
        return None if self.capacity is None else self.capacity - self.count

    def can_take(self) -> bool:
        return self.capacity is not None and self.count + 1 <= self.capacity


@dataclass(frozen=True)
class Move:
    """Move `count` floating items of a collection from one branch to another."""

    source: str
    target: str
    count: int
    days: float


def _rank(shelf: Shelf, days: float) -> tuple[Fraction, int, float, str]:
    assert shelf.capacity  # only branches that can take an item are ranked
    return (
        Fraction(shelf.count, shelf.capacity),
        -(shelf.capacity - shelf.count),
        days,
        shelf.branch,
    )


def choose(
    here: Shelf,
    others: Sequence[Shelf],
    days: Mapping[str, float | None],
    *,
    nearby_days: float,
) -> str | None:
    """The branch a floating item checked in at `here` should go to, or None to keep it.

    `here.count` already counts the item in hand. `days[code]` is the courier days from
    here to that branch (None or missing: no known route, so not nearby).
    """
    if here.capacity is None or here.count <= here.capacity:
        return None
    best: tuple[Fraction, int, float, str] | None = None
    for shelf in others:
        trip = days.get(shelf.branch)
        if shelf.branch == here.branch or trip is None or trip > nearby_days:
            continue
        if not shelf.can_take():
            continue
        rank = _rank(shelf, trip)
        if best is None or rank < best:
            best = rank
    return None if best is None else best[3]


def plan(
    shelves: Sequence[Shelf],
    days: Mapping[tuple[str, str], float | None],
    *,
    nearby_days: float,
) -> tuple[list[Move], list[Shelf]]:
    """Suggested moves that bring a group's branches within capacity, and the shelves
    after them. The most over-capacity branch sends first (ties: by code), one item at a
    time, each to the branch `choose` picks; stops when no surplus can go anywhere.
    Each move lowers the group's total surplus by one, so this ends."""
    now = {s.branch: s for s in shelves}
    moved: dict[tuple[str, str], int] = {}
    stuck: set[str] = set()
    while True:
        senders = sorted(
            (s for s in now.values() if s.surplus and s.branch not in stuck),
            key=lambda s: (-s.surplus, s.branch),
        )
        if not senders:
            break
        source = senders[0]
        trips = {code: days.get((source.branch, code)) for code in now}
        target = choose(source, list(now.values()), trips, nearby_days=nearby_days)
        if target is None:
            stuck.add(source.branch)
            continue
        now[source.branch] = replace(source, count=source.count - 1)
        now[target] = replace(now[target], count=now[target].count + 1)
        moved[(source.branch, target)] = moved.get((source.branch, target), 0) + 1
    moves = [
        Move(source, target, count, float(days[(source, target)] or 0))
        for (source, target), count in sorted(moved.items())
    ]
    return moves, [now[s.branch] for s in shelves]
