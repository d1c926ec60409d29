"""Floating and float balancing at checkin, through circulation's `check_in`
(docs/circulation/checkin.md CHECKIN-3, -20, -21, -22; docs/floating.md)."""

from __future__ import annotations

from onelibrary.catalog.models import Item
from onelibrary.circulation import actions as circulation
from onelibrary.circulation.models import Event
from onelibrary.floating import actions, placement
from onelibrary.holds import actions as holds
from onelibrary.holds.models import Hold
from tests.floating.conftest import floating_copies, fresh


def back(world, branch, item=None):
    return circulation.check_in(world.central, branch, item or world.dune_riv)


def test_it_checkin_3_floats_an_item_returned_inside_its_float_group(fw):
    outcome = back(fw, fw.pine_main)
    assert (outcome.decision, outcome.instruction) == ("CHECKIN-3", "SHELVE HERE (FLOATS)")
    item = fresh(fw.dune_riv)
    assert (item.home_branch, item.current_branch) == (fw.pine_main, fw.pine_main)
    assert item.status == Item.Status.AVAILABLE and item.floating


def test_it_checkin_20_sends_an_item_returned_outside_its_float_group_home(fw):
    outcome = back(fw, fw.elk_main)
    assert outcome.decision == "CHECKIN-20"
    assert outcome.instruction == "SEND TO RIVERTON MAIN (RIV-MAIN) (OUTSIDE FLOAT GROUP)"
    item = fresh(fw.dune_riv)
    assert (item.status, item.home_branch, item.current_branch) == (
        Item.Status.IN_TRANSIT,
        fw.riv_main,
        fw.elk_main,
    )
    assert Event.objects.filter(kind="checkin", decision="CHECKIN-20").exists()


def test_it_checkin_20_item_is_sent_on_received_home_and_not_refloated_on_the_way(fw):
    back(fw, fw.elk_main)
    assert back(fw, fw.elk_main).decision == "CHECKIN-4"  # a repeated scan
    on_the_way = back(fw, fw.pine_main)  # inside the group, but it is going home
    assert on_the_way.decision == "CHECKIN-6"
    assert fresh(fw.dune_riv).home_branch == fw.riv_main
    arrived = back(fw, fw.riv_main)
    assert (arrived.decision, arrived.instruction) == ("CHECKIN-5", "SHELVE")
    assert fresh(fw.dune_riv).status == Item.Status.AVAILABLE


def test_it_floats_anywhere_when_the_rule_names_no_group(fw):
    actions.save_rule(fw.central, fw.riverton, collection="ADULT", group=None)
    assert back(fw, fw.elk_main).decision == "CHECKIN-3"
    assert fresh(fw.dune_riv).home_branch == fw.elk_main


def test_it_sends_a_non_floating_item_home_as_before(fw):
    actions.save_rule(fw.central, fw.riverton, collection="ADULT", floats=False)
    assert fresh(fw.dune_riv).floating is False
    assert back(fw, fw.pine_main).decision == "CHECKIN-2"


def test_it_checkin_21_sends_surplus_to_the_branch_furthest_under_capacity_nearby(fw):
    floating_copies(fw, 2, fw.pine_main)
    actions.set_capacity(fw.central, fw.pine_main, "ADULT", 2)  # 3 with Dune: over
    actions.set_capacity(fw.central, fw.riv_main, "ADULT", 4)
    actions.set_capacity(fw.central, fw.riv_east, "ADULT", 4)
    floating_copies(fw, 1, fw.riv_main, prefix="3100000098")  # RIV-MAIN 1/4, RIV-EAST 0/4
    outcome = back(fw, fw.pine_main)
    assert outcome.decision == "CHECKIN-21"
    assert outcome.instruction == "SEND TO RIVERTON EASTSIDE (RIV-EAST) FOR FLOAT BALANCE"
    item = fresh(fw.dune_riv)
    assert (item.status, item.home_branch, item.current_branch) == (
        Item.Status.IN_TRANSIT,
        fw.riv_east,
        fw.pine_main,
    )
    assert back(fw, fw.pine_main).decision == "CHECKIN-4"  # a repeated scan changes nothing
    arrived = back(fw, fw.riv_east)
    assert arrived.decision == "CHECKIN-5"
    assert fresh(fw.dune_riv).status == Item.Status.AVAILABLE


