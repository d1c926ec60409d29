"""Routing of holds reads courier days from the schedules (docs/courier.md, "Courier days").

Ada's hold on Dune is for pickup at ELK, placed on a Monday. By distance PINE's copy is
nearer (CourierDays PINE→ELK 1 day, RIV-MAIN→ELK 3). On the routes, PINE is called only
on Saturdays, RIV-MAIN every weekday:

- RIV-MAIN: pulled Tuesday (1 pull day), van Tuesday, at ELK Wednesday: 1 + 1 = 2 days;
- PINE: opens Tuesday, pulled Wednesday (2 pull days), van Saturday, at ELK Monday:
  2 + 5 = 7 days.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from onelibrary.catalog.models import Item
from onelibrary.courier import actions as courier_actions
from onelibrary.courier.management.commands.courier_matrix import fill_courier_days
from onelibrary.courier.models import CourierDays, CourierSettings
from onelibrary.holds import actions, inputs
from onelibrary.holds.models import Hold
from onelibrary.policy.models import GroupPolicy
from tests.courier.conftest import monday_weeks_ago, trips


def next_monday_at_ten() -> dt.datetime:
    today = timezone.localdate()
    monday = today + dt.timedelta(days=7 - today.weekday())
    return timezone.make_aware(dt.datetime.combine(monday, dt.time(10)))


@pytest.fixture
def by_distance(world, rules):
    """The holds world (old copies, the group policy, the distance matrix), then the
    matrix corrected so that PINE is the nearer."""
    hw = world
    Item.objects.update(created_at=timezone.now() - dt.timedelta(days=365))
    fill_courier_days()
    GroupPolicy.objects.create()
    CourierDays.objects.filter(origin=hw.pine_main, destination=hw.elk_main).update(days=Decimal(1))
    CourierDays.objects.filter(origin=hw.riv_main, destination=hw.elk_main).update(days=Decimal(3))
    return hw


def add_routes(world) -> None:
    stop = courier_actions.StopInput
    courier_actions.save_route(
        world.central,
        None,
        code="FAST",
        name="Daily van",
        days="1111100",
        hubs=[],
        stops=[stop("RIV-MAIN", "1111100"), stop("ELK", "1111100")],
    )
    courier_actions.save_route(
        world.central,
        None,
        code="SLOW",
        name="Saturday van",
        days="1111110",
        hubs=[],
        stops=[stop("PINE", "0000010"), stop("ELK", "1111100")],
    )


def routed_copy(world, now: dt.datetime) -> Hold:
    placed = actions.place_hold(
        world.desk_riv, world.ada, world.elk_main, title=world.dune, now=now
    )
    return Hold.objects.get(pk=placed.hold.pk)


def test_without_routes_the_nearer_copy_by_distance_wins(by_distance):
    hold = routed_copy(by_distance, next_monday_at_ten())
    assert hold.assigned_item == by_distance.dune_pine


def test_the_copy_served_daily_beats_the_nearer_one_served_weekly(by_distance):
    add_routes(by_distance)
    now = next_monday_at_ten()
    network = inputs.network_for(
        {by_distance.riv_main.pk, by_distance.pine_main.pk}, {by_distance.elk_main.pk}, now.date()
    )
    assert network.courier_days[by_distance.riv_main.pk, by_distance.elk_main.pk] == 1.0
    assert network.courier_days[by_distance.pine_main.pk, by_distance.elk_main.pk] == 5.0
    hold = routed_copy(by_distance, now)
    assert hold.assigned_item == by_distance.dune_riv


def test_pairs_the_routes_do_not_cover_keep_the_distance_matrix(by_distance):
    add_routes(by_distance)
    network = inputs.network_for(
        {by_distance.riv_main.pk}, {by_distance.riv_east.pk}, next_monday_at_ten().date()
    )
    # RIV-EAST is on no route: the matrix's 1 day (same library) stands.
    assert network.courier_days[by_distance.riv_main.pk, by_distance.riv_east.pk] == 1.0


def received_transits(world, count: int, days: int) -> None:
    trips(world.riv_main, world.elk_main, days=days, count=count, sent_on=monday_weeks_ago(4))


def test_routing_uses_the_learned_days_once_there_are_enough_transits(by_distance):
    add_routes(by_distance)
    now = next_monday_at_ten()
    received_transits(by_distance, 19, days=9)
    pair = (by_distance.riv_main.pk, by_distance.elk_main.pk)
    # 19 transits: not yet enough, the schedule's 1 day stands.
    assert inputs.network_for({pair[0]}, {pair[1]}, now.date()).courier_days[pair] == 1.0
    received_transits(by_distance, 1, days=9)
    assert inputs.network_for({pair[0]}, {pair[1]}, now.date()).courier_days[pair] == 9.0
    # RIV-MAIN now costs 1 + 9 = 10 days, PINE 7: PINE's copy wins.
    assert routed_copy(by_distance, now).assigned_item == by_distance.dune_pine


def test_the_group_may_switch_learned_days_off(by_distance):
    add_routes(by_distance)
    received_transits(by_distance, 25, days=9)
    CourierSettings.objects.create(use_learned=False)
    pair = (by_distance.riv_main.pk, by_distance.elk_main.pk)
    days = inputs.network_for({pair[0]}, {pair[1]}, next_monday_at_ten().date()).courier_days
    assert days[pair] == 1.0
