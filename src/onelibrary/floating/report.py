"""The balancing page's figures: per collection, each branch's floating items against its
capacity, and the moves `balance.plan` suggests over the whole float group. The page and
its CSV read the same `Collection` rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count

from onelibrary.catalog.models import Item
from onelibrary.floating import balance, distance
from onelibrary.floating.models import Capacity, FloatGroup
from onelibrary.floating.placement import NOT_COUNTED, group_branches, nearby_days
from onelibrary.members.models import Branch
from onelibrary.policy.report import safe_cell


@dataclass(frozen=True)
class Row:
    branch: Branch
    count: int
    capacity: int | None
    sending: int  # suggested to send away
    receiving: int  # suggested to receive

    @property
    def over(self) -> int:
        return 0 if self.capacity is None else max(0, self.count - self.capacity)

    @property
    def under(self) -> int | None:
        return None if self.capacity is None else max(0, self.capacity - self.count)

    @property
    def state(self) -> str:
        if self.capacity is None:
            return "no limit"
        if self.over:
            return f"{self.over} over"
        return "at capacity" if self.count == self.capacity else f"{self.under} under"


@dataclass(frozen=True)
class Suggestion:
    count: int
    source: Branch
    target: Branch
    days: float

    @property
    def text(self) -> str:
        items = "item" if self.count == 1 else "items"
        return (
            f"Move {self.count} {items} from {self.source.name} ({self.source.code}) to "
            f"{self.target.name} ({self.target.code}), {self.days:g} courier days"
        )


@dataclass(frozen=True)
class Collection:
    code: str
    rows: list[Row]
    suggestions: list[Suggestion]
    stuck: int  # surplus no branch nearby can take

    @property
    def total(self) -> int:
        return sum(r.count for r in self.rows)


def collections_for(branches: Sequence[Branch], on: dt.date, near: float) -> list[Collection]:
    ids = [b.pk for b in branches]
    counts: dict[tuple[str, int], int] = {}
    for row in (
        Item.objects.filter(home_branch_id__in=ids, floating=True)
        .exclude(status__in=NOT_COUNTED)
        .values("collection", "home_branch_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts[(row["collection"], row["home_branch_id"])] = row["n"]
    limits = {
        (c, b): n
        for c, b, n in Capacity.objects.filter(branch_id__in=ids).values_list(
            "collection", "branch_id", "capacity"
        )
    }
    codes = sorted({c for c, _ in counts} | {c for c, _ in limits})
    return [_collection(code, branches, counts, limits, on, near) for code in codes]


def _collection(
    code: str,
    branches: Sequence[Branch],
    counts: dict[tuple[str, int], int],
    limits: dict[tuple[str, int], int],
    on: dt.date,
    near: float,
) -> Collection:
    shelves = [
        balance.Shelf(b.code, counts.get((code, b.pk), 0), limits.get((code, b.pk)))
        for b in branches
    ]
    by_code = {b.code: b for b in branches}
    sources = [by_code[s.branch] for s in shelves if s.surplus]
    targets = [by_code[s.branch] for s in shelves if s.can_take()]
    moves: list[balance.Move] = []
    after = shelves
    if sources and targets:
        days = distance.matrix(sources, targets, on)
        moves, after = balance.plan(shelves, days, nearby_days=near)
    sending: dict[str, int] = {}
    receiving: dict[str, int] = {}
    for move in moves:
        sending[move.source] = sending.get(move.source, 0) + move.count
        receiving[move.target] = receiving.get(move.target, 0) + move.count
    rows = [
        Row(by_code[s.branch], s.count, s.capacity, sending.get(s.branch, 0),
            receiving.get(s.branch, 0))
        for s in shelves
    ]  # fmt: skip
    suggestions = [
        Suggestion(m.count, by_code[m.source], by_code[m.target], m.days)
        for m in sorted(moves, key=lambda m: (-m.count, m.source, m.target))
    ]
    return Collection(code, rows, suggestions, sum(s.surplus for s in after))


def for_group(group: FloatGroup | None, on: dt.date) -> list[Collection]:
    """Figures for a float group's branches (None: every open branch)."""
    return collections_for(group_branches(group), on, float(nearby_days(group)))


CSV_HEADER = [
    "collection",
    "branch",
    "branch name",
    "floating items",
    "capacity",
    "over capacity by",
    "under capacity by",
    "suggested to send",
    "suggested to receive",
]


def csv_rows(collections: Sequence[Collection]) -> list[list[str]]:
    rows = [CSV_HEADER]
    for collection in collections:
        for row in collection.rows:
            rows.append(
                [
                    safe_cell(v)
                    for v in (
                        collection.code,
                        row.branch.code,
                        row.branch.name,
                        row.count,
                        "" if row.capacity is None else row.capacity,
                        row.over,
                        "" if row.under is None else row.under,
                        row.sending,
                        row.receiving,
                    )
                ]
            )
    return rows
