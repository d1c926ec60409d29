"""The route schedule's courier days (DAYS-2 in docs/courier.md): the one place that reads
the routes from the database, builds the table (courier/table.py) and keeps it while
nothing changes. The rest of OneLibrary asks `courier.days`, which tries the learned
times first and falls back past the schedule; this module answers the schedule step.

`scheduled_days` answers one pair, `scheduled_days_for` many; `current_table()` returns
the checked table for callers that ask many dates (the benchmark). Every call of
`current_table()` reads one token (`CourierVersion`, moved by database triggers whenever
routes, stops, hubs, branches or closed dates change; onelibrary/versions.py) and
rebuilds the table only when it moved, or when the day has changed. docs/courier.md,
"The table".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection

import numpy as np
from django.utils import timezone

from onelibrary.courier import schedule
from onelibrary.courier.models import Hub, Route, Stop
from onelibrary.courier.table import HORIZON_DAYS, CourierTable, build
from onelibrary.members.models import Branch, ClosedDate
from onelibrary.versions import Kept

# The table starts this many days before today, so that items shipped last week still
# have their expected arrival looked up rather than computed.
DAYS_BEFORE_TODAY = 7
TOKEN_TABLE = "courier_courierversion"


def today() -> dt.date:
    return timezone.localdate()


def load_network(first: dt.date, last: dt.date) -> schedule.Network:
    """The courier network as plain data: open branches (closed dates from `first` to
    `last`), hubs, and active routes with their stops in order."""
    closed: dict[int, set[dt.date]] = {}
    for branch_id, day in ClosedDate.objects.filter(date__gte=first, date__lte=last).values_list(
        "branch_id", "date"
    ):
        closed.setdefault(branch_id, set()).add(day)
    branches = {
        pk: schedule.BranchCalendar(pk, code, open_days, frozenset(closed.get(pk, ())))
        for pk, code, open_days in Branch.objects.filter(is_active=True)
        .order_by("pk")
        .values_list("pk", "code", "open_days")
    }
    hubs = {
        code: schedule.HubSpec(code, name, transfer)
        for code, name, transfer in Hub.objects.order_by("code").values_list(
            "code", "name", "transfer_days"
        )
    }
    stops: dict[int, list[schedule.StopSpec]] = {}
    for route_id, branch_id, days in (
        Stop.objects.filter(route__is_active=True)
        .order_by("route_id", "position")
        .values_list("route_id", "branch_id", "days")
    ):
        stops.setdefault(route_id, []).append(schedule.StopSpec(branch_id, days))
    route_hubs: dict[int, list[str]] = {}
    for route_id, code in (
        Route.hubs.through.objects.filter(route__is_active=True)
        .order_by("route_id", "hub__code")
        .values_list("route_id", "hub__code")
    ):
        route_hubs.setdefault(route_id, []).append(code)
    routes = tuple(
        schedule.RouteSpec(
            code=code,
            name=name,
            days=days,
            hubs=tuple(route_hubs.get(pk, ())),
            stops=tuple(stops.get(pk, ())),
        )
        for pk, code, name, days in Route.objects.filter(is_active=True)
        .order_by("code")
        .values_list("pk", "code", "name", "days")
    )
    return schedule.Network(branches=branches, hubs=hubs, routes=routes)


# What load_network reads.
_kept: Kept[CourierTable] = Kept(
    TOKEN_TABLE, watches=[Route, Route.hubs.through, Stop, Hub, Branch, ClosedDate]
)


def forget() -> None:
    """Drop the kept table (the next call rebuilds it)."""
    _kept.forget()


def current_table() -> CourierTable:
    """The table for today's horizon, rebuilt when the courier data has changed (its
    version token moved) or the day has."""
    first = today() - dt.timedelta(days=DAYS_BEFORE_TODAY)
    last = first + dt.timedelta(days=HORIZON_DAYS + schedule.MAX_DAYS + 2)
    return _kept.get(lambda: build(load_network(first, last), first), key=first)


def has_routes() -> bool:
    return Route.objects.filter(is_active=True, stops__isnull=False).exists()


def explain(sender_branch_id: int, receiver_branch_id: int, on: dt.date) -> schedule.Answer:
    """The full answer with its legs (computed, not looked up)."""
    network = load_network(on, on + dt.timedelta(days=schedule.MAX_DAYS + 1))
    return schedule.expected(network, sender_branch_id, receiver_branch_id, on)


def _days(table: CourierTable, sender: int, receiver: int, on: dt.date) -> int | None:
    if sender == receiver:
        return 0
    try:
        return table.days(sender, receiver, on)
    except KeyError:  # a date outside the horizon, or a branch closed for good
        return explain(sender, receiver, on).days


def scheduled_days(sender_branch_id: int, receiver_branch_id: int, on: dt.date) -> int | None:
    """Whole days by the route schedule from shipping at the sender on `on` to delivery at
    the receiver; None when no route connects them (COURIER-5). Only the schedule: the
    rest of OneLibrary asks `courier.days`, which tries the learned times first."""
    return _days(current_table(), sender_branch_id, receiver_branch_id, on)


def scheduled_days_for(
    pairs: Collection[tuple[int, int]], shipped_on: Callable[[int], dt.date]
) -> dict[tuple[int, int], int]:
    """The bulk form of `scheduled_days`, for many (sender, receiver) pairs, each shipped
    on `shipped_on(sender)`. Pairs the routes do not connect are left out."""
    pairs = [(o, d) for o, d in pairs if o != d]
    if not pairs or not has_routes():
        return {}
    table = current_table()
    found: dict[tuple[int, int], int] = {}
    by_day: dict[dt.date, list[tuple[int, int]]] = {}
    for pair in pairs:
        by_day.setdefault(shipped_on(pair[0]), []).append(pair)
    for day, some in by_day.items():
        if table.covers(day):  # the bulk lookup, one ship date at a time
            ends = np.array(some, dtype=np.int64)
            days = table.days_for(ends[:, 0], ends[:, 1], day)
            found.update((pair, d) for pair, d in zip(some, days.tolist(), strict=True) if d >= 0)
            continue
        for sender, receiver in some:
            answer = _days(table, sender, receiver, day)
            if answer is not None:
                found[sender, receiver] = answer
    return found


def hubs_between(sender_branch_id: int, receiver_branch_id: int, on: dt.date) -> set[str]:
    """The codes of the courier hubs an item shipped on `on` passes through (transit packs
    it into a crate for one of them)."""
    answer = explain(sender_branch_id, receiver_branch_id, on)
    return {
        end.removeprefix("hub ")
        for leg in answer.legs
        for end in (leg.origin, leg.destination)
        if end.startswith("hub ")
    }
