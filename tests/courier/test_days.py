"""Courier days, the one answer (courier/days.py, docs/courier.md "Courier days"): a test
per step of the fallback order, DAYS-1 to DAYS-5.

The test world's routes (conftest): WEST calls at RIV-MAIN Mon/Wed/Fri and RIV-EAST
Tue/Thu, EAST at PINE Tue/Thu/Sat, both meeting at hub MID; ELK is on no route.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest

from onelibrary.courier import days
from onelibrary.courier.days import Source
from onelibrary.courier.distance import estimated_days
from onelibrary.courier.models import CourierDays, CourierSettings
from onelibrary.members.models import Branch
from tests.courier.conftest import monday_weeks_ago, trips

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2030, 1, 7)
DOCS = Path(__file__).resolve().parents[2] / "docs" / "courier.md"


def answer(world, sender, receiver, on=MONDAY) -> tuple[float | None, Source]:
    found = days.days_between(sender.pk, receiver.pk, on)
    return found.days, found.source


def test_the_same_branch_is_zero_days(world, courier):
    assert answer(world, world.elk_main, world.elk_main) == (0.0, Source.SAME_BRANCH)


def test_days_1_the_learned_median_once_a_pair_has_enough_trips(world, courier):
    CourierSettings.objects.create(learned_min_transits=3)
    sent = monday_weeks_ago(3)
    trips(world.riv_main, world.pine_main, days=5, count=2, sent_on=sent)
    # Two trips: not enough, the schedule's 3 days stand (DAYS-2).
    assert answer(world, world.riv_main, world.pine_main) == (3.0, Source.SCHEDULE)
    trips(world.riv_main, world.pine_main, days=6, count=2, sent_on=sent)
    assert answer(world, world.riv_main, world.pine_main) == (5.5, Source.LEARNED)
    # A half-day median is expected on the next whole day.
    assert days.expected_arrival(world.riv_main.pk, world.pine_main.pk, MONDAY) == dt.date(
        2030, 1, 13
    )


def test_days_1_learned_wins_even_where_the_routes_do_not_go_and_may_be_switched_off(
    world, courier
):
    CourierSettings.objects.create(learned_min_transits=2)
    trips(world.elk_main, world.pine_main, days=4, count=2, sent_on=monday_weeks_ago(2))
    assert answer(world, world.elk_main, world.pine_main) == (4.0, Source.LEARNED)
    CourierSettings.objects.update(use_learned=False)
    assert answer(world, world.elk_main, world.pine_main)[1] == Source.ESTIMATE


def test_days_2_the_route_schedule_for_the_ship_date(world, courier):
    # Monday: WEST picks up at RIV-MAIN, MID that night, ready Tuesday, PINE on Thursday.
    assert answer(world, world.riv_main, world.pine_main) == (3.0, Source.SCHEDULE)
    # Tuesday: RIV-MAIN is next called Wednesday, PINE next served Saturday.
    tuesday = MONDAY + dt.timedelta(days=1)
    assert answer(world, world.riv_main, world.pine_main, tuesday) == (4.0, Source.SCHEDULE)


def test_days_2_the_schedule_wins_over_a_matrix_row(world, courier):
    CourierDays.objects.create(origin=world.riv_main, destination=world.pine_main, days=9)
    assert answer(world, world.riv_main, world.pine_main) == (3.0, Source.SCHEDULE)


def test_days_3_the_matrix_row_for_a_pair_no_route_connects(world, courier):
    CourierDays.objects.create(
        origin=world.elk_main, destination=world.pine_main, days=Decimal("2.5")
    )
    assert answer(world, world.elk_main, world.pine_main) == (2.5, Source.MATRIX)


def test_days_4_an_estimate_from_the_distance(world, courier):
    estimate = estimated_days(world.elk_main, world.pine_main)
    assert estimate is not None and estimate >= 1
    assert answer(world, world.elk_main, world.pine_main) == (estimate, Source.ESTIMATE)


def test_days_5_no_route_without_coordinates(world, courier):
    Branch.objects.filter(pk=world.elk_main.pk).update(latitude=None, longitude=None)
    found = days.days_between(world.elk_main.pk, world.pine_main.pk, MONDAY)
    assert (found.days, found.source, found.arrival, found.reachable) == (
        None,
        Source.NO_ROUTE,
        None,
        False,
    )


def test_the_bulk_form_answers_every_pair_as_one_by_one_would(world, courier):
    CourierSettings.objects.create(learned_min_transits=1)
    trips(world.riv_east, world.pine_main, days=7, sent_on=monday_weeks_ago(1))
    CourierDays.objects.create(origin=world.elk_main, destination=world.riv_main, days=2)
    branches = [world.riv_main, world.riv_east, world.pine_main, world.elk_main]
    pairs = [(a.pk, b.pk) for a in branches for b in branches]
    ship = {b.pk: MONDAY + dt.timedelta(days=i) for i, b in enumerate(branches)}
    bulk = days.days_for(pairs, ship)
    assert bulk == {(a, b): days.days_between(a, b, ship[a]) for a, b in pairs}
    sources = {found.source for found in bulk.values()}
    assert sources == {Source.SAME_BRANCH, Source.LEARNED, Source.SCHEDULE, Source.MATRIX,
                       Source.ESTIMATE}  # fmt: skip


def test_every_days_rule_in_the_docs_has_a_test_and_a_place_in_the_code():
    documented = set(re.findall(r"\bDAYS-\d+\b", DOCS.read_text()))
    assert documented == {f"DAYS-{n}" for n in range(1, 6)}
    tested = {f"DAYS-{n}" for n in re.findall(r"def test_days_(\d+)_", Path(__file__).read_text())}
    assert documented == tested
    code = Path(days.__file__).read_text()
    assert all(f"# {rule}" in code for rule in documented)
