"""The demo group's courier routes: regional vans around a central sorting depot.

`plan_routes` is pure (a seed always gives the same routes); `write_routes` writes them in
the demo's one transaction. The shape, as a state courier runs it:

- up to 40 branches: one central depot (HUB-C, 1 transfer day) and 2–4 regional loops;
- more: a western and an eastern depot (HUB-W, HUB-E, 1 transfer day each), 2–4 loops
  around each, and a trunk van between the depots every weekday;
- each loop takes the branches of one compass sector around its depot, in the order a
  driver would visit them (nearest first, then the nearest from there);
- city and large branches are called every weekday, medium ones three days a week, small
  and one-room ones twice, always on days they are open (a branch open only on Saturday
  is called on Saturday, and its van runs that day).

Applicants and members that have left are on no route.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass

from onelibrary.courier.models import CourierEvent, Hub, Route, Stop
from onelibrary.demo.places import LibraryPlan, distance_km
from onelibrary.members.models import Branch

ONE_HUB_UP_TO = 40
STOPS_PER_LOOP = 8
MIN_CALLS = 2
WEEKDAYS_ONLY = "1111100"
ON_ROUTES = ("active", "onboarding", "leaving")

# How often a branch is called, by its library's size class: patterns of weekdays.
CALLS = {
    "city": ["1111100"],
    "large": ["1111100"],
    "medium": ["1010100", "0101100", "1011000"],
    "small": ["1001000", "0100100", "0010100"],
    "one_room": ["1001000", "0100100", "0010010"],
}
SECTORS = ("East", "Northeast", "North", "Northwest", "West", "Southwest", "South", "Southeast")


@dataclass(frozen=True)
class HubPlan:
    code: str
    name: str
    transfer_days: int
    latitude: float
    longitude: float


@dataclass(frozen=True)
class StopPlan:
    branch: str  # branch code
    days: str


@dataclass(frozen=True)
class RoutePlan:
    code: str
    name: str
    days: str
    hubs: tuple[str, ...]
    stops: tuple[StopPlan, ...]


@dataclass(frozen=True)
class CourierPlan:
    hubs: tuple[HubPlan, ...]
    routes: tuple[RoutePlan, ...]


@dataclass(frozen=True)
class _Place:
    code: str
    size_class: str
    open_days: str
    latitude: float
    longitude: float


def _places(libraries: Sequence[LibraryPlan]) -> list[_Place]:
    return [
        _Place(b.code, lib.size_class, b.open_days, float(b.latitude), float(b.longitude))
        for lib in libraries
        if lib.status in ON_ROUTES
        for b in lib.branches
    ]


def _centre(places: Sequence[_Place]) -> tuple[float, float]:
    return (
        sum(p.latitude for p in places) / len(places),
        sum(p.longitude for p in places) / len(places),
    )


def _bearing(hub: HubPlan, place: _Place) -> float:
    """Degrees anticlockwise from east, as on a map (longitude shrunk by latitude)."""
    dx = (place.longitude - hub.longitude) * math.cos(math.radians(hub.latitude))
    dy = place.latitude - hub.latitude
    return math.degrees(math.atan2(dy, dx)) % 360


def _tour(hub: HubPlan, places: list[_Place]) -> list[_Place]:
    """Nearest first from the depot, then the nearest unvisited from there."""
    left = list(places)
    here = (hub.latitude, hub.longitude)
    order = []
    while left:
        nearest = min(left, key=lambda p: (distance_km(here, (p.latitude, p.longitude)), p.code))
        order.append(nearest)
        left.remove(nearest)
        here = (nearest.latitude, nearest.longitude)
    return order


def stop_days(rng: random.Random, place: _Place) -> str:
    """Weekdays the van calls, all on days the branch is open: the size class's pattern,
    topped up to two calls a week from the branch's other open weekdays (a branch open
    only at weekends gets its first weekend day)."""
    pattern = rng.choice(CALLS.get(place.size_class, CALLS["small"]))
    picked = {i for i in range(7) if pattern[i] == place.open_days[i] == "1"}
    for i in range(5):
        if len(picked) >= MIN_CALLS:
            break
        if place.open_days[i] == "1":
            picked.add(i)
    if not picked:
        picked = {next((i for i in (5, 6) if place.open_days[i] == "1"), 5)}
    return "".join("1" if i in picked else "0" for i in range(7))


def _loops(rng: random.Random, hub: HubPlan, places: list[_Place], prefix: str) -> list[RoutePlan]:
    if not places:
        return []
    count = max(2, min(4, math.ceil(len(places) / STOPS_PER_LOOP)))
    count = min(count, len(places))
    ordered = sorted(places, key=lambda p: (_bearing(hub, p), p.code))
    # Start the sectors at the widest gap between neighbours, so no loop straddles it.
    gaps = [
        ((_bearing(hub, ordered[(i + 1) % len(ordered)]) - _bearing(hub, p)) % 360, i)
        for i, p in enumerate(ordered)
    ]
    start = (max(gaps)[1] + 1) % len(ordered)
    ordered = ordered[start:] + ordered[:start]
    size, extra = divmod(len(ordered), count)
    routes, taken, used = [], 0, set()
    for n in range(count):
        chunk = ordered[taken : taken + size + (n < extra)]
        taken += len(chunk)
        centre = _centre(chunk)
        angle = math.degrees(
            math.atan2(
                centre[0] - hub.latitude,
                (centre[1] - hub.longitude) * math.cos(math.radians(hub.latitude)),
            )
        )
        sector = SECTORS[round(angle % 360 / 45) % 8]
        label = sector
        if label in used:
            label = f"{sector} {n + 1}"
        used.add(label)
        stops = tuple(StopPlan(p.code, stop_days(rng, p)) for p in _tour(hub, chunk))
        runs = "".join(
            "1" if i < 5 or any(s.days[i] == "1" for s in stops) else "0" for i in range(7)
        )
        code = prefix + label.upper().replace(" ", "-")
        name = f"{label} loop" if not prefix else f"{hub.name.split()[0]} {label.lower()} loop"
        routes.append(RoutePlan(code, name, runs, (hub.code,), stops))
    return routes


def plan_routes(rng: random.Random, libraries: Sequence[LibraryPlan]) -> CourierPlan:
    places = _places(libraries)
    if not places:
        return CourierPlan((), ())
    if len(places) <= ONE_HUB_UP_TO:
        lat, lon = _centre(places)
        hub = HubPlan("HUB-C", "Central sorting depot", 1, lat, lon)
        return CourierPlan((hub,), tuple(_loops(rng, hub, places, "")))
    middle = sorted(p.longitude for p in places)[len(places) // 2]
    west = [p for p in places if p.longitude < middle]
    east = [p for p in places if p.longitude >= middle]
    hubs = (
        HubPlan("HUB-W", "Western sorting depot", 1, *_centre(west)),
        HubPlan("HUB-E", "Eastern sorting depot", 1, *_centre(east)),
    )
    trunk = RoutePlan("TRUNK", "Depot to depot trunk", WEEKDAYS_ONLY, ("HUB-E", "HUB-W"), ())
    routes = _loops(rng, hubs[0], west, "W-") + _loops(rng, hubs[1], east, "E-") + [trunk]
    return CourierPlan(hubs, tuple(routes))


def write_routes(plan: CourierPlan, branches: dict[str, Branch]) -> int:
    """Hubs, routes and stops, with one 'route added' event each; returns the routes."""
    hubs = {
        h.code: h
        for h in Hub.objects.bulk_create(
            Hub(code=h.code, name=h.name, transfer_days=h.transfer_days) for h in plan.hubs
        )
    }
    routes = Route.objects.bulk_create(
        Route(code=r.code, name=r.name, days=r.days) for r in plan.routes
    )
    for route, planned in zip(routes, plan.routes, strict=True):
        route.hubs.set([hubs[code] for code in planned.hubs])
    Stop.objects.bulk_create(
        Stop(route=route, branch=branches[s.branch], position=n, days=s.days)
        for route, planned in zip(routes, plan.routes, strict=True)
        for n, s in enumerate(planned.stops, start=1)
    )
    CourierEvent.objects.bulk_create(
        CourierEvent(
            kind=CourierEvent.Kind.ROUTE_ADDED,
            subject=r.code,
            detail={"after": {"stops": [[s.branch, s.days] for s in r.stops]}, "by": "demo"},
        )
        for r in plan.routes
    )
    return len(routes)