def test_it_checkin_21_says_where_and_why_for_the_transit(fw):
    floating_copies(fw, 1, fw.pine_main)
    actions.set_capacity(fw.central, fw.pine_main, "ADULT", 1)
    actions.set_capacity(fw.central, fw.riv_main, "ADULT", 3)
    placed = placement.place(fresh(fw.dune_riv), fw.pine_main, claimable=False)
    assert placed is not None
    assert (placed.decision, placed.send_to, placed.reason) == (
        "CHECKIN-21",
        fw.riv_main,
        "float_balance",
    )


def test_it_checkin_21_never_fills_a_branch_past_its_capacity(fw):
    floating_copies(fw, 3, fw.pine_main)
    actions.set_capacity(fw.central, fw.pine_main, "ADULT", 0)
    actions.set_capacity(fw.central, fw.riv_main, "ADULT", 2)  # Dune (on loan) is one
    first, second = floating_copies(fw, 2, fw.riv_east, prefix="3100000097")
    for copy in (first, second):
        circulation.check_out(fw.central, fw.riv_main, fw.ada, copy)
    assert back(fw, fw.pine_main, first).decision == "CHECKIN-21"
    assert fresh(first).home_branch == fw.riv_main
    # RIV-MAIN is now full (the first copy counts there while it travels).
    assert back(fw, fw.pine_main, second).decision == "CHECKIN-22"
    assert fresh(second).home_branch == fw.pine_main


def test_it_checkin_22_keeps_surplus_when_no_branch_nearby_has_room(fw):
    floating_copies(fw, 2, fw.pine_main)
    actions.set_capacity(fw.central, fw.pine_main, "ADULT", 2)
    actions.set_capacity(fw.central, fw.elk_main, "ADULT", 50)  # room, but not in the group
    outcome = back(fw, fw.pine_main)
    assert (outcome.decision, outcome.instruction) == (
        "CHECKIN-22",
        "SHELVE HERE (FLOATS; OVER CAPACITY)",
    )
    item = fresh(fw.dune_riv)
    assert (item.status, item.home_branch) == (Item.Status.AVAILABLE, fw.pine_main)


def test_it_keeps_an_item_at_a_branch_exactly_at_capacity(fw):
    floating_copies(fw, 1, fw.pine_main)
    actions.set_capacity(fw.central, fw.pine_main, "ADULT", 2)
    actions.set_capacity(fw.central, fw.riv_main, "ADULT", 10)
    assert back(fw, fw.pine_main).decision == "CHECKIN-3"


def test_it_never_balances_away_a_copy_a_hold_is_waiting_for(fw):
    floating_copies(fw, 2, fw.pine_main)
    for copy in Item.objects.filter(home_branch=fw.pine_main, floating=True):
        circulation.check_out(fw.central, fw.pine_main, fw.ben, copy)
    Item.objects.filter(pk=fw.dune_pine.pk).update(status=Item.Status.WITHDRAWN)
    actions.set_capacity(fw.central, fw.pine_main, "ADULT", 1)
    actions.set_capacity(fw.central, fw.riv_main, "ADULT", 10)
    hold = holds.place_hold(fw.desk_pine, fw.ben, fw.pine_main, title=fw.dune).hold
    outcome = back(fw, fw.pine_main)
    assert outcome.decision == "CHECKIN-17"  # holds first: onto Pine Creek's hold shelf
    assert fresh(hold).state == Hold.State.ON_SHELF
    item = fresh(fw.dune_riv)
    assert (item.status, item.home_branch) == (Item.Status.ON_HOLD_SHELF, fw.pine_main)


def test_it_counts_a_branchs_floating_items_but_not_lost_or_withdrawn(fw):
    copies = floating_copies(fw, 4, fw.pine_main)
    Item.objects.filter(pk=copies[0].pk).update(status=Item.Status.LOST)
    Item.objects.filter(pk=copies[1].pk).update(status=Item.Status.WITHDRAWN)
    Item.objects.filter(pk=copies[2].pk).update(status=Item.Status.CHECKED_OUT)
    assert placement.counts([fw.pine_main.pk], "ADULT") == {fw.pine_main.pk: 2}
    assert placement.counts([fw.pine_main.pk], "DVD") == {}
