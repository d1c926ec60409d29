"""The load test's consistency checks find what they are written to find: each is held
to a row that breaks its rule (bench/load_checks.py)."""

from __future__ import annotations

import sys
from pathlib import Path

from django.utils import timezone

from onelibrary.catalog.models import Item
from onelibrary.circulation import actions
from onelibrary.holds.models import Hold

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import load_checks  # noqa: E402


def failed(checks: list[load_checks.Check]) -> dict[str, int]:
    return {c.name: c.found for c in checks if not c.passed}


def test_it_passes_a_world_with_a_loan_made_through_the_action(world, rules) -> None:
    actions.check_out(world.desk_riv, world.riv_main, world.ada, world.dune_riv)
    assert failed(load_checks.state_checks()) == {}


def test_it_finds_an_item_checked_out_without_a_loan(world, rules) -> None:
    Item.objects.filter(pk=world.dune_riv.pk).update(status=Item.Status.CHECKED_OUT)
    assert failed(load_checks.state_checks()) == {"every checked-out item has one open loan": 1}


def test_it_finds_an_item_on_loan_and_on_the_hold_shelf(world, rules) -> None:
    actions.check_out(world.desk_riv, world.riv_main, world.ada, world.dune_riv)
    Hold.objects.create(
        patron=world.ben,
        title=world.dune,
        pickup_branch=world.riv_main,
        state=Hold.State.ON_SHELF,
        assigned_item=world.dune_riv,
    )
    found = failed(load_checks.state_checks())
    assert found["no item both on loan and on a hold shelf or in transit"] == 1
    assert found["every hold ready for pickup has its copy on that shelf"] == 1


def test_it_finds_a_scan_written_that_no_desk_was_answered(world, rules) -> None:
    since = timezone.now()
    actions.check_out(world.desk_riv, world.riv_main, world.ada, world.dune_riv)
    answered = {"checkout": {"ok": 0, "other": 0}}
    found = failed(load_checks.scan_checks(since, answered))
    assert found == {"every checkout scan answered is processed or kept": 2}  # event and loan
    answered["checkout"]["ok"] = 1
    assert failed(load_checks.scan_checks(since, answered)) == {}
