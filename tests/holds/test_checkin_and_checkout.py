"""Holds at the desk: capture at checkin (CHECKIN-17/18/19), arrival, and the hold shelf
copy lent to its patron (CHECKOUT-16) and refused to anyone else (CHECKOUT-11)."""

from __future__ import annotations

import pytest
from django.core import mail

from onelibrary.catalog.models import Item
from onelibrary.circulation import actions as circulation
from onelibrary.circulation.models import Event
from onelibrary.core.refusals import Refusal
from onelibrary.holds import actions
from onelibrary.holds.models import Hold, HoldEvent
from tests.holds.conftest import fresh


@pytest.fixture
def both_out(hw):
    """Both copies of Dune on loan to Ada; Ben (PINE) waits for one at Pine Creek."""
    circulation.check_out(hw.central, hw.riv_main, hw.ada, hw.dune_riv)
    circulation.check_out(hw.central, hw.riv_main, hw.ada, hw.dune_pine)
    hold = actions.place_hold(hw.desk_pine, hw.ben, hw.pine_main, title=hw.dune).hold
    assert hold.state == Hold.State.WAITING
    return hold


def test_it_checkin_17_puts_a_copy_returned_at_the_pickup_branch_on_the_hold_shelf(
    hw, both_out, django_capture_on_commit_callbacks
):
    hw.ben.email = "ben@example.org"
    hw.ben.save()
    with django_capture_on_commit_callbacks(execute=True):
        outcome = circulation.check_in(hw.desk_pine, hw.pine_main, hw.dune_pine)
    assert (outcome.decision, outcome.instruction) == ("CHECKIN-17", "HOLD SHELF")
    assert "Okafor, Ben" in outcome.message
    hold = fresh(both_out)
    assert hold.state == Hold.State.ON_SHELF and hold.assigned_item == hw.dune_pine
    assert hold.shelf_expires_on is not None
    item = fresh(hw.dune_pine)
    assert (item.status, item.current_branch) == (Item.Status.ON_HOLD_SHELF, hw.pine_main)
    assert Event.objects.filter(kind="checkin", decision="CHECKIN-17").exists()
    assert [m.to for m in mail.outbox] == [["ben@example.org"]]
    assert HoldEvent.objects.filter(hold=hold, kind="captured").exists()


def test_it_checkin_18_sends_a_copy_returned_elsewhere_to_the_holds_pickup_branch(hw, both_out):
    outcome = circulation.check_in(hw.desk_riv, hw.riv_main, hw.dune_riv)
    assert outcome.decision == "CHECKIN-18"
    assert outcome.instruction == "SEND TO PINE CREEK (PINE) FOR HOLD"
    hold = fresh(both_out)
    assert hold.state == Hold.State.IN_TRANSIT and hold.assigned_item == hw.dune_riv
    item = fresh(hw.dune_riv)
    assert (item.status, item.current_branch) == (Item.Status.IN_TRANSIT, hw.riv_main)
    assert mail.outbox == []


def test_it_checkin_18_sends_on_a_copy_that_stops_at_another_branch_on_its_way(hw, both_out):
    circulation.check_in(hw.desk_riv, hw.riv_main, hw.dune_riv)
    outcome = circulation.check_in(hw.central, hw.elk_main, hw.dune_riv)
    assert outcome.decision == "CHECKIN-18"
    assert outcome.instruction == "SEND TO PINE CREEK (PINE) FOR HOLD"
    assert fresh(hw.dune_riv).current_branch == hw.elk_main
    assert fresh(both_out).state == Hold.State.IN_TRANSIT


