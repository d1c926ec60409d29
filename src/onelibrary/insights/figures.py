"""Reading the figures: per member and period, from the daily summaries (models.py).

The Python API the pages, charts, exports and commands build on (docs/insights.md,
"Reading the figures"). Every function takes a period as two dates, both included, and
reads only the summary tables, with a GROUP BY query each (two where a monthly rollup
serves the whole months, rollup.py):

    members(start, end)        -> list[MemberFigures], one per library, by code
    group(start, end)          -> GroupFigures (loans, lent, Gini of net lending)
    matrix(start, end)         -> {(owner code, borrower code): items lent}
    transit_days(start, end)   -> list[PairTransit], per pair of members
    lent_and_borrowed(start, end, live=False) -> ({code: lent}, {code: borrowed})

Days not built yet count as empty, except in `lent_and_borrowed(live=True)`, which counts
them from the loans themselves (routing's load term, which includes today).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.db.models import Sum

from onelibrary.core import lending
from onelibrary.insights import build, rollup, running
from onelibrary.insights.measures import (
    gini,
    percentile,
    percentiles,
    percentiles_of_columns,
    shown,
)
from onelibrary.insights.models import (
    BuiltDay,
    MemberDay,
    TransitDays,
)
from onelibrary.members.models import Library

COUNTS = (
    "own_loans",
    "lent_by_hold",
    "lent_walkin",
    "borrowed_by_hold",
    "borrowed_walkin",
    "holds_placed",
    "holds_filled",
)


@dataclass(frozen=True)
class MemberFigures:
    code: str
    name: str
    size_class: str
    own_loans: int  # our copies to our own patrons
    lent_by_hold: int  # our copies to other members' patrons, filling their holds
    lent_walkin: int  # … checked out at a desk without a hold
    borrowed_by_hold: int  # other members' copies to our patrons, filling their holds
    borrowed_walkin: int
    holds_placed: int  # by our patrons
    holds_filled: int  # our patrons' holds picked up
    fill_days_median: float | None  # placement to hold shelf, of the holds filled
    fill_days_p90: float | None

    @property
    def lent(self) -> int:
        return self.lent_by_hold + self.lent_walkin

    @property
    def borrowed(self) -> int:
        return self.borrowed_by_hold + self.borrowed_walkin

    @property
    def net(self) -> int:
        return lending.net_lending(self.lent, self.borrowed)

    def as_json(self) -> dict[str, object]:
        """The fields of `onelibrary insights --json`."""
        return {
            "code": self.code,
            "own_loans": self.own_loans,
            "lent": self.lent,
            "borrowed": self.borrowed,
            "net": self.net,
            "holds_placed": self.holds_placed,
            "holds_filled": self.holds_filled,
            "fill_days_median": self.fill_days_median,
            "fill_days_p90": self.fill_days_p90,
        }


@dataclass(frozen=True)
class GroupFigures:
    loans: int  # every loan: own loans plus loans between members
    lent: int  # loans between members (the group's lent, which is its borrowed)
    gini_net_lending: float

    def as_json(self) -> dict[str, object]:
        return {"loans": self.loans, "lent": self.lent, "gini_net_lending": self.gini_net_lending}


class PairTransit(NamedTuple):  # 90,000 of them for 300 members: a light record
    sender: str
    receiver: str
    copies: int
    days_median: float | None
    days_p90: float | None


def _codes() -> dict[int, Library]:
    return {lib.pk: lib for lib in Library.objects.only("code", "name", "size_class")}


def members(start: dt.date, end: dt.date) -> list[MemberFigures]:
    """Each library's figures for the period, by code; zeros for one with none."""
    sums: dict[int, dict[str, Any]] = {
        row["library_id"]: dict(row)
        for row in MemberDay.objects.filter(day__gte=start, day__lte=end)
        .values("library_id")
        .annotate(**{name: Sum(name) for name in COUNTS})
        .order_by()
    }
    fills: defaultdict[int, Counter[int]] = defaultdict(Counter)
    for (library, days), (holds,) in running.summed(running.FILLS, start, end).items():
        fills[library][days] += holds
    figures = []
    for pk, lib in sorted(_codes().items(), key=lambda kv: kv[1].code):
        row: dict[str, Any] = sums.get(pk, {})
        median, p90 = percentile(fills[pk], 0.5), percentile(fills[pk], 0.9)
        figures.append(
            MemberFigures(
                code=lib.code,
                name=lib.name,
                size_class=lib.size_class,
                **{name: int(row.get(name) or 0) for name in COUNTS},
                fill_days_median=shown(median),
                fill_days_p90=shown(p90),
            )
        )
    return figures


