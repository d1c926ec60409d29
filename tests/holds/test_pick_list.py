"""The pick list: shelf order, a copy pulled (to transit or to the hold shelf), a copy not
on the shelf (missing, and the hold routed again at once)."""

from __future__ import annotations

import pytest

from onelibrary.catalog.models import Item
from onelibrary.circulation import holds_desk
from onelibrary.holds import actions, queries
from onelibrary.holds.actions import HoldError
from onelibrary.holds.models import Hold, HoldEvent
from tests.holds.conftest import fresh, make_copy, make_title


def test_it_lists_the_copies_to_pull_in_shelf_order(hw):
    wanted = []
    for n, (location, call) in enumerate(
        [("ADULT", "FIC ZEL"), ("ADULT", "FIC ABE"), ("CHILD", "E BRO"), ("", "000 AAA")]
    ):
        title = make_title(f"Title {n}")
        make_copy(hw, title, f"3600000000000{n}", shelf_location=location, call_number=call)
        wanted.append(title)
    for title in wanted:
        actions.place_hold(hw.desk_riv, hw.ada, hw.riv_main, title=title)
    listed = [h.assigned_item.call_number for h in queries.pick_list(hw.elk_main)]
    assert listed == ["000 AAA", "FIC ABE", "FIC ZEL", "E BRO"]
    assert queries.pick_list(hw.riv_main) == []


def test_it_sends_a_pulled_copy_toward_the_pickup_branch(hw):
    hold = actions.place_hold(hw.desk_riv, hw.ada, hw.riv_main, item=hw.dune_pine).hold
    done = holds_desk.pull_copy(hw.desk_pine, hw.pine_main, hw.dune_pine)
    assert done.instruction == "SEND TO RIVERTON MAIN (RIV-MAIN) FOR HOLD"
    hold = fresh(hold)
    assert hold.state == Hold.State.IN_TRANSIT
    item = fresh(hw.dune_pine)
    assert (item.status, item.current_branch) == (Item.Status.IN_TRANSIT, hw.pine_main)
    assert queries.pick_list(hw.pine_main) == []
    assert queries.arriving(hw.riv_main) == [hold]


def test_it_puts_a_copy_pulled_for_this_branch_on_the_hold_shelf(hw):
    hold = actions.place_hold(hw.desk_riv, hw.ada, hw.riv_main, title=hw.dune).hold
    done = holds_desk.pull_copy(hw.desk_riv, hw.riv_main, hw.dune_riv)
    assert done.instruction == "HOLD SHELF"
    assert fresh(hold).state == Hold.State.ON_SHELF
    assert fresh(hw.dune_riv).status == Item.Status.ON_HOLD_SHELF
    assert queries.hold_shelf(hw.riv_main) == [fresh(hold)]


def test_it_refuses_a_copy_that_is_not_on_the_pick_list(hw):
    with pytest.raises(HoldError) as refused:
        holds_desk.pull_copy(hw.desk_riv, hw.riv_main, hw.dune_riv)
    assert refused.value.code == "not_on_pick_list"


def test_it_refuses_another_librarys_pick_list(hw):
    actions.place_hold(hw.desk_riv, hw.ada, hw.riv_main, item=hw.dune_pine)
    with pytest.raises(HoldError) as refused:
        holds_desk.pull_copy(hw.desk_riv, hw.pine_main, hw.dune_pine)
    assert refused.value.code == "not_your_branch"


def test_it_marks_a_copy_not_on_the_shelf_missing_and_routes_the_hold_again(hw):
    hold = actions.place_hold(hw.desk_riv, hw.ada, hw.riv_main, title=hw.dune).hold
    assert hold.assigned_item == hw.dune_riv
    message = holds_desk.not_on_shelf(hw.desk_riv, hw.riv_main, hold)
    assert "marked missing" in message and "Another copy was routed" in message
    assert fresh(hw.dune_riv).status == Item.Status.MISSING
    hold = fresh(hold)
    assert hold.state == Hold.State.ROUTED and hold.assigned_item == hw.dune_pine
    assert HoldEvent.objects.filter(hold=hold, kind="not_on_shelf").exists()
    assert queries.pick_list(hw.pine_main) == [hold]


def test_it_lets_the_hold_wait_when_the_missing_copy_was_the_last(hw):
    hold = actions.place_hold(hw.desk_riv, hw.ada, hw.riv_main, item=hw.dune_riv).hold
    message = holds_desk.not_on_shelf(hw.desk_riv, hw.riv_main, hold)
    assert "The hold waits" in message
    assert fresh(hold).state == Hold.State.WAITING
