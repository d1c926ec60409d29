"""The figures the pages show besides `figures.py`'s: the fill-time distribution and the
monthly trend (from the summaries), and four read from the records themselves — top
titles, copies added, pick-list compliance, transit days by route — each one query over
an indexed date.

Plain results (dicts and tuples by member code), no HTML: `tables.py` words them.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Count, F, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from onelibrary.catalog.models import Item
from onelibrary.circulation.models import Loan
from onelibrary.courier.models import Stop
from onelibrary.holds.models import HoldEvent
from onelibrary.insights.measures import percentile
from onelibrary.insights.models import FillDays, MemberDay
from onelibrary.members.models import Library
from onelibrary.transit.models import Transit


def _codes() -> dict[int, str]:
    return dict(Library.objects.values_list("pk", "code"))


def fill_histogram(start: dt.date, end: dt.date, code: str | None = None) -> Counter[int]:
    """{days from placement to the hold shelf: holds filled}, of one member's patrons or
    of the whole group."""
    rows = FillDays.objects.filter(day__gte=start, day__lte=end)
    if code is not None:
        rows = rows.filter(library__code=code)
    found: Counter[int] = Counter()
    for days, holds in rows.values_list("days").annotate(n=Sum("holds")).order_by():
        found[days] += holds
    return found


@dataclass(frozen=True)
class Month:
    month: dt.date  # its first day
    own_loans: int
    lent: int  # loans between members: the group's lent, which is its borrowed
    holds_filled: int


def monthly(start: dt.date, end: dt.date, code: str | None = None) -> list[Month]:
    """Loans and fills month by month; for one member its own loans and what it lent."""
    rows = MemberDay.objects.filter(day__gte=start, day__lte=end)
    if code is not None:
        rows = rows.filter(library__code=code)
    found = (
        rows.annotate(month=TruncMonth("day"))
        .values("month")
        .annotate(
            own=Sum("own_loans"),
            lent=Sum(F("lent_by_hold") + F("lent_walkin")),
            filled=Sum("holds_filled"),
        )
        .order_by("month")
    )
    return [
        Month(_as_date(r["month"]), int(r["own"]), int(r["lent"]), int(r["filled"])) for r in found
    ]


def _as_date(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


@dataclass(frozen=True)
class TopTitle:
    title: str
    author: str
    loans: int
    members: int  # how many members' patrons borrowed it


def top_titles(start: dt.date, end: dt.date, limit: int = 10) -> list[TopTitle]:
    """The titles most borrowed across the group in the period (loans of any copy)."""
    rows = (
        Loan.objects.filter(checked_out_at__date__gte=start, checked_out_at__date__lte=end)
        .values("item__title_id", "item__title__title", "item__title__author")
        .annotate(n=Count("pk"), members=Count("borrower_library", distinct=True))
        .order_by("-n", "item__title__title")[:limit]
    )
    return [
        TopTitle(r["item__title__title"], r["item__title__author"], r["n"], r["members"])
        for r in rows
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
        return None if self.asked == 0 else self.pulled / self.asked


def pick_list_compliance(start: dt.date, end: dt.date) -> dict[str, Picking]:
    """Per lending member: copies routed to it in the period (its pick list), and how many
    of them it then sent (`in_transit`) or shelved (`on_shelf`) for that hold."""
    routed = HoldEvent.objects.filter(
        kind="routed", at__date__gte=start, at__date__lte=end, item__isnull=False
    )
    asked: Counter[str] = Counter()
    lender_of: dict[tuple[int, int], str] = {}
    for hold, item, lender in routed.values_list("hold_id", "item_id", "lender"):
        asked[lender] += 1
        lender_of[hold, item] = lender
    pulled: Counter[str] = Counter()
    moved = HoldEvent.objects.filter(
        kind__in=("in_transit", "on_shelf"),
        at__date__gte=start,
        hold_id__in=routed.values("hold_id"),
    )
    seen: set[tuple[int, int]] = set()
    for hold, item in moved.values_list("hold_id", "item_id"):
        if (hold, item) in lender_of and (hold, item) not in seen:
            seen.add((hold, item))
            pulled[lender_of[hold, item]] += 1
    return {code: Picking(n, pulled[code]) for code, n in sorted(asked.items())}


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
    rows = Transit.objects.filter(
        state=Transit.State.RECEIVED,
        received_at__date__gte=start,
        received_at__date__lte=end,
        shipped_at__isnull=False,
    ).values_list("sender_id", "shipped_at", "received_at")
    for sender, shipped, received in rows.iterator(chunk_size=5000):
        if sender in route_of and shipped is not None and received is not None:
            days = (timezone.localdate(received) - timezone.localdate(shipped)).days
            hist[route_of[sender]][max(0, days)] += 1
    return [
        RouteTransit(code, name, sum(h.values()), percentile(h, 0.5), percentile(h, 0.9))
        for (code, name), h in sorted(hist.items())
    ]
