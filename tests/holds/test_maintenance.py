"""The background work: pull deadlines recorded against the lender, routing waiting holds
again, the holds-maintenance command and the huey task."""

from __future__ import annotations

import datetime as dt
import io

from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from onelibrary.catalog.models import Item
from onelibrary.circulation import tasks
from onelibrary.holds import actions
from onelibrary.holds.models import Hold, HoldEvent
from tests.holds.conftest import fresh

IN_THREE_DAYS = timezone.now() + dt.timedelta(days=3)


def test_it_re_routes_a_hold_whose_copy_was_not_pulled_and_records_it_against_the_lender(hw):
    hold = actions.place_hold(hw.desk_riv, hw.ada, hw.riv_east, title=hw.dune).hold
    assert hold.assigned_item == hw.dune_riv
    report = tasks.run_maintenance(IN_THREE_DAYS)
    assert report.rerouted == 1
    missed = HoldEvent.objects.get(kind="pull_deadline_missed")
    assert (missed.hold, missed.item, missed.lender) == (hold, hw.dune_riv, "RIV")
    hold = fresh(hold)
    assert hold.state == Hold.State.ROUTED and hold.assigned_item == hw.dune_pine


def test_it_leaves_a_hold_routed_within_the_deadline_alone(hw):
    hold = actions.place_hold(hw.desk_riv, hw.ada, hw.riv_east, title=hw.dune).hold
    assert tasks.run_maintenance().rerouted == 0
    assert fresh(hold).assigned_item == hw.dune_riv


def test_it_routes_a_waiting_hold_once_its_suspension_is_over(hw):
    hold = actions.place_hold(hw.desk_riv, hw.ada, hw.riv_main, title=hw.dune).hold
    actions.suspend_hold(hw.desk_riv, hold, timezone.localdate() + dt.timedelta(days=1))
    assert fresh(hold).state == Hold.State.WAITING
    report = tasks.run_maintenance(IN_THREE_DAYS)
    assert report.titles_routed == 1
    assert fresh(hold).state == Hold.State.ROUTED


def test_it_routes_a_waiting_hold_when_a_copy_is_back_on_a_shelf(hw):
    Item.objects.update(status=Item.Status.IN_PROCESSING)
    hold = actions.place_hold(hw.desk_riv, hw.ada, hw.riv_main, title=hw.dune).hold
    assert hold.state == Hold.State.WAITING
    Item.objects.filter(pk=hw.dune_pine.pk).update(status=Item.Status.AVAILABLE)
    tasks.run_maintenance()
    assert fresh(hold).assigned_item == hw.dune_pine


def test_it_runs_the_same_work_from_the_command(hw):
    actions.place_hold(hw.desk_riv, hw.ada, hw.riv_main, title=hw.dune)
    out = io.StringIO()
    call_command("holds_maintenance", stdout=out)
    assert "0 holds expired on the shelf, 0 re-routed" in out.getvalue()


def test_it_runs_the_huey_task_at_once_under_tests(hw):
    assert settings.HUEY["immediate"] is True
    Item.objects.update(status=Item.Status.IN_PROCESSING)
    hold = actions.place_hold(hw.desk_riv, hw.ada, hw.riv_main, title=hw.dune).hold
    Item.objects.filter(pk=hw.dune_riv.pk).update(status=Item.Status.AVAILABLE)
    tasks.maintenance()
    assert fresh(hold).assigned_item == hw.dune_riv
