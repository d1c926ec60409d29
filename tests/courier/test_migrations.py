"""The courier-days matrix moves from holds to courier, and received transits become trips,
without losing a row either way (migrations courier 0004, holds 0002, transit 0002). Runs
on SQLite and PostgreSQL alike."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from onelibrary.courier.models import CourierDays, CourierTrip

BEFORE = [
    ("courier", "0003_courierversion"),
    ("holds", "0001_initial"),
    ("transit", "0001_initial"),
]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.fixture
def before(transactional_db, world):
    old = migrate(BEFORE)
    yield old
    migrate(latest())


def test_the_matrix_and_the_received_transits_survive_the_move_both_ways(before, world):
    old_days = before.get_model("holds", "CourierDays")
    old_days.objects.create(origin_id=world.riv_main.pk, destination_id=world.elk_main.pk, days=3)
    old_days.objects.create(
        origin_id=world.elk_main.pk, destination_id=world.riv_main.pk, days=Decimal("2.5")
    )
    shipped = timezone.make_aware(dt.datetime(2030, 1, 7, 12))
    transit = before.get_model("transit", "Transit")
    common = {
        "item_id": world.dune_riv.pk,
        "sender_id": world.riv_main.pk,
        "receiver_id": world.elk_main.pk,
        "reason": "hold",
        "state": "received",
        "shipped_at": shipped,
        "expected_on": dt.date(2030, 1, 9),
        "received_at": shipped + dt.timedelta(days=4),
    }
    transit.objects.create(**common, received_branch_id=world.elk_main.pk)
    transit.objects.create(**common, received_branch_id=world.pine_main.pk)  # elsewhere

    migrate(latest())
    assert set(CourierDays.objects.values_list("origin", "destination", "days")) == {
        (world.riv_main.pk, world.elk_main.pk, Decimal(3)),
        (world.elk_main.pk, world.riv_main.pk, Decimal("2.5")),
    }
    trips = list(CourierTrip.objects.values_list("shipped_on", "days", "scheduled_days"))
    assert trips == [(dt.date(2030, 1, 7), 4, 2)]

    CourierDays.objects.filter(origin=world.riv_main).update(days=4)  # corrected after
    back = migrate(BEFORE)
    assert set(
        back.get_model("holds", "CourierDays").objects.values_list(
            "origin_id", "destination_id", "days"
        )
    ) == {
        (world.riv_main.pk, world.elk_main.pk, Decimal(4)),
        (world.elk_main.pk, world.riv_main.pk, Decimal("2.5")),
    }
