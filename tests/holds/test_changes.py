"""A patron's changes: suspend and resume, cancel, change the pickup branch."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from onelibrary.circulation import actions as circulation
from onelibrary.circulation import holds_desk
from onelibrary.holds import actions
from onelibrary.holds.actions import HoldError
from onelibrary.holds.models import Hold, HoldEvent
from onelibrary.members.models import Branch
from tests.holds.conftest import fresh

NEXT_WEEK = timezone.localdate() + dt.timedelta(days=7)


def ada_holds_dune(hw, **kwargs):
    kwargs.setdefault("title", hw.dune)
    return actions.place_hold(hw.desk_riv, hw.ada, hw.riv_main, **kwargs).hold


def test_it_suspends_a_routed_hold_and_gives_its_copy_to_the_next(hw):
    first = ada_holds_dune(hw, item=hw.dune_riv)
    second = actions.place_hold(hw.desk_pine, hw.ben, hw.riv_main, title=hw.dune).hold
    assert fresh(second).assigned_item == hw.dune_pine
    actions.suspend_hold(hw.desk_riv, first, NEXT_WEEK)
    first = fresh(first)
    assert first.state == Hold.State.WAITING and first.suspended_until == NEXT_WEEK
    assert first.assigned_item is None


def test_it_resumes_a_suspended_hold_and_routes_it(hw):
    hold = ada_holds_dune(hw)
    actions.suspend_hold(hw.desk_riv, hold, NEXT_WEEK)
    actions.resume_hold(hw.desk_riv, hold)
    hold = fresh(hold)
    assert hold.suspended_until is None and hold.state == Hold.State.ROUTED
    kinds = set(HoldEvent.objects.filter(hold=hold).values_list("kind", flat=True))
    assert {"suspended", "resumed", "release"} <= kinds


def test_it_refuses_to_suspend_into_the_past_or_a_copy_on_its_way(hw):
    hold = ada_holds_dune(hw, item=hw.dune_pine)
    with pytest.raises(HoldError) as refused:
        actions.suspend_hold(hw.desk_riv, hold, timezone.localdate() - dt.timedelta(days=1))
    assert refused.value.code == "bad_date"
    holds_desk.pull_copy(hw.desk_pine, hw.pine_main, hw.dune_pine)
    with pytest.raises(HoldError) as refused:
        actions.suspend_hold(hw.desk_riv, hold, NEXT_WEEK)
    assert refused.value.code == "bad_transition"


def test_it_refuses_to_resume_a_hold_that_is_not_suspended(hw):
    with pytest.raises(HoldError):
        actions.resume_hold(hw.desk_riv, ada_holds_dune(hw))


def test_it_cancels_a_routed_hold_and_frees_its_copy_for_another(hw):
    circulation.check_out(hw.central, hw.riv_main, hw.ben, hw.dune_pine)
    first = ada_holds_dune(hw)
    second = actions.place_hold(hw.desk_pine, hw.ben, hw.riv_east, title=hw.dune).hold
    assert fresh(second).state == Hold.State.WAITING
    message = holds_desk.cancel_hold(hw.desk_riv, first)
    assert "stays on the shelf" in message
    assert fresh(first).state == Hold.State.CANCELLED and fresh(first).closed_at
    assert fresh(second).assigned_item == hw.dune_riv


def test_it_refuses_to_cancel_a_closed_hold(hw):
    hold = ada_holds_dune(hw)
    holds_desk.cancel_hold(hw.desk_riv, hold)
    with pytest.raises(HoldError) as refused:
        holds_desk.cancel_hold(hw.desk_riv, hold)
    assert refused.value.code == "bad_transition"


def test_it_changes_the_pickup_branch_and_routes_the_hold_again(hw):
    hold = ada_holds_dune(hw)
    assert hold.assigned_item == hw.dune_riv
    actions.change_pickup(hw.desk_riv, hold, hw.pine_main)
    hold = fresh(hold)
    assert hold.pickup_branch == hw.pine_main
    assert hold.state == Hold.State.ROUTED and hold.assigned_item == hw.dune_pine
    assert HoldEvent.objects.filter(hold=hold, kind="pickup_changed").exists()


def test_it_sends_on_a_copy_already_on_its_way_when_the_pickup_changes(hw):
    hold = ada_holds_dune(hw, item=hw.dune_pine)
    holds_desk.pull_copy(hw.desk_pine, hw.pine_main, hw.dune_pine)
    message = actions.change_pickup(hw.desk_riv, hold, hw.elk_main)
    assert "sent on from there" in message
    outcome = circulation.check_in(hw.desk_riv, hw.riv_main, hw.dune_pine)
    assert outcome.instruction == "SEND TO ELK VALLEY (ELK) FOR HOLD"


def test_it_refuses_a_new_pickup_branch_closed_for_good(hw):
    hold = ada_holds_dune(hw)
    Branch.objects.filter(pk=hw.elk_main.pk).update(is_active=False)
    with pytest.raises(HoldError) as refused:
        actions.change_pickup(hw.desk_riv, hold, fresh(hw.elk_main))
    assert refused.value.code == "pickup_closed"
    assert fresh(hold).pickup_branch == hw.riv_main
