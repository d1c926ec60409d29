"""The courier network of the test world, made through the actions as the central office.

- hub MID (1 transfer day);
- WEST (van Mon–Sat, hub MID): RIV-MAIN Mon/Wed/Fri, RIV-EAST Tue/Thu;
- EAST (van Mon–Sat, hub MID): PINE Tue/Thu/Sat (PINE opens Tue/Thu/Sat).
- ELK is on no route.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.test import Client
from django.utils import timezone

from onelibrary.courier import actions
from onelibrary.courier.models import Hub, Route
from onelibrary.members import tokens
from onelibrary.members.models import Branch
from tests.api.conftest import Api


@dataclass(frozen=True)
class Courier:
    mid: Hub
    west: Route
    east: Route


def make_courier(world) -> Courier:
    staff = world.central
    mid = actions.save_hub(staff, None, code="MID", name="Midway depot", transfer_days=1)
    west = actions.save_route(
        staff,
        None,
        code="WEST",
        name="West loop",
        days="1111110",
        hubs=[mid],
        stops=[
            actions.StopInput("RIV-MAIN", "1010100"),
            actions.StopInput("RIV-EAST", "0101000"),
        ],
    )
    east = actions.save_route(
        staff,
        None,
        code="EAST",
        name="East loop",
        days="1111110",
        hubs=[mid],
        stops=[actions.StopInput("PINE", "0101010")],
    )
    return Courier(mid=mid, west=west, east=east)


@pytest.fixture
def courier(world) -> Courier:
    return make_courier(world)


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def api(world) -> Api:
    return Api(Client(), tokens.issue_token(world.desk_pine, name="tests").key)


def at_noon(day: dt.date) -> dt.datetime:
    # Noon local time, whole calendar days apart, so that a change of clocks between two
    # of them cannot move a date.
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def monday_weeks_ago(weeks: int) -> dt.date:
    today = timezone.localdate()
    return today - dt.timedelta(days=today.weekday() + 7 * weeks)


def trips(sender: Branch, receiver: Branch, *, days: int, count: int = 1, sent_on: dt.date) -> None:
    """`count` items that took `days` from `sender` to `receiver`, kept through the action
    transit calls when it receives them (courier.actions.record_trip)."""
    for _ in range(count):
        actions.record_trip(
            sender.pk,
            receiver.pk,
            shipped_at=at_noon(sent_on),
            received_at=at_noon(sent_on + dt.timedelta(days=days)),
        )
