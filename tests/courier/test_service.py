"""The route schedule step of courier days (DAYS-2): the days the schedules give, read from
the database and kept behind the courier token."""

from __future__ import annotations

import datetime as dt

import pytest

from onelibrary.courier import service
from onelibrary.courier.models import Hub, Route, Stop
from onelibrary.members.models import ClosedDate

MONDAY = dt.date(2030, 1, 7)


@pytest.fixture
def routes(world):
    """WEST: RIV-MAIN Mon/Wed/Fri, RIV-EAST Tue/Thu; EAST: PINE Tue/Thu/Sat...; hub MID (1 day)."""
    mid = Hub.objects.create(code="MID", name="Midway depot", transfer_days=1)
    west = Route.objects.create(code="WEST", name="West loop", days="1111110")
    east = Route.objects.create(code="EAST", name="East loop", days="1111110")
    west.hubs.add(mid)
    east.hubs.add(mid)
    Stop.objects.create(route=west, branch=world.riv_main, position=1, days="1010100")
    Stop.objects.create(route=west, branch=world.riv_east, position=2, days="0101000")
    Stop.objects.create(route=east, branch=world.pine_main, position=1, days="0101010")
    return {"mid": mid, "west": west, "east": east}


def test_it_gives_the_arrival_on_the_same_route(world, routes):
    # Shipped Monday at RIV-MAIN: picked up Monday, RIV-EAST next served Tuesday.
    assert service.scheduled_days(world.riv_main.pk, world.riv_east.pk, MONDAY) == 1


def test_it_adds_the_hub_transfer_between_routes(world, routes):
    # Mon pickup at RIV-MAIN, at MID Monday night, ready for EAST Tuesday, PINE served
    # Thursday (the first day after Tuesday it is served and open).
    assert service.scheduled_days(world.riv_main.pk, world.pine_main.pk, MONDAY) == 3  # Thu 10th


def test_it_says_none_when_no_route_serves_a_branch(world, routes):
    assert service.scheduled_days(world.riv_main.pk, world.elk_main.pk, MONDAY) is None
    assert service.scheduled_days(world.elk_main.pk, world.riv_main.pk, MONDAY) is None


def test_it_gives_zero_days_for_the_same_branch(world, routes):
    assert service.scheduled_days(world.elk_main.pk, world.elk_main.pk, MONDAY) == 0


def test_it_sees_a_new_closed_date_at_once(world, routes):
    today = service.today()
    monday = today + dt.timedelta(days=7 - today.weekday())
    assert service.scheduled_days(world.riv_main.pk, world.riv_east.pk, monday) == 1
    ClosedDate.objects.create(branch=world.riv_east, date=monday + dt.timedelta(days=1))
    # Tuesday closed: Thursday is RIV-EAST's next served day.
    assert service.scheduled_days(world.riv_main.pk, world.riv_east.pk, monday) == 3


def test_it_sees_a_changed_stop_at_once(world, routes):
    today = service.today()
    assert service.scheduled_days(world.riv_main.pk, world.riv_east.pk, today) is not None
    Stop.objects.filter(branch=world.riv_east).delete()
    assert service.scheduled_days(world.riv_main.pk, world.riv_east.pk, today) is None


def test_it_sees_a_bulk_update_and_reads_only_the_token_while_nothing_changes(world, routes):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    today = service.today()
    monday = today + dt.timedelta(days=7 - today.weekday())
    assert service.scheduled_days(world.riv_main.pk, world.riv_east.pk, monday) == 1
    with CaptureQueriesContext(connection) as queries:
        service.scheduled_days(world.riv_main.pk, world.riv_east.pk, monday)
    assert len(queries) == 1 and "courier_courierversion" in queries[0]["sql"]
    # RIV-EAST served on Thursdays only, written past the actions (a bulk update).
    Stop.objects.filter(branch=world.riv_east).update(days="0001000")
    assert service.scheduled_days(world.riv_main.pk, world.riv_east.pk, monday) == 3


def test_the_bulk_form_leaves_out_pairs_with_no_route(world, routes):
    pairs = [
        (world.riv_main.pk, world.riv_east.pk),
        (world.riv_main.pk, world.pine_main.pk),
        (world.riv_main.pk, world.elk_main.pk),  # ELK is on no route
    ]
    assert service.scheduled_days_for(pairs, lambda _: MONDAY) == {pairs[0]: 1, pairs[1]: 3}


def test_it_names_the_hubs_on_the_way(world, routes):
    assert service.hubs_between(world.riv_main.pk, world.pine_main.pk, MONDAY) == {"MID"}
    assert service.hubs_between(world.riv_main.pk, world.riv_east.pk, MONDAY) == set()
