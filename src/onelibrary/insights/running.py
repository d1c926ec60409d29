"""Running totals of the pair, fill and send tables, and reading any period from them in
a few slices.

A group of 300 members has up to 90,000 pairs of members, and most of them lend every
month: a year of `PairDay` or `TransitDays` holds millions of rows, and even monthly
rollups leave a million to add up for a year. So those tables also keep running totals
(models.py: `PairRunning`, `TransitRunning`, `FillRunning`, `SendRunning`), whose rows
do not grow with the period's length: at each **boundary** — the 10th, the 20th and the
last day of every month — one row per key (a pair of members, a member and a number of
days, …) with everything counted up to and including that day. Then, with C(d) the
running total at day d,

    period [start, end] = C(end) − C(start − 1)

and C(d) is the nearest boundary's row, plus or minus the days between it and d (at most
five). A period of any length reads two slices of pairs and at most ten days.

`bring_up_to_date(since)` rewrites the running totals of every boundary from `since`'s
onward, each from the one before and its own days, in SQL (INSERT … SELECT … GROUP BY):
the nightly build writes one; a day rebuilt late rewrites those after it.
`summed(kind, start, end)` answers a period. Transit times are columns of one row per
pair (`days_0` … `days_14`, `days_more`): a histogram per pair, and the daily rows are
spread into those columns as they are added.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.db import connection, models
from django.db.models import Max, Min

from onelibrary.insights.models import (
    TRANSIT_COLUMNS,
    BuiltDay,
    FillDays,
    FillRunning,
    PairDay,
    PairRunning,
    RunningBoundary,
    SendDays,
    SendRunning,
    TransitDays,
    TransitRunning,
)
from onelibrary.insights.rollup import columns, last_of

# A slice of pairs costs about as much to read as this many days of daily rows (a day of a
# big group has a quarter of its pairs): a short period is read from its days alone.
SLICE_IN_DAYS = 4


@dataclass(frozen=True)
class Kind:
    """A daily table and its running totals: the keys they share (besides `day`) and the
    running table's count columns."""

    daily: type[models.Model]
    running: type[models.Model]
    keys: tuple[str, ...]
    counts: tuple[str, ...]
    # Each count as an SQL expression over a daily row, given a function that quotes a
    # daily field's column; None: the daily table has the same count columns.
    from_daily: Callable[[Callable[[str], str]], list[str]] | None = None

    def spread(self) -> list[str]:
        column = partial(_column, self.daily)
        if self.from_daily is None:
            return [column(name) for name in self.counts]
        return self.from_daily(column)


def _transit_columns(column: Callable[[str], str]) -> list[str]:
    days, copies = column("days"), column("copies")
    spread = [f"CASE WHEN {days} = {k} THEN {copies} ELSE 0 END" for k in range(TRANSIT_COLUMNS)]
    return [*spread, f"CASE WHEN {days} >= {TRANSIT_COLUMNS} THEN {copies} ELSE 0 END"]


PAIRS = Kind(PairDay, PairRunning, ("owner", "borrower"), ("by_hold", "walkin"))
FILLS = Kind(FillDays, FillRunning, ("library", "days"), ("holds",))
SENDS = Kind(SendDays, SendRunning, ("branch", "days"), ("copies",))
TRANSITS = Kind(
    TransitDays,
    TransitRunning,
    ("sender", "receiver"),
    (*(f"days_{k}" for k in range(TRANSIT_COLUMNS)), "days_more"),
    _transit_columns,
)
KINDS = (PAIRS, TRANSITS, FILLS, SENDS)


# --- boundaries ----------------------------------------------------------------------


def boundary_of(day: dt.date) -> dt.date:
    """The boundary that ends `day`'s third of a month: the 10th, the 20th or the last."""
    if day.day <= 10:
        return day.replace(day=10)
    if day.day <= 20:
        return day.replace(day=20)
    return last_of(day)


def before(boundary: dt.date) -> dt.date:
    """The boundary before `boundary`."""
    if boundary.day == 10:
        return boundary.replace(day=1) - dt.timedelta(days=1)
    return boundary.replace(day=10 if boundary.day == 20 else 20)


def after(boundary: dt.date) -> dt.date:
    return boundary_of(boundary + dt.timedelta(days=1))


# --- writing -------------------------------------------------------------------------


def _column(model: type[models.Model], name: str) -> str:
    return columns(model, (name,))[0]


def write(boundary: dt.date) -> None:
    """Replace the running totals at `boundary` with those at the boundary before plus
    the daily rows between, for every kind."""
    quote = connection.ops.quote_name
    day, start = quote("day"), before(boundary)
    with connection.cursor() as cursor:
        for kind in KINDS:
            kind.running._default_manager.filter(day=boundary).delete()
            keys, counts = columns(kind.running, kind.keys), columns(kind.running, kind.counts)
            spread = kind.spread()
            named = ", ".join(f"{e} AS {c}" for e, c in zip(spread, counts, strict=True))
            cursor.execute(
                f"INSERT INTO {quote(kind.running._meta.db_table)} "  # noqa: S608 - names from models
                f"({day}, {', '.join(keys + counts)}) "
                f"SELECT %s, {', '.join(keys)}, {', '.join(f'SUM({c})' for c in counts)} FROM ("
                f"SELECT {', '.join(keys + counts)} FROM {quote(kind.running._meta.db_table)} "
                f"WHERE {day} = %s UNION ALL "
                f"SELECT {', '.join(keys)}, {named} FROM {quote(kind.daily._meta.db_table)} "
                f"WHERE {day} > %s AND {day} <= %s"
                f") AS upto GROUP BY {', '.join(keys)}",
                [boundary, start, start, boundary],
            )
    RunningBoundary.objects.get_or_create(day=boundary)


