"""A routing run racing a desk over the same copy leaves no hold routed to a lent copy.

The item's state has one owner (`catalog/itemstate.py`): routing gives a copy to a hold
only through `itemstate.reserve`, which locks and writes the copy's row, and skips a row
a desk holds. On PostgreSQL the two run truly at once here; on SQLite the second writer
waits for the first (BEGIN IMMEDIATE), and the outcome must be the same.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable

import pytest
from django.db import connection, transaction
from django.utils import timezone

from onelibrary.catalog.models import Item
from onelibrary.circulation import actions
from onelibrary.holds.actions import route_titles
from onelibrary.holds.models import Hold

pytestmark = pytest.mark.django_db(transaction=True)


def _wait_until_blocked_or_done(done: threading.Event) -> None:
    """Until the other session waits for a lock (PostgreSQL) or has finished; SQLite cannot
    say who waits, so there it is given a moment."""
    if connection.vendor != "postgresql":
        time.sleep(0.5)
        return
    started = time.monotonic()
    with connection.cursor() as cursor:
        while time.monotonic() - started < 10 and not done.is_set():
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                "AND datname = current_database()"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.02)


def _one_copy_and_a_waiting_hold(world) -> Hold:
    """Dune's Riverton copy, old enough to be outside any new-item window, and Ben's hold."""
    Item.objects.filter(pk=world.dune_pine.pk).update(status=Item.Status.WITHDRAWN)
    Item.objects.filter(pk=world.dune_riv.pk).update(
        created_at=timezone.now() - dt.timedelta(days=800)
    )
    return Hold.objects.create(
        patron=world.ben, title=world.dune, pickup_branch=world.pine_main, placed_at=timezone.now()
    )


def _no_hold_routed_to_a_lent_copy() -> None:
    lent = Item.objects.filter(status=Item.Status.CHECKED_OUT)
    routed = Hold.objects.filter(state=Hold.State.ROUTED, assigned_item__in=lent)
    assert not routed.exists(), list(routed.values("pk", "assigned_item__barcode"))


def _race(first: Callable[[], object], second: Callable[[], object]) -> list[BaseException]:
    """`first` runs in a transaction held open until `second`, started once `first` has
    done its work, waits for its lock (or, on SQLite, has had a moment); then `first`
    commits. Returns what either raised."""
    started, release, done = threading.Event(), threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def one() -> None:
        try:
            with transaction.atomic():
                first()
                started.set()
                release.wait(10)
        except BaseException as error:  # noqa: BLE001 - the caller's assertion shows it
            errors.append(error)
            started.set()
        finally:
            connection.close()

    def two() -> None:
        try:
            started.wait(10)
            with transaction.atomic():
                second()
        except BaseException as error:  # noqa: BLE001
            errors.append(error)
        finally:
            done.set()
            connection.close()

    threads = [threading.Thread(target=one), threading.Thread(target=two)]
    for thread in threads:
        thread.start()
    assert started.wait(10)
    _wait_until_blocked_or_done(done)
    release.set()
    for thread in threads:
        thread.join(20)
    return errors


def test_a_routing_run_during_a_checkout_does_not_route_the_copy_being_lent(world, rules):
    hold = _one_copy_and_a_waiting_hold(world)
    errors = _race(
        lambda: actions.check_out(world.central, world.riv_main, world.ada, world.dune_riv),
        lambda: route_titles([world.dune.pk], now=timezone.now()),
    )
    assert errors == []
    assert Item.objects.get(pk=world.dune_riv.pk).status == Item.Status.CHECKED_OUT
    _no_hold_routed_to_a_lent_copy()
    assert Hold.objects.get(pk=hold.pk).state == Hold.State.WAITING


def test_a_checkout_during_a_routing_run_releases_the_hold_it_was_routed(world, rules):
    hold = _one_copy_and_a_waiting_hold(world)
    errors = _race(
        lambda: route_titles([world.dune.pk], now=timezone.now()),
        lambda: actions.check_out(world.central, world.riv_main, world.ada, world.dune_riv),
    )
    assert errors == []
    assert Item.objects.get(pk=world.dune_riv.pk).status == Item.Status.CHECKED_OUT
    _no_hold_routed_to_a_lent_copy()
    assert Hold.objects.get(pk=hold.pk).state == Hold.State.WAITING


def test_without_a_race_the_copy_is_routed_to_the_hold(world, rules):
    """The two tests above would pass if routing never routed this copy at all."""
    hold = _one_copy_and_a_waiting_hold(world)
    with transaction.atomic():
        route_titles([world.dune.pk], now=timezone.now())
    hold.refresh_from_db()
    assert (hold.state, hold.assigned_item_id) == (Hold.State.ROUTED, world.dune_riv.pk)
