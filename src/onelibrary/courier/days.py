"""Courier days between two branches: the one answer holds routing, transit's expected
arrival, floating's "nearby" and the staff pages all use (docs/courier.md, "Courier days").

For an item shipped at branch A on a date, for branch B (the same branch: 0, COURIER-4),
the first step that knows the pair answers:

- DAYS-1 learned: the median actual days of the pair's trips received within the window,
  once there are `CourierSettings.learned_min_transits` of them (and `use_learned`);
- DAYS-2 schedule: the route schedule for the ship date (courier/service.py);
- DAYS-3 matrix: the pair's `CourierDays` row (filled from distance, corrected by staff);
- DAYS-4 estimate: from great-circle distance (courier/distance.py), when both branches
  have coordinates;
- DAYS-5 no route: none of them; each caller says what it assumes then (routing
  `unknown_route_days`, transit `fallback_courier_days`, floating "not nearby").

Every answer says which step gave it, so a page can say why.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from enum import StrEnum

from onelibrary.courier import learned, schedule, service
from onelibrary.courier.distance import estimated_days
from onelibrary.courier.models import CourierDays
from onelibrary.members.models import Branch

Pair = tuple[int, int]


class Source(StrEnum):
    SAME_BRANCH = "same branch"  # COURIER-4
    LEARNED = "learned"  # DAYS-1
    SCHEDULE = "schedule"  # DAYS-2
    MATRIX = "matrix"  # DAYS-3
    ESTIMATE = "estimate"  # DAYS-4
    NO_ROUTE = "no route"  # DAYS-5

    @property
    def rule(self) -> str:
        return RULES[self]

    @property
    def said(self) -> str:
        """Where the figure comes from, in words for the pages."""
        return SAID[self]


RULES = {
    Source.SAME_BRANCH: "COURIER-4",
    Source.LEARNED: "DAYS-1",
    Source.SCHEDULE: "DAYS-2",
    Source.MATRIX: "DAYS-3",
    Source.ESTIMATE: "DAYS-4",
    Source.NO_ROUTE: "DAYS-5",
}
SAID = {
    Source.SAME_BRANCH: "the same branch: no trip",
    Source.LEARNED: "learned: the median of past trips between the two branches",
    Source.SCHEDULE: "the route schedule",
    Source.MATRIX: "the courier-days table (no route connects the two branches)",
    Source.ESTIMATE: "an estimate from the distance (no route or table row for the pair)",
    Source.NO_ROUTE: "no route, no table row and no coordinates to estimate from",
}


@dataclass(frozen=True)
class Days:
    sender: int
    receiver: int
    shipped_on: dt.date
    days: float | None  # None: no route (DAYS-5)
    source: Source

    @property
    def reachable(self) -> bool:
        return self.days is not None

    @property
    def arrival(self) -> dt.date | None:
        """The expected day at the receiver: the ship date plus the days rounded up (a
        learned median of 2.5 days is expected on the third day)."""
        if self.days is None:
            return None
        return self.shipped_on + dt.timedelta(days=math.ceil(self.days))


def days_for(
    pairs: Collection[Pair], shipped_on: dt.date | Mapping[int, dt.date]
) -> dict[Pair, Days]:
    """An answer for every (sender, receiver) pair, each shipped on `shipped_on` (one date,
    or a date per sender). One query per step that still has pairs to answer."""
    ship = (lambda _: shipped_on) if isinstance(shipped_on, dt.date) else shipped_on.__getitem__
    found: dict[Pair, Days] = {}

    def answer(pair: Pair, days: float | None, source: Source) -> None:
        found[pair] = Days(pair[0], pair[1], ship(pair[0]), days, source)

    rest: list[Pair] = []
    for pair in dict.fromkeys(pairs):
        if pair[0] == pair[1]:
            answer(pair, 0.0, Source.SAME_BRANCH)  # COURIER-4
        else:
            rest.append(pair)
    for pair, median in learned.learned_days(rest).items():  # DAYS-1
        answer(pair, float(median), Source.LEARNED)
    rest = [pair for pair in rest if pair not in found]
    for pair, whole in service.scheduled_days_for(rest, ship).items():  # DAYS-2
        answer(pair, float(whole), Source.SCHEDULE)
    rest = [pair for pair in rest if pair not in found]
    for pair, kept in _matrix(rest).items():  # DAYS-3
        answer(pair, kept, Source.MATRIX)
    rest = [pair for pair in rest if pair not in found]
    for pair, estimate in _estimates(rest).items():  # DAYS-4
        answer(pair, estimate, Source.ESTIMATE)
    for pair in rest:
        if pair not in found:
            answer(pair, None, Source.NO_ROUTE)  # DAYS-5
    return found


Leg = tuple[int, int, dt.date]  # (sender, receiver, ship date)


def days_for_legs(legs: Collection[Leg]) -> dict[Leg, Days]:
    """`days_for` when the ship date differs from pair to pair, even for one sender (the
    holds a patron waits for left on different days): the learned times, the table and
    the coordinates are read once for all the legs, the schedule once per ship date."""
    found: dict[Leg, Days] = {}

    def answer(leg: Leg, days: float | None, source: Source) -> None:
        found[leg] = Days(leg[0], leg[1], leg[2], days, source)

    rest: list[Leg] = []
    for leg in dict.fromkeys(legs):
        if leg[0] == leg[1]:
            answer(leg, 0.0, Source.SAME_BRANCH)  # COURIER-4
        else:
            rest.append(leg)
    learned_days = learned.learned_days({(o, d) for o, d, _ in rest})  # DAYS-1
    for leg in rest:
        if (leg[0], leg[1]) in learned_days:
            answer(leg, float(learned_days[leg[0], leg[1]]), Source.LEARNED)
    rest = [leg for leg in rest if leg not in found]
    by_day: dict[dt.date, list[Leg]] = {}
    for leg in rest:
        by_day.setdefault(leg[2], []).append(leg)
    if by_day and service.has_routes():
        for day, some in by_day.items():
            scheduled = service.scheduled_days_for([(o, d) for o, d, _ in some], _on(day))
            for leg in some:
                if (leg[0], leg[1]) in scheduled:  # DAYS-2
                    answer(leg, float(scheduled[leg[0], leg[1]]), Source.SCHEDULE)
    rest = [leg for leg in rest if leg not in found]
    pairs = {(o, d) for o, d, _ in rest}
    kept = _matrix(pairs)  # DAYS-3
    estimates = _estimates(pairs - set(kept))  # DAYS-4
    for leg in rest:
        pair = (leg[0], leg[1])
        if pair in kept:
            answer(leg, kept[pair], Source.MATRIX)
        elif pair in estimates:
            answer(leg, estimates[pair], Source.ESTIMATE)
        else:
            answer(leg, None, Source.NO_ROUTE)  # DAYS-5
    return found


def _on(day: dt.date) -> Callable[[int], dt.date]:
    return lambda _sender: day


def days_between(sender_id: int, receiver_id: int, shipped_on: dt.date) -> Days:
    """The answer for one pair (see `days_for`)."""
    return days_for([(sender_id, receiver_id)], shipped_on)[sender_id, receiver_id]


def expected_arrival(sender_id: int, receiver_id: int, shipped_on: dt.date) -> dt.date | None:
    """The day an item shipped on `shipped_on` is expected at the receiver; None: no route."""
    return days_between(sender_id, receiver_id, shipped_on).arrival


@dataclass(frozen=True)
class Explained:
    """What the pages, the command and the API show: the answer, the schedule's own answer
    with its legs (beside a learned figure, or saying why there is no route), and the
    learned figures of the pair."""

    answer: Days
    schedule: schedule.Answer
    learned: learned.Figures | None


def explained(sender_id: int, receiver_id: int, shipped_on: dt.date) -> Explained:
    pair = (sender_id, receiver_id)
    figures = learned.by_pair(learned.trips(pairs={pair})).get(pair)
    return Explained(
        answer=days_between(sender_id, receiver_id, shipped_on),
        schedule=service.explain(sender_id, receiver_id, shipped_on),
        learned=figures,
    )


def _matrix(pairs: Collection[Pair]) -> dict[Pair, float]:
    if not pairs:
        return {}
    wanted = set(pairs)
    rows = CourierDays.objects.filter(
        origin_id__in={o for o, _ in wanted}, destination_id__in={d for _, d in wanted}
    ).values_list("origin_id", "destination_id", "days")
    return {(o, d): float(days) for o, d, days in rows if (o, d) in wanted}


def _estimates(pairs: Collection[Pair]) -> dict[Pair, float]:
    if not pairs:
        return {}
    branches = Branch.objects.only("pk", "library_id", "latitude", "longitude").in_bulk(
        {b for pair in pairs for b in pair}
    )
    found = {}
    for o, d in pairs:
        if o in branches and d in branches:
            days = estimated_days(branches[o], branches[d])
            if days is not None:
                found[o, d] = days
    return found