def bring_up_to_date(since: dt.date) -> int:
    """Rewrite the running totals of every boundary from `since`'s to the last built
    day's (and of any boundary after the last written, so none is missing between);
    answers how many. Call it in the transaction that (re)built the days from `since`."""
    built = BuiltDay.objects.aggregate(first=Min("day"), last=Max("day"))
    if built["last"] is None:
        return 0
    written = RunningBoundary.objects.aggregate(last=Max("day"))["last"]
    first = boundary_of(max(since, built["first"]))
    if written is None:
        first = boundary_of(built["first"])
    elif after(written) < first:
        first = after(written)
    boundary, count = first, 0
    while boundary <= boundary_of(built["last"]):
        write(boundary)
        boundary, count = after(boundary), count + 1
    return count


# --- reading -------------------------------------------------------------------------


@dataclass(frozen=True)
class Slice:
    """Rows to add (sign +1) or take away (sign −1): a boundary's running totals, or the
    daily rows of the days from `days[0]` to `days[1]`."""

    sign: int
    boundary: dt.date | None = None
    days: tuple[dt.date, dt.date] | None = None

    @property
    def reads(self) -> int:
        """About how many days' rows it reads."""
        if self.days is None:
            return SLICE_IN_DAYS
        return (self.days[1] - self.days[0]).days + 1


def upto(day: dt.date, written: dt.date) -> list[Slice]:
    """C(day), the totals of every day up to and including `day`, as slices: the nearest
    written boundary, and the days between it and `day`. `written` is the last boundary
    written: the days after it are not built, so they add nothing."""
    if day >= written:
        return [Slice(+1, written)]
    high = boundary_of(day)
    if high == day:
        return [Slice(+1, day)]
    low = before(high)
    if (day - low).days <= (high - day).days:
        return [Slice(+1, low), Slice(+1, days=(low + dt.timedelta(days=1), day))]
    return [Slice(+1, high), Slice(-1, days=(day + dt.timedelta(days=1), high))]


def plan(start: dt.date, end: dt.date, written: dt.date | None) -> list[Slice]:
    """The period [start, end] as slices: C(end) − C(start − 1), or its days alone when
    that reads less. Slices of one boundary that cancel are dropped."""
    days_alone = [Slice(+1, days=(start, end))]
    if written is None or start > end:
        return days_alone if start <= end else []
    slices = upto(end, written) + [
        Slice(-s.sign, s.boundary, s.days) for s in upto(start - dt.timedelta(days=1), written)
    ]
    by_boundary: dict[dt.date, int] = {}
    for s in slices:
        if s.boundary is not None:
            by_boundary[s.boundary] = by_boundary.get(s.boundary, 0) + s.sign
    kept = [s for s in slices if s.days is not None] + [
        Slice(sign, boundary) for boundary, sign in sorted(by_boundary.items()) if sign
    ]

    reads = sum(s.reads for s in kept)
    return kept if reads < sum(s.reads for s in days_alone) else days_alone


def summed(
    kind: Kind, start: dt.date, end: dt.date, **filters: Any
) -> dict[tuple[Any, ...], list[int]]:
    """{key values (ids): [count sums]} of the period [start, end], in key order; pairs
    whose counts are all 0 are left out. `filters` are equalities on key fields."""
    written = RunningBoundary.objects.aggregate(last=Max("day"))["last"]
    slices = plan(start, end, written)
    if not slices:
        return {}
    quote = connection.ops.quote_name
    day = quote("day")
    keys, counts = columns(kind.running, kind.keys), columns(kind.running, kind.counts)
    spread = kind.spread()
    narrowed = "".join(f" AND {column} = %s" for column in columns(kind.daily, tuple(filters)))
    selects, params = [], []
    for s in slices:
        minus = "" if s.sign > 0 else "-"
        if s.days is None:
            values = [f"{minus}{c} AS {c}" for c in counts]
            table, where, bounds = kind.running, f"{day} = %s", [s.boundary]
        else:
            values = [f"{minus}({e}) AS {c}" for e, c in zip(spread, counts, strict=True)]
            table, where, bounds = kind.daily, f"{day} >= %s AND {day} <= %s", [*s.days]
        selects.append(
            f"SELECT {', '.join(keys + values)} FROM {quote(table._meta.db_table)} "  # noqa: S608 - names from models
            f"WHERE {where}{narrowed}"
        )
        params += [*bounds, *filters.values()]
    key_list = ", ".join(keys)
    sql = (
        f"SELECT {key_list}, {', '.join(f'SUM({c})' for c in counts)} "  # noqa: S608 - names from models
        f"FROM ({' UNION ALL '.join(selects)}) AS period GROUP BY {key_list} ORDER BY {key_list}"
    )
    width = len(keys)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        # Tens of thousands of rows for a big group: kept as the database gives them
        # (integer sums, never NULL: every column is NOT NULL), without a loop per value.
        return {row[:width]: list(row[width:]) for row in cursor.fetchall() if any(row[width:])}
