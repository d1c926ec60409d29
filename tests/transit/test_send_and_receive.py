"""Checkin opens a transit; checkin at the receiver closes it; checkout of an item in transit."""

import datetime as dt

import pytest

from onelibrary.catalog.models import Item
from onelibrary.circulation.actions import check_in, check_out
from onelibrary.core.refusals import Refusal
from onelibrary.holds.actions import place_hold
from onelibrary.holds.models import Hold
from onelibrary.transit import crates
from onelibrary.transit.actions import TransitError, send_item
from onelibrary.transit.models import Transit, TransitEvent

from .conftest import copy_of

pytestmark = pytest.mark.django_db


def test_it_opens_a_transit_home_when_an_item_is_checked_in_away(tw, monday):
    item = copy_of(tw, "31000000000029", at=tw.pine_main, home=tw.riv_main)
    outcome = check_in(tw.desk_pine, tw.pine_main, item, now=monday)
    assert outcome.instruction.startswith("SEND TO RIVERTON MAIN")
    transit = Transit.objects.get(item=item)
    assert (transit.sender, transit.receiver, transit.reason, transit.state) == (
        tw.pine_main,
        tw.riv_main,
        "return_home",
        "waiting",
    )
    assert TransitEvent.objects.filter(transit=transit, kind="opened").exists()


def test_it_opens_a_transit_when_a_loan_is_returned_away_from_home(tw, monday):
    check_out(tw.desk_riv, tw.riv_main, tw.ada, tw.dune_riv, now=monday)
    check_in(tw.desk_pine, tw.pine_main, tw.dune_riv, now=monday + dt.timedelta(days=1))
    transit = Transit.objects.get(item=tw.dune_riv)
    assert transit.receiver == tw.riv_main and transit.is_open


def test_it_keeps_one_transit_when_the_item_is_scanned_again_at_the_sender(tw, monday):
    item = copy_of(tw, "31000000000029", at=tw.pine_main, home=tw.riv_main)
    check_in(tw.desk_pine, tw.pine_main, item, now=monday)
    check_in(tw.desk_pine, tw.pine_main, item, now=monday + dt.timedelta(minutes=1))
    assert Transit.objects.filter(item=item).count() == 1


def test_it_closes_the_transit_when_the_item_is_checked_in_at_its_receiver(tw, monday):
    item = copy_of(tw, "31000000000029", at=tw.pine_main, home=tw.riv_main)
    check_in(tw.desk_pine, tw.pine_main, item, now=monday)
    outcome = check_in(tw.desk_riv, tw.riv_main, item, now=monday + dt.timedelta(days=2))
    assert outcome.decision == "CHECKIN-5"
    transit = Transit.objects.get(item=item)
    assert transit.state == "received" and transit.received_branch == tw.riv_main
    item.refresh_from_db()
    assert item.status == Item.Status.AVAILABLE


def test_it_starts_a_new_leg_when_the_item_turns_up_at_another_branch(tw, monday):
    item = copy_of(tw, "31000000000029", at=tw.pine_main, home=tw.riv_main)
    check_in(tw.desk_pine, tw.pine_main, item, now=monday)
    check_in(tw.desk_riv, tw.riv_east, item, now=monday + dt.timedelta(days=2))
    first, second = Transit.objects.filter(item=item).order_by("pk")
    assert first.state == "received" and first.received_branch == tw.riv_east
    assert (second.sender, second.receiver, second.state) == (tw.riv_east, tw.riv_main, "waiting")


def test_it_sends_a_copy_pulled_for_a_hold_elsewhere_with_its_hold(tw, monday):
    placed = place_hold(tw.desk_pine, tw.ben, tw.pine_main, item=tw.dune_riv, now=monday)
    from onelibrary.circulation.holds_desk import pull_copy

    pull_copy(tw.desk_riv, tw.riv_main, tw.dune_riv, now=monday)
    transit = Transit.objects.get(item=tw.dune_riv)
    assert (transit.reason, transit.hold_id, transit.receiver) == (
        "hold",
        placed.hold.pk,
        tw.pine_main,
    )
    check_in(tw.desk_pine, tw.pine_main, tw.dune_riv, now=monday + dt.timedelta(days=2))
    transit.refresh_from_db()
    assert transit.state == "received"
    assert Hold.objects.get(pk=placed.hold.pk).state == Hold.State.ON_SHELF


