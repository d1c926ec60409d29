"""The most borrowed titles of a period without adding up every title: a threshold search.

A period's loans per title are the sum of a few lists of (title, loans): each whole
month's `TitleMonth` rows and each edge day's `TitleDay` rows (`rollup.split`). Each
list reads from its top, most loans first, through its (day, -loans) index. Read the
first rows of every list. A title not seen in a list has there at most the loans of the
last row read from it (its *floor*; 0 once the list is read to its end). So a title seen
in no list has at most the *threshold*, the sum of the floors; a title seen in some has
at least what it was seen with (its lower bound) and at most that plus the floors of the
lists it was not seen in (its upper bound). The titles that could still reach the cut
are then counted exactly, the highest upper bound first, until no title left uncounted
can reach the `limit`-th exact count. Once that count is above the threshold, no title
left unseen can reach it, not even to tie it (ties at the cut go by name, so a tie could
win): the answer is known. Until then every list is read deeper, `DEEPER` times as many
rows each time; a list read to its end has told everything.

This is the threshold algorithm of Fagin, Lotem and Naor ("Optimal aggregation
algorithms for middleware", 2001), with the bounds of their variant without random
access for the titles seen in some lists only. It is fast because circulation is skewed:
a few titles lend far more than the rest, so a few dozen rows a list separate them. On
loans spread evenly over the titles it reads most of every list.

`decide` is the rule, in plain Python; `search` reads the lists and counts.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import models
from django.db.models import Max, Min

from onelibrary.insights import rollup
from onelibrary.insights.models import BuiltDay, TitleDay, TitleMonth

FIRST_ROWS = 4  # rows read first from each list, and titles counted at once, per title asked
DEEPER = 4  # each deeper read takes this many times as many rows from each list
COUNTED_AT_ONCE = 500  # at most: each title counted is a query parameter
# A list of the period: the monthly or daily table, and the day of its rows.
List = tuple[type[models.Model], dt.date]


@dataclass
class Reading:
    """What has been read of each of a period's lists: its rows read ({title: loans}),
    the loans of the last row read (its floor), and whether it was read to its end."""

    seen: list[dict[int, int]]
    floors: list[int]
    ended: list[bool]

    @classmethod
    def of(cls, lists: int) -> Reading:
        return cls([{} for _ in range(lists)], [0] * lists, [False] * lists)

    def record(self, index: int, rows: Sequence[tuple[int, int]], asked: int) -> None:
        """The first `asked` rows of list `index`, most loans first (fewer: all it has)."""
        self.seen[index].update(rows)
        self.ended[index] = len(rows) < asked
        self.floors[index] = 0 if self.ended[index] else rows[-1][1]

    @property
    def threshold(self) -> int:
        """The most loans a title seen in no list can have."""
        return sum(self.floors)

    def bounds(self) -> dict[int, tuple[int, int]]:
        """{title seen: (fewest, most) loans it can have in the period}."""
        lower: Counter[int] = Counter()
        covered: Counter[int] = Counter()  # the floors of the lists it was seen in
        for seen, floor in zip(self.seen, self.floors, strict=True):
            for title, loans in seen.items():
                lower[title] += loans
                covered[title] += floor
        return {t: (n, n + self.threshold - covered[t]) for t, n in lower.items()}


@dataclass(frozen=True)
class Decided:
    loans: dict[int, int]  # {title: loans} of every title reaching the cut


@dataclass(frozen=True)
class Count:
    titles: list[int]  # count these titles' loans in the period exactly


@dataclass(frozen=True)
class Deepen:
    pass  # read every list further


Step = Decided | Count | Deepen


def decide(reading: Reading, exact: dict[int, int], limit: int, batch: int) -> Step:
    """What to do next to know every title whose loans reach the `limit`-th most (every
    title, if fewer): the answer, some titles to count exactly (`exact` holds those
    counted so far, at most `batch` more at once), or to read every list further."""
    bounds = reading.bounds()
    known = {t: low for t, (low, high) in bounds.items() if low == high} | exact
    cut = _kth_largest(known.values(), limit)
    if all(reading.ended):  # every title seen in every list it is in: all known
        return Decided(_reaching(known, cut))
    # The `limit`-th most loans a title seen can have: if not above the threshold, a
    # title not seen yet could still reach the cut (or tie it, and win on its name).
    best = _kth_largest((known.get(t, high) for t, (_, high) in bounds.items()), limit)
    if best is None or best <= reading.threshold:
        return Deepen()
    pending = [
        t for t, (_, high) in bounds.items() if t not in known and (cut is None or high >= cut)
    ]
    if pending:
        return Count(sorted(pending, key=lambda t: (-bounds[t][1], t))[:batch])
    # Every title that could reach the cut is known, so `best` is the cut itself: it is
    # above the threshold, and every title reaching it is known.
    return Decided(_reaching(known, cut))


def _kth_largest(values: Iterable[int], k: int) -> int | None:
    found = heapq.nlargest(k, values)
    return found[-1] if len(found) == k else None


def _reaching(loans: dict[int, int], cut: int | None) -> dict[int, int]:
    return {t: n for t, n in loans.items() if cut is None or n >= cut}


@dataclass(frozen=True)
class Search:
    loans: dict[int, int]  # {title id: loans in the period} of the titles reaching the cut
    rows: int  # rows read at most from each list
    counted: int  # titles counted exactly


def search(start: dt.date, end: dt.date, limit: int) -> Search:
    """Every title borrowed in the period at least as often as the `limit`-th most
    borrowed (every title borrowed, if fewer): the titles that ties at the cut are broken
    among. The same as adding up every title's loans and keeping those, read through far
    fewer rows. `limit` is at least 1."""
    lists = _lists(start, end)
    reading, exact = Reading.of(len(lists)), dict[int, int]()
    rows = FIRST_ROWS * limit
    batch = min(rows, COUNTED_AT_ONCE)
    _read(lists, reading, rows)
    while True:
        step = decide(reading, exact, limit, batch)
        if isinstance(step, Decided):
            return Search(step.loans, rows, len(exact))
        if isinstance(step, Count):
            exact |= _count(step.titles, start, end)
        else:
            rows *= DEEPER
            _read(lists, reading, rows)


def _lists(start: dt.date, end: dt.date) -> list[List]:
    """The period's lists, within the days built (a period may reach far past them)."""
    built = BuiltDay.objects.aggregate(first=Min("day"), last=Max("day"))
    if built["first"] is None:
        return []
    start, end = max(start, built["first"]), min(end, built["last"])
    if start > end:
        return []
    parts = rollup.split(start, end)
    found: list[List] = []
    if parts.whole:
        found += [(TitleMonth, month) for month in rollup.months(*parts.whole)]
    for first, last in parts.edges:
        days = (last - first).days + 1
        found += [(TitleDay, first + dt.timedelta(days=n)) for n in range(days)]
    return found


def _read(lists: list[List], reading: Reading, rows: int) -> None:
    """The first `rows` rows of each list not read to its end yet."""
    for index, (model, day) in enumerate(lists):
        if not reading.ended[index]:
            top = model._default_manager.filter(day=day).order_by("-loans")[:rows]
            reading.record(index, list(top.values_list("title_id", "loans")), rows)


def _count(titles: list[int], start: dt.date, end: dt.date) -> dict[int, int]:
    loans = rollup.summed(TitleDay, start, end, ("title",), ("loans",), title__in=titles)
    return {title: loans.get((title,), [0])[0] for title in titles}