def group(start: dt.date, end: dt.date, of: list[MemberFigures] | None = None) -> GroupFigures:
    """The group's figures for the period (from `of`, the members' figures, if given)."""
    of = members(start, end) if of is None else of
    lent = sum(m.lent for m in of)
    return GroupFigures(
        loans=sum(m.own_loans for m in of) + lent,
        lent=lent,
        gini_net_lending=round(gini([m.net for m in of]), 4),
    )


def matrix(start: dt.date, end: dt.date) -> dict[tuple[str, str], int]:
    """Items lent by owner to borrower's patrons in the period, by hold or walk-in; only
    pairs that lent something. A row sums to the owner's lent, a column to the
    borrower's borrowed."""
    codes = {pk: lib.code for pk, lib in _codes().items()}
    rows = running.summed(running.PAIRS, start, end)
    return {(codes[o], codes[b]): h + w for (o, b), (h, w) in rows.items()}


def transit_days(start: dt.date, end: dt.date) -> list[PairTransit]:
    """Days from shipping to receipt of the copies received in the period, per pair of
    members (sender, receiver): how many, median, p90. A big group has tens of thousands
    of pairs: each pair's histogram is one row of running totals (running.py); a pair
    whose median or p90 falls among its transits of TRANSIT_COLUMNS days or more is
    read again, exactly, from its daily and monthly rows."""
    codes = {pk: lib.code for pk, lib in _codes().items()}
    found = []
    for (s, r), columns in running.summed(running.TRANSITS, start, end).items():
        shares = percentiles_of_columns(columns, (0.5, 0.9))
        if shares is None:  # a percentile falls among the transits of 15 days or more
            exact = percentiles(_exact_transit_days(start, end, s, r), (0.5, 0.9))
            shares = [shown(share) for share in exact]
        found.append(PairTransit(codes[s], codes[r], sum(columns), *shares))
    return sorted(found, key=lambda p: (p.sender, p.receiver))


def _exact_transit_days(
    start: dt.date, end: dt.date, sender: int, receiver: int
) -> list[tuple[int, int]]:
    rows = rollup.summed(
        TransitDays, start, end, ("days",), ("copies",), sender=sender, receiver=receiver
    )
    return [(days, copies) for (days,), (copies,) in rows.items()]


def lent_and_borrowed(
    start: dt.date, end: dt.date, *, live: bool = False
) -> tuple[Counter[str], Counter[str]]:
    """Items lent and borrowed per member code in the period (hold fills and walk-ins).
    With `live`, days not built are counted from the loans themselves."""
    codes = {pk: lib.code for pk, lib in _codes().items()}
    lent: Counter[str] = Counter()
    borrowed: Counter[str] = Counter()
    for library, lh, lw, bh, bw in (
        MemberDay.objects.filter(day__gte=start, day__lte=end)
        .values_list("library_id")
        .annotate(
            Sum("lent_by_hold"), Sum("lent_walkin"), Sum("borrowed_by_hold"), Sum("borrowed_walkin")
        )
        .order_by()
    ):
        lent[codes[library]] += lh + lw
        borrowed[codes[library]] += bh + bw
    if live:
        for first, last in _unbuilt_runs(start, end):
            counts = build.loan_counts(build.bounds(first)[0], build.bounds(last)[1])
            for pairs in (counts.by_hold, counts.walkin):
                for (owner, borrower), n in pairs.items():
                    lent[codes[owner]] += n
                    borrowed[codes[borrower]] += n
    return +lent, +borrowed


def _unbuilt_runs(start: dt.date, end: dt.date) -> list[tuple[dt.date, dt.date]]:
    """The runs of consecutive days not built, first and last day each: usually one, today."""
    built = set(BuiltDay.objects.filter(day__gte=start, day__lte=end).values_list("day", flat=True))
    runs: list[tuple[dt.date, dt.date]] = []
    for day in build.days(start, end):
        if day in built:
            continue
        if runs and runs[-1][1] == day - dt.timedelta(days=1):
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def answer_lending_counts(
    sender: object, *, since: dt.date, until: dt.date, **kwargs: object
) -> tuple[Counter[str], Counter[str]]:
    """The answer to `holds.signals.lending_counts`: routing's load term counts from the
    same figures as the reports, today included."""
    return lent_and_borrowed(since, until, live=True)