def test_checkout_18_it_lends_an_item_still_waiting_at_its_sender(tw, monday):
    item = copy_of(tw, "31000000000029", at=tw.pine_main, home=tw.riv_main)
    check_in(tw.desk_pine, tw.pine_main, item, now=monday)
    crate = crates.open_crate(tw.desk_pine, tw.pine_main, destination=tw.riv_main, now=monday)
    crates.scan_into_crate(tw.desk_pine, tw.pine_main, crate, item.barcode, now=monday)
    outcome = check_out(tw.desk_pine, tw.pine_main, tw.ben, item, now=monday)
    assert outcome.decision == "CHECKOUT-1"
    transit = Transit.objects.get(item=item)
    assert transit.state == "cancelled"
    assert not crates.active_lines(crate).exists()
    assert crate.lines.get().removed_why == "lent at the sending branch"


def test_checkout_12_it_refuses_an_item_waiting_for_a_hold_and_says_where(tw, monday):
    place_hold(tw.desk_pine, tw.ben, tw.pine_main, item=tw.dune_riv, now=monday)
    from onelibrary.circulation.holds_desk import pull_copy

    pull_copy(tw.desk_riv, tw.riv_main, tw.dune_riv, now=monday)
    with pytest.raises(Refusal, match="on its way to fill a hold at Pine Creek"):
        check_out(tw.desk_riv, tw.riv_main, tw.ada, tw.dune_riv, now=monday)
    assert Transit.objects.get(item=tw.dune_riv).state == "waiting"


def test_checkout_12_it_refuses_an_item_shipped_and_says_check_it_in(tw, monday):
    item = copy_of(tw, "31000000000029", at=tw.pine_main, home=tw.riv_main)
    check_in(tw.desk_pine, tw.pine_main, item, now=monday)
    crate = crates.open_crate(tw.desk_pine, tw.pine_main, destination=tw.riv_main, now=monday)
    crates.scan_into_crate(tw.desk_pine, tw.pine_main, crate, item.barcode, now=monday)
    crates.close_crate(tw.desk_pine, tw.pine_main, crate, now=monday)
    crates.ship_crate(tw.desk_pine, tw.pine_main, crate, now=monday)
    with pytest.raises(Refusal, match="Check it in first") as raised:
        check_out(tw.desk_riv, tw.riv_main, tw.ada, item, now=monday + dt.timedelta(days=1))
    assert raised.value.decision == "CHECKOUT-12"
    check_in(tw.desk_riv, tw.riv_main, item, now=monday + dt.timedelta(days=1))
    check_out(tw.desk_riv, tw.riv_main, tw.ada, item, now=monday + dt.timedelta(days=1))
    assert Transit.objects.get(item=item).state == "received"


def test_it_refuses_to_send_an_item_to_where_it_is(tw, monday):
    with pytest.raises(TransitError, match="nowhere to send it"):
        send_item(tw.desk_riv, tw.dune_riv, tw.riv_main, tw.riv_main, reason="other", now=monday)
    assert not Transit.objects.exists()


def test_it_sends_for_float_balancing_and_keeps_a_repeat(tw, monday):
    first = send_item(
        tw.desk_riv, tw.dune_riv, tw.riv_main, tw.riv_east, reason="float_balance", now=monday
    )
    again = send_item(
        tw.desk_riv, tw.dune_riv, tw.riv_main, tw.riv_east, reason="float_balance", now=monday
    )
    assert first.pk == again.pk
    tw.dune_riv.refresh_from_db()
    assert tw.dune_riv.status == Item.Status.IN_TRANSIT


def test_it_refuses_another_librarys_staff(tw, monday):
    with pytest.raises(TransitError, match="do not work for"):
        send_item(tw.desk_pine, tw.dune_riv, tw.riv_main, tw.pine_main, reason="other", now=monday)
