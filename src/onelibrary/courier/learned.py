"""Learned transit times: how many days past trips really took, beside the scheduled
days (docs/courier.md, "Learned times").

A trip is an item shipped, then received at its receiver (`CourierTrip`, recorded by
`actions.record_trip`); it counts while it was received within the group's window
(CourierSettings.learned_window_days). Its actual days are the local dates from shipping
to receiving; its scheduled days are what the route schedule said for its ship date.
Courier days (DAYS-1) use a pair's median actual days once the pair has
learned_min_transits of them.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from django.utils import timezone

from onelibrary.courier.models import CourierSettings, CourierTrip, Route
from onelibrary.members.models import Branch

Pair = tuple[int, int]


# --- pure figures ------------------------------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float:
    """Linear between the closest ranks (numpy's default): percentile([1, 2, 3, 4], 50) = 2.5."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass(frozen=True)
class Figures:
    count: int
    median: float | None  # actual days
    p90: float | None
    scheduled: float | None  # median scheduled days of the same transits

    @property
    def late_by(self) -> float | None:
        if self.median is None or self.scheduled is None:
            return None
        return self.median - self.scheduled


def figures(actual: Sequence[int], scheduled: Sequence[int]) -> Figures:
    return Figures(
        count=len(actual),
        median=percentile(actual, 50) if actual else None,
        p90=percentile(actual, 90) if actual else None,
        scheduled=percentile(scheduled, 50) if scheduled else None,
    )


# --- read from the trips ------------------------------------------------------------------


@dataclass(frozen=True)
class Trip:
    sender: int
    receiver: int
    actual: int
    scheduled: int | None


def current_settings() -> CourierSettings:
    return CourierSettings.current()


def trips(
    *,
    senders: Collection[int] | None = None,
    pairs: Collection[Pair] | None = None,
    settings: CourierSettings | None = None,
) -> list[Trip]:
    """Trips received within the window, optionally only from `senders` or for `pairs`.
    The rows are the courier app's own (`CourierTrip`, written by `actions.record_trip`
    when transit receives an item where it was sent)."""
    window = (settings or current_settings()).learned_window_days
    since = timezone.localdate() - dt.timedelta(days=window)
    rows = CourierTrip.objects.filter(received_on__gte=since)
    if senders is not None:
        rows = rows.filter(sender_id__in=senders)
    if pairs is not None:
        rows = rows.filter(
            sender_id__in={s for s, _ in pairs}, receiver_id__in={r for _, r in pairs}
        )
    return [
        Trip(sender, receiver, days, scheduled)
        for sender, receiver, days, scheduled in rows.values_list(
            "sender_id", "receiver_id", "days", "scheduled_days"
        )
        if pairs is None or (sender, receiver) in pairs
    ]


def by_pair(found: Iterable[Trip]) -> dict[Pair, Figures]:
    actual: dict[Pair, list[int]] = {}
    scheduled: dict[Pair, list[int]] = {}
    for trip in found:
        actual.setdefault((trip.sender, trip.receiver), []).append(trip.actual)
        if trip.scheduled is not None:
            scheduled.setdefault((trip.sender, trip.receiver), []).append(trip.scheduled)
    return {pair: figures(days, scheduled.get(pair, [])) for pair, days in actual.items()}


def learned_days(pairs: Collection[Pair]) -> dict[Pair, float]:
    """The median actual days of each pair with enough received transits; the others are
    left out (courier days then go on to the schedule, DAYS-2)."""
    wanted = {pair for pair in pairs if pair[0] != pair[1]}
    if not wanted:
        return {}
    settings = current_settings()
    if not settings.use_learned:
        return {}
    return {
        pair: found.median
        for pair, found in by_pair(trips(pairs=wanted, settings=settings)).items()
        if found.count >= settings.learned_min_transits and found.median is not None
    }


@dataclass(frozen=True)
class PairRow:
    sender_code: str
    receiver_code: str
    figures: Figures
    used_by_routing: bool


@dataclass(frozen=True)
class RoutePerformance:
    total: Figures  # every transit this route's van picked up
    pairs: list[PairRow]


def route_performance(route: Route) -> RoutePerformance:
    """Trips picked up at the route's stops, by receiver (sender-side: the van that
    collected them), with the figure courier days use (DAYS-1)."""
    stops = list(route.stops.values_list("branch_id", flat=True))
    settings = current_settings()
    found = trips(senders=stops, settings=settings)
    pairs = by_pair(found)
    codes = dict(
        Branch.objects.filter(pk__in={b for pair in pairs for b in pair}).values_list("pk", "code")
    )
    rows = [
        PairRow(
            codes.get(pair[0], str(pair[0])),
            codes.get(pair[1], str(pair[1])),
            found_pair,
            settings.use_learned and found_pair.count >= settings.learned_min_transits,
        )
        for pair, found_pair in pairs.items()
    ]
    rows.sort(key=lambda row: (-row.figures.count, row.sender_code, row.receiver_code))
    total = figures(
        [t.actual for t in found], [t.scheduled for t in found if t.scheduled is not None]
    )
    return RoutePerformance(total=total, pairs=rows)