def test_it_checkin_19_puts_a_copy_arriving_for_a_hold_on_the_hold_shelf(
    hw, both_out, django_capture_on_commit_callbacks
):
    hw.ben.email = "ben@example.org"
    hw.ben.save()
    circulation.check_in(hw.desk_riv, hw.riv_main, hw.dune_riv)
    with django_capture_on_commit_callbacks(execute=True):
        outcome = circulation.check_in(hw.desk_pine, hw.pine_main, hw.dune_riv)
    assert (outcome.decision, outcome.instruction) == ("CHECKIN-19", "HOLD SHELF")
    hold = fresh(both_out)
    assert hold.state == Hold.State.ON_SHELF and hold.shelf_since is not None
    item = fresh(hw.dune_riv)
    assert (item.status, item.current_branch) == (Item.Status.ON_HOLD_SHELF, hw.pine_main)
    assert len(mail.outbox) == 1 and "Dune" in mail.outbox[0].subject
    # A second scan of the copy now on the hold shelf changes nothing (CHECKIN-16).
    again = circulation.check_in(hw.desk_pine, hw.pine_main, hw.dune_riv)
    assert again.decision == "CHECKIN-16"


def test_it_captures_for_the_oldest_waiting_hold_first(hw, both_out):
    later = actions.place_hold(hw.desk_riv, hw.ada, hw.riv_main, title=hw.dune)
    # Ada's own copy comes back at her pickup branch; Ben's older hold still comes first.
    circulation.check_in(hw.desk_riv, hw.riv_main, hw.dune_riv)
    assert fresh(both_out).state == Hold.State.IN_TRANSIT
    assert fresh(later.hold).state == Hold.State.WAITING


def test_it_does_not_capture_a_copy_kept_from_group_holds(hw, both_out, reference):
    from onelibrary.policy.models import CirculationRule

    CirculationRule.objects.create(
        name="RIV reference", library=hw.riverton, holdable=False, exempt_reason=reference
    )
    outcome = circulation.check_in(hw.desk_riv, hw.riv_main, hw.dune_riv)
    assert (outcome.decision, outcome.instruction) == ("CHECKIN-1", "SHELVE")
    assert fresh(both_out).state == Hold.State.WAITING


def test_it_treats_a_routed_copy_scanned_at_checkin_as_pulled(hw):
    hold = actions.place_hold(hw.desk_pine, hw.ben, hw.elk_main, item=hw.dune_pine).hold
    assert hold.state == Hold.State.ROUTED
    outcome = circulation.check_in(hw.desk_pine, hw.pine_main, hw.dune_pine)
    assert outcome.decision == "CHECKIN-18"
    assert outcome.instruction == "SEND TO ELK VALLEY (ELK) FOR HOLD"
    assert fresh(hold).state == Hold.State.IN_TRANSIT


def test_it_checkout_16_lends_the_hold_shelf_copy_to_its_patron_and_fills_the_hold(hw, both_out):
    circulation.check_in(hw.desk_pine, hw.pine_main, hw.dune_pine)
    outcome = circulation.check_out(hw.desk_pine, hw.pine_main, hw.ben, hw.dune_pine)
    assert outcome.decision == "CHECKOUT-16"
    assert "Their hold is filled" in outcome.message
    hold = fresh(both_out)
    assert hold.state == Hold.State.FULFILLED and hold.closed_at is not None
    filled = HoldEvent.objects.get(hold=hold, kind="filled")
    assert (filled.lender, filled.borrower) == ("PINE", "PINE")
    assert fresh(hw.dune_pine).status == Item.Status.CHECKED_OUT


def test_it_checkout_11_still_refuses_the_hold_shelf_copy_to_another_patron(hw, both_out):
    circulation.check_in(hw.desk_pine, hw.pine_main, hw.dune_pine)
    with pytest.raises(Refusal) as refused:
        circulation.check_out(hw.desk_pine, hw.pine_main, hw.ada, hw.dune_pine)
    assert refused.value.decision == "CHECKOUT-11"
    assert fresh(both_out).state == Hold.State.ON_SHELF


def test_it_re_routes_a_hold_whose_routed_copy_is_lent_at_the_desk(hw):
    hold = actions.place_hold(hw.desk_riv, hw.ben, hw.riv_main, title=hw.dune).hold
    assert hold.assigned_item == hw.dune_riv
    circulation.check_out(hw.desk_riv, hw.riv_main, hw.ada, hw.dune_riv)
    hold = fresh(hold)
    assert hold.state == Hold.State.ROUTED and hold.assigned_item == hw.dune_pine
    assert HoldEvent.objects.filter(hold=hold, kind="release").exists()
