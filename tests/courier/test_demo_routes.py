"""The demo group's courier routes (demo/routes.py)."""

from __future__ import annotations

import datetime as dt
import io
import random

import pytest
from django.core.management import call_command

from onelibrary.courier import service
from onelibrary.courier.models import CourierEvent, Route, Stop
from onelibrary.courier.table import NO_ROUTE
from onelibrary.courier.validation import StopDraft, route_problems
from onelibrary.demo.generator import build_plan
from onelibrary.demo.routes import plan_routes

TODAY = dt.date(2026, 11, 26)


def planned(size: str, seed: int = 1):
    plan = build_plan(seed, size, titles=10, patrons=10, today=TODAY)
    return plan, plan_routes(random.Random(f"routes-{seed}"), plan.libraries)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_small_group_has_regional_loops_around_one_depot(seed):
    plan, courier = planned("small", seed)
    assert [h.code for h in courier.hubs] == ["HUB-C"]
    assert 2 <= len(courier.routes) <= 4
    on_routes = [s.branch for r in courier.routes for s in r.stops]
    expected = {
        b.code
        for lib in plan.libraries
        if lib.status in ("active", "onboarding")
        for b in lib.branches
    }
    assert sorted(on_routes) == sorted(expected)  # each member branch on exactly one loop
    applicants = {
        b.code for lib in plan.libraries if lib.status == "applicant" for b in lib.branches
    }
    assert applicants and not applicants & set(on_routes)


@pytest.mark.parametrize("size", ["small", "large"])
def test_every_stop_is_called_on_days_its_branch_is_open_and_the_routes_are_valid(size):
    plan, courier = planned(size)
    open_days = {b.code: b.open_days for lib in plan.libraries for b in lib.branches}
    calls = []
    for route in courier.routes:
        drafts = [StopDraft(s.branch, s.days) for s in route.stops]
        problems = route_problems(
            code=route.code,
            name=route.name,
            days=route.days,
            stops=drafts,
            hub_count=len(route.hubs),
        )
        assert problems == []
        for stop in route.stops:
            assert all(open_days[stop.branch][i] == "1" for i in range(7) if stop.days[i] == "1")
            calls.append(stop.days.count("1"))
    # Most stops are called two to five days a week.
    assert sum(2 <= n <= 5 for n in calls) >= 0.8 * len(calls)


def test_the_large_group_has_two_depots_and_a_trunk_between_them():
    _, courier = planned("large")
    assert [h.code for h in courier.hubs] == ["HUB-W", "HUB-E"]
    trunk = next(r for r in courier.routes if r.code == "TRUNK")
    assert trunk.stops == () and sorted(trunk.hubs) == ["HUB-E", "HUB-W"]
    loops = [r for r in courier.routes if r.code != "TRUNK"]
    assert 4 <= len(loops) <= 8


def test_the_plan_is_the_same_for_the_same_seed():
    assert planned("small", 5)[1] == planned("small", 5)[1]


def test_load_demo_writes_routes_that_connect_every_branch_on_them(db, settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    call_command(
        "load_demo", "--titles", "50", "--patrons", "20", "--no-marc", stdout=io.StringIO()
    )
    assert Route.objects.count() >= 2 and Stop.objects.exists()
    assert CourierEvent.objects.filter(kind="route_added").count() == Route.objects.count()
    table = service.current_table()
    routed = set(Stop.objects.values_list("branch_id", flat=True))
    matrix = table.matrix(service.today())
    for i, sender in enumerate(table.branch_ids):
        for j, receiver in enumerate(table.branch_ids):
            if sender in routed and receiver in routed:
                assert matrix[i, j] != NO_ROUTE
                # Twice-a-week stops and a holiday week can take two weeks, not more.
                assert matrix[i, j] <= 14
