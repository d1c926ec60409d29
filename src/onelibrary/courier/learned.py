"""Learned transit times: how many days past transits really took, beside the scheduled
days (docs/courier.md, "Learned times").

A transit counts when it was shipped, then received at its receiver within the group's
window (CourierSettings.learned_window_days). Its actual days are the local dates from
shipping to receiving; its scheduled days are its expected_on less the ship date. Routing
uses a pair's median actual days once the pair has learned_min_transits of them.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from django.db.models import F
from django.utils import timezone

from onelibrary.courier.models import CourierSettings, Route

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


# --- read from the transits ----------------------------------------------------------------


@dataclass(frozen=True)
class Trip:
    sender: int
    receiver: int
    actual: int
    scheduled: int | None


def current_settings() -> CourierSettings:
    return CourierSettings.current()


def trips(
    *, senders: Collection[int] | None = None, pairs: Collection[Pair] | None = None
) -> list[Trip]:
    """Received transits of the window, optionally only from `senders` or for `pairs`."""
    from onelibrary.transit.models import Transit

    window = current_settings().learned_window_days
    since = timezone.now() - dt.timedelta(days=window)
    rows = Transit.objects.filter(
        state=Transit.State.RECEIVED,
        shipped_at__isnull=False,
        received_at__gte=since,
        received_branch=F("receiver"),
    )
    if senders is not None:
        rows = rows.filter(sender_id__in=senders)
    if pairs is not None:
        rows = rows.filter(
            sender_id__in={s for s, _ in pairs}, receiver_id__in={r for _, r in pairs}
        )
    found = []
    for sender, receiver, shipped_at, received_at, expected_on in rows.values_list(
        "sender_id", "receiver_id", "shipped_at", "received_at", "expected_on"
    ):
        shipped = timezone.localtime(shipped_at).date()
        actual = (timezone.localtime(received_at).date() - shipped).days
        scheduled = (expected_on - shipped).days if expected_on else None
        if pairs is None or (sender, receiver) in pairs:
            found.append(Trip(sender, receiver, max(0, actual), scheduled))
    return found


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
    left out (routing then uses the schedule)."""
    settings = current_settings()
    if not settings.use_learned or not pairs:
        return {}
    wanted = {pair for pair in pairs if pair[0] != pair[1]}
    return {
        pair: found.median
        for pair, found in by_pair(trips(pairs=wanted)).items()
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
    """Transits picked up at the route's stops, by receiver (sender-side: the van that
    collected them), with the figure routing uses."""
    from onelibrary.members.models import Branch

    stops = list(route.stops.values_list("branch_id", flat=True))
    found = trips(senders=stops)
    settings = current_settings()
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
