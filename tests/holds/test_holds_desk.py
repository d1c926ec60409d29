"""Holds answers with the copy's move; the desk (`circulation/holds_desk.py`) makes it and
opens the transit. Holds and transit never ask each other: these are the seams."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from onelibrary.catalog.models import Item
from onelibrary.circulation import actions as circulation
from onelibrary.circulation import holds_desk
from onelibrary.holds import actions, shelf
from onelibrary.holds.models import Hold
from onelibrary.holds.shelf import Send
from onelibrary.transit.models import Transit, TransitEvent
from tests.holds.conftest import fresh


def test_holds_answers_a_pulled_copys_move_and_the_desk_makes_it(hw):
    hold = actions.place_hold(hw.desk_pine, hw.ben, hw.pine_main, item=hw.dune_riv).hold
    now = timezone.now()
    with transaction.atomic():
        pulled = shelf.pull(hw.desk_riv, hw.riv_main, hw.dune_riv, now=now)
        assert fresh(hw.dune_riv).status == Item.Status.AVAILABLE
        assert not Transit.objects.exists()
        assert (pulled.decision, pulled.copy.trigger) == ("PICK-2", "send")
        assert pulled.copy.send == Send(hw.riv_main, hw.pine_main, "hold", hold.pk)
        holds_desk.apply(hw.desk_riv, pulled.copy, now=now)
    item = fresh(hw.dune_riv)
    assert (item.status, item.current_branch) == (Item.Status.IN_TRANSIT, hw.riv_main)
    transit = Transit.objects.get(item=item)
    assert (transit.receiver, transit.reason, transit.hold_id) == (hw.pine_main, "hold", hold.pk)


def test_checkin_18_a_copy_stopping_on_its_way_travels_on_with_its_hold(hw):
    circulation.check_out(hw.central, hw.riv_main, hw.ada, hw.dune_riv)
    circulation.check_out(hw.central, hw.riv_main, hw.ada, hw.dune_pine)
    hold = actions.place_hold(hw.desk_pine, hw.ben, hw.pine_main, title=hw.dune).hold
    circulation.check_in(hw.desk_riv, hw.riv_main, hw.dune_riv)  # captured: to Pine Creek
    outcome = circulation.check_in(hw.central, hw.elk_main, hw.dune_riv)  # stops at Elk
    assert outcome.decision == "CHECKIN-18"
    first, onward = Transit.objects.filter(item=hw.dune_riv).order_by("pk")
    assert (first.state, first.received_branch) == ("received", hw.elk_main)
    assert (onward.sender, onward.receiver, onward.state) == (hw.elk_main, hw.pine_main, "waiting")
    assert (onward.reason, onward.hold_id) == ("hold", hold.pk)


def test_checkout_18_lends_a_copy_whose_hold_was_cancelled_before_it_left(hw):
    hold = actions.place_hold(hw.desk_pine, hw.ben, hw.pine_main, item=hw.dune_riv).hold
    holds_desk.pull_copy(hw.desk_riv, hw.riv_main, hw.dune_riv)
    holds_desk.cancel_hold(hw.desk_pine, hold)
    assert fresh(hold).state == Hold.State.CANCELLED
    outcome = circulation.check_out(hw.desk_riv, hw.riv_main, hw.ada, hw.dune_riv)
    assert outcome.decision == "CHECKOUT-1"
    assert Transit.objects.get(item=hw.dune_riv).state == "cancelled"
    assert TransitEvent.objects.filter(kind="released_for_checkout").exists()
    assert fresh(hw.dune_riv).status == Item.Status.CHECKED_OUT


def test_pick_3_routes_again_without_the_copy_not_found(hw):
    hold = actions.place_hold(hw.desk_riv, hw.ada, hw.riv_main, title=hw.dune).hold
    assert hold.assigned_item == hw.dune_riv
    holds_desk.not_on_shelf(hw.desk_riv, hw.riv_main, hold)
    hold = fresh(hold)
    assert hold.assigned_item == hw.dune_pine
    # The copy not found counts as missing, as its row now says, not as merely out.
    considered = {c["copy_id"] for c in hold.explanation["candidates"]}
    assert considered == {hw.dune_pine.pk}


def test_an_expired_hold_shelf_copy_going_home_travels_with_no_hold(hw):
    hold = actions.place_hold(hw.central, hw.ada, hw.riv_main, item=hw.dune_pine).hold
    holds_desk.pull_copy(hw.desk_pine, hw.pine_main, hw.dune_pine)
    circulation.check_in(hw.desk_riv, hw.riv_main, hw.dune_pine)  # CHECKIN-19
    Hold.objects.filter(pk=hold.pk).update(shelf_expires_on=timezone.localdate().replace(year=2000))
    assert holds_desk.expire_holds(timezone.now()) == 1
    home = Transit.objects.filter(item=hw.dune_pine).order_by("pk").last()
    assert (home.sender, home.receiver, home.reason, home.hold_id) == (
        hw.riv_main,
        hw.pine_main,
        "return_home",
        None,
    )
