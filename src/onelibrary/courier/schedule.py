"""Expected courier days between two branches, from the route schedules. Pure Python over
plain dataclasses; no ORM (docs/courier.md, "Expected days").

The rules, for an item shipped (ready in the crate) on day d:

- COURIER-1 pickup: the first day p >= d on which a route calls at the sender (the stop's
  weekday) and the sender is open (its open weekdays, not a closed date). The van takes
  the item back to its hub(s) the evening of p.
- COURIER-2 same route: the van delivers it on the first day q > p on which the route
  calls at the receiver and the receiver is open.
- COURIER-3 change of van: at a hub the item is ready for another route's van on
  a + transfer_days (a = the day it reached the hub); that van delivers on the first
  served, open day after it is ready. A route that meets two hubs carries items between
  them on the first day it runs after they are ready (a trunk leg).
- COURIER-4 same branch: 0 days, no legs.
- COURIER-5 no route: no chain of routes reaches the receiver within MAX_DAYS of d (or a
  branch is on no route): the answer says so; nothing is raised.

Among ways that arrive the same day, the one with fewer legs is reported.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

# No answer takes longer than this: a branch closed for a season has no route meanwhile.
MAX_DAYS = 90

WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True)
class BranchCalendar:
    id: int
    code: str
    open_days: str = "1111111"  # Monday first, 1 open
    closed: frozenset[dt.date] = frozenset()

    def is_open(self, day: dt.date) -> bool:
        return self.open_days[day.weekday()] == "1" and day not in self.closed


@dataclass(frozen=True)
class HubSpec:
    code: str
    name: str = ""
    transfer_days: int = 1


@dataclass(frozen=True)
class StopSpec:
    branch_id: int
    days: str  # Monday first, 1 when the van calls


@dataclass(frozen=True)
class RouteSpec:
    code: str
    stops: tuple[StopSpec, ...]
    hubs: tuple[str, ...] = ()
    days: str = "1111111"  # the weekdays the van runs (trunk legs between hubs)
    name: str = ""

    def calls(self, stop: StopSpec, day: dt.date) -> bool:
        w = day.weekday()
        return stop.days[w] == "1" and self.days[w] == "1"

    def runs(self, day: dt.date) -> bool:
        return self.days[day.weekday()] == "1"


@dataclass(frozen=True)
class Network:
    branches: Mapping[int, BranchCalendar]
    hubs: Mapping[str, HubSpec] = field(default_factory=dict)
    routes: tuple[RouteSpec, ...] = ()

    @cached_property
    def stops_of(self) -> dict[int, list[tuple[RouteSpec, StopSpec]]]:
        """Branch id -> the (route, stop) pairs that serve it."""
        found: dict[int, list[tuple[RouteSpec, StopSpec]]] = {}
        for route in self.routes:
            for stop in route.stops:
                if stop.branch_id in self.branches:
                    found.setdefault(stop.branch_id, []).append((route, stop))
        return found

    @cached_property
    def routes_at(self) -> dict[str, list[RouteSpec]]:
        """Hub code -> the routes that meet there."""
        found: dict[str, list[RouteSpec]] = {}
        for route in self.routes:
            for hub in route.hubs:
                if hub in self.hubs:
                    found.setdefault(hub, []).append(route)
        return found

    def code(self, branch_id: int) -> str:
        branch = self.branches.get(branch_id)
        return branch.code if branch else f"branch {branch_id}"


@dataclass(frozen=True)
class Leg:
    kind: str  # direct, pickup, transfer, trunk, delivery
    origin: str  # a branch code, or "hub CODE"
    destination: str
    route: str  # the route's code; "" for a transfer
    departs: dt.date
    arrives: dt.date

    @property
    def description(self) -> str:
        on = f"{self.departs:%a %d %b}"
        if self.kind == "direct":
            return (
                f"route {self.route} picks up at {self.origin} on {on} and delivers to "
                f"{self.destination} on {self.arrives:%a %d %b}"
            )
        if self.kind == "pickup":
            return f"route {self.route} picks up at {self.origin} on {on}, to {self.destination}"
        if self.kind == "transfer":
            days = (self.arrives - self.departs).days
            return f"changes vans at {self.origin}: {days} transfer day{'s' * (days != 1)}"
        if self.kind == "trunk":
            return f"route {self.route} carries it from {self.origin} to {self.destination} on {on}"
        return f"route {self.route} delivers to {self.destination} on {on}"


@dataclass(frozen=True)
class Answer:
    sender: int
    receiver: int
    shipped_on: dt.date
    arrival: dt.date | None
    legs: tuple[Leg, ...] = ()
    problem: str = ""  # why there is no answer, in plain words

    @property
    def days(self) -> int | None:
        return None if self.arrival is None else (self.arrival - self.shipped_on).days

    @property
    def reachable(self) -> bool:
        return self.arrival is not None


def _first_day(
    start: dt.date, last: dt.date, ok: Callable[[dt.date], bool], *, after: bool = False
) -> dt.date | None:
    day = start + dt.timedelta(days=1) if after else start
    while day <= last:
        if ok(day):
            return day
        day += dt.timedelta(days=1)
    return None


@dataclass(frozen=True)
class _Served:
    route: RouteSpec
    stop: StopSpec
    branch: BranchCalendar

    def __call__(self, day: dt.date) -> bool:
        return self.route.calls(self.stop, day) and self.branch.is_open(day)


@dataclass(frozen=True)
class _Runs:
    route: RouteSpec

    def __call__(self, day: dt.date) -> bool:
        return self.route.runs(day)


def _hub(code: str) -> str:
    return f"hub {code}"


def expected(network: Network, sender: int, receiver: int, shipped_on: dt.date) -> Answer:
    """The expected arrival of an item shipped at `sender` on `shipped_on` for `receiver`."""
    if sender == receiver:  # COURIER-4
        return Answer(sender, receiver, shipped_on, shipped_on)
    problem = _missing(network, sender, receiver)
    if problem:
        return Answer(sender, receiver, shipped_on, None, problem=problem)
    last = shipped_on + dt.timedelta(days=MAX_DAYS)
    to_code = network.code(receiver)
    to_branch = network.branches[receiver]
    delivers = {
        route.code: _Served(route, stop, to_branch) for route, stop in network.stops_of[receiver]
    }
    best: tuple[dt.date, int, tuple[Leg, ...]] | None = None

    def offer(arrival: dt.date, legs: tuple[Leg, ...]) -> None:
        nonlocal best
        if best is None or (arrival, len(legs)) < best[:2]:
            best = (arrival, len(legs), legs)

    # Dijkstra over (hub, route the item came on): earliest day there, and the legs so far.
    queue: list[tuple[dt.date, int, int, str, str, tuple[Leg, ...]]] = []
    seen: dict[tuple[str, str], dt.date] = {}
    tie = 0
    for route, stop in network.stops_of[sender]:  # COURIER-1
        picked = _first_day(shipped_on, last, _Served(route, stop, network.branches[sender]))
        if picked is None:
            continue
        if route.code in delivers:  # COURIER-2
            arrival = _first_day(picked, last, delivers[route.code], after=True)
            if arrival is not None:
                leg = Leg("direct", network.code(sender), to_code, route.code, picked, arrival)
                offer(arrival, (leg,))
        for hub in route.hubs:
            if hub in network.hubs:
                leg = Leg("pickup", network.code(sender), _hub(hub), route.code, picked, picked)
                tie += 1
                heapq.heappush(queue, (picked, 1, tie, hub, route.code, (leg,)))
    routes = {route.code: route for route in network.routes}
    while queue:
        day, _, _, hub, came_on, legs = heapq.heappop(queue)
        if (hub, came_on) in seen or (best is not None and day >= best[0]):
            continue
        seen[hub, came_on] = day
        for route in network.routes_at.get(hub, []):
            moved = legs
            ready = day
            if route.code != came_on:  # COURIER-3
                ready = day + dt.timedelta(days=network.hubs[hub].transfer_days)
                if ready > last:
                    continue
                moved = (*legs, Leg("transfer", _hub(hub), _hub(hub), "", day, ready))
            if route.code in delivers and len(moved) > 1:
                # (back on the van that picked it up, the direct leg already covers it)
                arrival = _first_day(ready, last, delivers[route.code], after=True)
                if arrival is not None:
                    leg = Leg("delivery", _hub(hub), to_code, route.code, arrival, arrival)
                    offer(arrival, (*moved, leg))
            for other in routes[route.code].hubs:
                if other == hub or other not in network.hubs or (other, route.code) in seen:
                    continue
                moved_on = _first_day(ready, last, _Runs(route), after=True)
                if moved_on is None:
                    continue
                leg = Leg("trunk", _hub(hub), _hub(other), route.code, moved_on, moved_on)
                tie += 1
                heapq.heappush(
                    queue, (moved_on, len(moved) + 1, tie, other, route.code, (*moved, leg))
                )
    if best is None:
        return Answer(
            sender,
            receiver,
            shipped_on,
            None,
            problem=(
                f"No courier run takes an item from {network.code(sender)} to {to_code} within "
                f"{MAX_DAYS} days of {shipped_on:%Y-%m-%d}: the routes do not connect them, or "
                "a branch is closed or not served meanwhile."
            ),
        )
    return Answer(sender, receiver, shipped_on, best[0], best[2])


def _missing(network: Network, sender: int, receiver: int) -> str:
    for branch_id in (sender, receiver):
        if branch_id not in network.branches:
            return f"Branch {branch_id} is not an open branch of the group."
        if not network.stops_of.get(branch_id):
            return f"{network.code(branch_id)} is not a stop on any courier route."
    return ""


def served_days(network: Network, branch_id: int) -> Sequence[tuple[str, str]]:
    """(route code, weekday names) for each route calling at the branch."""
    return [
        (
            route.code,
            ", ".join(
                n
                for n, f, r in zip(WEEKDAY_NAMES, stop.days, route.days, strict=True)
                if f == r == "1"
            ),
        )
        for route, stop in network.stops_of.get(branch_id, [])
    ]
