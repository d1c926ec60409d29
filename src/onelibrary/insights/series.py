"""The figures the pages show besides `figures.py`'s, from the summaries: the fill-time
distribution, the monthly trend, top titles, pick-list compliance and transit days by
route; and copies added, read from the copies' indexed acquisition dates.

Plain results (dicts and tuples by member code), no HTML: `tables.py` words them.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Count, F, Sum

from onelibrary.catalog.models import Item, Title
from onelibrary.circulation.models import Loan
from onelibrary.courier.models import Stop
from onelibrary.insights import ranking, running
from onelibrary.insights.build import bounds
from onelibrary.insights.measures import percentile, shown
from onelibrary.insights.models import MemberDay, PickDay
from onelibrary.members.models import Library


def _codes() -> dict[int, str]:
    return dict(Library.objects.values_list("pk", "code"))


def fill_histogram(start: dt.date, end: dt.date, code: str | None = None) -> Counter[int]:
    """{days from placement to the hold shelf: holds filled}, of one member's patrons or
    of the whole group."""
    filters = {} if code is None else {"library": Library.objects.get(code=code).pk}
    found: Counter[int] = Counter()
    for (_, days), (holds,) in running.summed(running.FILLS, start, end, **filters).items():
        found[days] += holds
    return found


@dataclass(frozen=True)
class Month:
    month: dt.date  # its first day
    own_loans: int
    lent: int  # loans between members: the group's lent, which is its borrowed
    holds_filled: int


def monthly(start: dt.date, end: dt.date, code: str | None = None) -> list[Month]:
    """Loans and fills month by month; for one member its own loans and what it lent.
    The database adds up each day (indexed by day), Python each month: truncating every
    row's date in SQL is slow on SQLite, where it is a Python function per row."""
    rows = MemberDay.objects.filter(day__gte=start, day__lte=end)
    if code is not None:
        rows = rows.filter(library__code=code)
    months: dict[dt.date, list[int]] = {}
    for day, own, lent, filled in (
        rows.values_list("day")
        .annotate(
            own=Sum("own_loans"),
            lent=Sum(F("lent_by_hold") + F("lent_walkin")),
            filled=Sum("holds_filled"),
        )
        .order_by("day")
    ):
        month = months.setdefault(day.replace(day=1), [0, 0, 0])
        month[0] += own
        month[1] += lent
        month[2] += filled
    return [Month(first, *counts) for first, counts in months.items()]


@dataclass(frozen=True)
class TopTitle:
    title: str
    author: str
    loans: int
    members: int  # how many members' patrons borrowed it


def top_titles(start: dt.date, end: dt.date, limit: int = 10) -> list[TopTitle]:
    """The titles most borrowed across the group in the period (loans of any copy): the
    ranking from the title summaries, by a threshold search that reads each month's and
    edge day's titles from the most borrowed down (`ranking.py`), then how many members'
    patrons borrowed each of the few winners, counted from their loans (a count of
    distinct members does not add up across days)."""
    if limit < 1:
        return []
    loans = ranking.search(start, end, limit).loans
    names = {t.pk: t for t in Title.objects.filter(pk__in=list(loans)).only("title", "author")}
    # Ties at the cut are broken by the title's name, as a reader would sort them.
    ordered = sorted(loans.items(), key=lambda kv: (-kv[1], names[kv[0]].title, kv[0]))[:limit]
    first, last = bounds(start)[0], bounds(end)[1]
    members = dict(
        Loan.objects.filter(
            item__title_id__in=[title for title, _ in ordered],
            checked_out_at__gte=first,
            checked_out_at__lt=last,
        )
        .values_list("item__title_id")
        .annotate(n=Count("borrower_library", distinct=True))
        .order_by()
    )
    return [
        TopTitle(names[title].title, names[title].author, n, members.get(title, 0))
        for title, n in ordered
    ]


def copies_added(start: dt.date, end: dt.date) -> Counter[str]:
    """Copies each member acquired in the period (`Item.acquired_on`), by code."""
    codes = _codes()
    found: Counter[str] = Counter()
    for library, n in (
        Item.objects.filter(acquired_on__gte=start, acquired_on__lte=end)
        .values_list("owning_library_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        found[codes[library]] += n
    return found


@dataclass(frozen=True)
class Picking:
    asked: int  # copies its pick list asked it to pull
    pulled: int  # of those, sent on or put on the hold shelf

    @property
    def share(self) -> float | None:
        # Pulls count on their own day, so a copy asked for just before the period and
        # pulled in it can lift a short period past 100%: the share stops there.
        return None if self.asked == 0 else min(1.0, self.pulled / self.asked)


def pick_list_compliance(start: dt.date, end: dt.date) -> dict[str, Picking]:
    """Per lending member: copies routed to it in the period (its pick list), and copies
    it pulled in the period for the hold they were routed for (sent on or put on the
    hold shelf; `build.pick_counts`)."""
    found = (
        PickDay.objects.filter(day__gte=start, day__lte=end)
        .values_list("lender")
        .annotate(Sum("asked"), Sum("pulled"))
        .order_by("lender")
    )
    return {code: Picking(asked, pulled) for code, asked, pulled in found if asked}


def by_size_class(values: dict[str, int], size_of: dict[str, str]) -> dict[str, int]:
    """Sum a per-member count by the members' size classes."""
    found: defaultdict[str, int] = defaultdict(int)
    for code, n in values.items():
        found[size_of[code]] += n
    return dict(found)


@dataclass(frozen=True)
class RouteTransit:
    route: str  # code
    name: str
    copies: int
    days_median: float | None
    days_p90: float | None


def transit_by_route(start: dt.date, end: dt.date) -> list[RouteTransit]:
    """Days from shipping to receipt of the copies received in the period, by the courier
    route that picked them up: the route with a stop at the sending branch (the first by
    code when several do). Copies sent from a branch on no route are left out."""
    route_of: dict[int, tuple[str, str]] = {}
    for branch, code, name in (
        Stop.objects.filter(route__is_active=True)
        .order_by("route__code")
        .values_list("branch_id", "route__code", "route__name")
    ):
        route_of.setdefault(branch, (code, name))
    hist: defaultdict[tuple[str, str], Counter[int]] = defaultdict(Counter)
    for (branch, days), (copies,) in running.summed(running.SENDS, start, end).items():
        if branch in route_of:
            hist[route_of[branch]][days] += copies
    return [
        RouteTransit(
            code, name, sum(h.values()), shown(percentile(h, 0.5)), shown(percentile(h, 0.9))
        )
        for (code, name), h in sorted(hist.items())
    ]
