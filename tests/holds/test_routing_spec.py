"""Routing holds (holds/routing.py) as a specification: plain data in, assignments and
explanations out. The world is tests/holds/routing_world.py; docs/holds/routing.md."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from onelibrary.holds.routing import CostParts, Network, Routing, route, route_titles
from tests.holds.routing_world import (
    ELK,
    PINE,
    RIV_EAST,
    RIV_MAIN,
    TODAY,
    WORLD,
    copy,
    hold,
)

NEW = TODAY - dt.timedelta(days=10)  # inside a 30-day window


def routed(holds, copies, network=WORLD, loads=None, weight=1.0) -> Routing:
    return route(holds, copies, network, lending_load=loads or {}, load_weight=weight, today=TODAY)


def test_it_prefers_the_copy_at_the_pickup_branch():
    result = routed([hold(1, PINE)], [copy(10, PINE), copy(11, RIV_MAIN)])

    assert result.assignments == {1: 10}
    why = result.explanations[1]
    assert why.chosen_copy_id == 10
    assert why.candidates[0].cost == CostParts(2.0, 0.0, 0.0)
    assert why.reason == (
        "Copy 10 at Pine Creek won: 2.0 pull + 0.0 courier days + 0.0 load = 2.0 days;"
        " the next best, copy 11 at Riverton Main, would take 3.0 days"
        " (2.0 more courier days, 1.0 fewer pull days)."
    )


def test_it_makes_no_trip_for_a_copy_at_the_pickup_branch_even_for_another_librarys_patron():
    result = routed(
        [hold(1, PINE, patron="RIV")], [copy(10, PINE), copy(11, RIV_MAIN)], loads={"PINE": 0.5}
    )

    assert result.assignments == {1: 10}
    parts = result.explanations[1].candidates[0].cost
    assert parts is not None
    assert (parts.pull_days, parts.courier_days, parts.load) == (2.0, 0.0, 0.5)


def test_it_keeps_a_new_copy_for_its_owners_patrons():
    older_riverton = hold(1, RIV_MAIN)
    newer_pine = hold(2, PINE)

    result = routed([older_riverton, newer_pine], [copy(10, PINE, created=NEW)])

    assert result.assignments == {2: 10}
    why = result.explanations[1]
    assert why.reason == (
        "No copy can fill this hold: the only copy is in Pine Creek's 30-day local-priority window."
    )
    assert why.candidates[0].cost is None
    assert why.candidates[0].excluded_because == (
        "in Pine Creek's 30-day local-priority window"
        " (free for other libraries' holds from 2024-06-21)"
    )


def test_it_says_the_copies_are_in_the_window_when_nothing_else_could_fill_the_hold():
    copies = [copy(10, PINE, created=NEW), copy(11, PINE, created=NEW)]

    result = routed([hold(1, RIV_MAIN)], copies)

    assert result.assignments == {}
    assert result.explanations[1].reason == (
        "No copy can fill this hold: the 2 copies are in Pine Creek's 30-day local-priority window."
    )


@pytest.mark.parametrize(
    ("windows", "filled"),
    [
        ({"PINE": 30}, False),  # the group's default
        ({"PINE": 7}, True),  # Pine Creek shortened its window: the copy is 10 days old
        ({}, True),  # no window
        ({"PINE": 0}, True),
    ],
)
def test_it_lets_a_member_shorten_its_window(windows, filled):
    network = dataclasses.replace(WORLD, local_window_days=windows)

    result = routed([hold(1, RIV_MAIN)], [copy(10, PINE, created=NEW)], network)

    assert (1 in result.assignments) is filled


@pytest.mark.parametrize(("age", "filled"), [(13, False), (14, True), (15, True)])
def test_it_ends_the_window_on_its_last_day(age, filled):
    elk_copy = copy(10, ELK, created=TODAY - dt.timedelta(days=age))  # Elk's window: 14 days

    result = routed([hold(1, RIV_MAIN)], [elk_copy])

    assert (1 in result.assignments) is filled


def test_it_never_skips_the_oldest_hold_for_a_cheaper_newer_one():
    # Alone, fewest days would give the copy to the newer hold at its own branch (1.0 day).
    oldest_at_elk = hold(1, ELK)
    newer_here = hold(2, RIV_MAIN)

    result = routed([newer_here, oldest_at_elk], [copy(10, RIV_MAIN)])

    assert result.assignments == {1: 10}
    assert result.explanations[2].reason == (
        "Waiting: the only eligible copy, copy 10 at Riverton Main, is filling an older hold."
    )


def test_it_fills_the_oldest_holds_even_when_two_newer_would_cost_less():
    holds = [hold(1, ELK), hold(2, RIV_MAIN), hold(3, RIV_MAIN)]

    result = routed(holds, [copy(10, RIV_MAIN), copy(11, RIV_MAIN)])

    assert set(result.assignments) == {1, 2}  # 4.0 days; {2, 3} would take 2.0
    assert result.explanations[3].reason == "Waiting: both eligible copies are filling older holds."


def test_it_orders_holds_placed_at_the_same_time_by_id():
    holds = [hold(2, RIV_MAIN, minutes=0), hold(1, ELK, minutes=0)]

    assert routed(holds, [copy(10, RIV_MAIN)]).assignments == {1: 10}


def test_it_sends_a_new_copy_to_its_own_patron_so_that_an_old_copy_can_travel():
    holds = [hold(1, PINE), hold(2, RIV_MAIN)]
    copies = [copy(10, PINE), copy(11, PINE, created=NEW)]  # both 2.0 days for hold 1

    result = routed(holds, copies)

    assert result.assignments == {1: 11, 2: 10}


def test_it_spares_a_heavy_lender_when_an_equally_quick_copy_exists_elsewhere():
    network = dataclasses.replace(WORLD, pull_days={})  # Pine Creek as quick as Elk Valley
    copies = [copy(10, PINE), copy(11, ELK)]  # both 3.0 days to Riverton Main
    loads = {"PINE": 1.5, "ELK": 0.0}

    without_load = routed([hold(1, RIV_MAIN)], copies, network, loads, weight=0.0)
    with_load = routed([hold(1, RIV_MAIN)], copies, network, loads, weight=1.0)

    assert without_load.assignments == {1: 10}  # a tie, to the lower copy number
    assert "(a tie)" in without_load.explanations[1].reason
    assert with_load.assignments == {1: 11}
    assert with_load.explanations[1].reason == (
        "Copy 11 at Elk Valley won: 1.0 pull + 2.0 courier days + 0.0 load = 3.0 days;"
        " the next best, copy 10 at Pine Creek, would take 4.5 days"
        " (1.5 more load for Pine Creek's lending)."
    )


def test_it_charges_no_load_when_a_library_fills_its_own_patrons_hold():
    network = dataclasses.replace(WORLD, pull_days={})
    pine_patron = hold(1, RIV_MAIN, patron="PINE")

    result = routed([pine_patron], [copy(10, PINE), copy(11, ELK)], network, {"PINE": 5, "ELK": 1})

    assert result.assignments == {1: 10}
    assert result.explanations[1].candidates[0].cost.load == 0.0


def test_it_accepts_decimal_weights_and_loads_from_the_policy_tables():
    network = dataclasses.replace(WORLD, pull_days={})
    copies = [copy(10, PINE), copy(11, ELK)]

    result = route(
        [hold(1, RIV_MAIN)],
        copies,
        network,
        lending_load={"PINE": Decimal("1.5")},
        load_weight=Decimal("1.00"),
        today=TODAY,
    )

    assert result.assignments == {1: 11}


def test_it_names_the_deciding_cost_when_parts_pull_both_ways():
    network = dataclasses.replace(WORLD, pull_days={RIV_EAST: 3.0})  # a slow pull at East

    result = routed([hold(1, RIV_MAIN)], [copy(10, RIV_EAST), copy(11, ELK)], network)

    assert result.assignments == {1: 11}
    assert result.explanations[1].reason.endswith(
        "the next best, copy 10 at Riverton East, would take 4.0 days"
        " (2.0 more pull days, 1.0 fewer courier days)."
    )


def test_it_routes_all_holds_of_a_title_at_once_for_the_fewest_days():
    # First come, nearest copy: hold 1 takes copy 10 (2.0), hold 2 gets copy 11 (3.0): 5.0.
    holds = [hold(1, RIV_EAST), hold(2, RIV_MAIN)]
    copies = [copy(10, RIV_MAIN), copy(11, ELK)]

    result = routed(holds, copies)

    assert result.assignments == {1: 11, 2: 10}  # 3.0 + 1.0 = 4.0
    assert result.explanations[1].reason == (
        "Copy 11 at Elk Valley was chosen: 1.0 pull + 2.0 courier days + 0.0 load = 3.0 days."
        " The quicker copy 10 at Riverton Main (2.0 days) fills hold 2 instead: routing all"
        " of this title's holds at once, that gives the fewest days in total."
    )


def test_it_fills_a_hold_on_one_copy_only_with_that_copy():
    on_elk_copy = hold(1, RIV_MAIN, item=11)
    any_copy = hold(2, RIV_MAIN)

    result = routed([on_elk_copy, any_copy], [copy(10, RIV_MAIN), copy(11, ELK)])

    assert result.assignments == {1: 11, 2: 10}
    why = result.explanations[1]
    assert why.reason == (
        "Copy 11 at Elk Valley is the copy this hold asks for:"
        " 1.0 pull + 2.0 courier days + 0.0 load = 3.0 days."
    )
    assert [c.copy_id for c in why.candidates] == [11]


def test_it_says_why_the_copy_a_hold_asks_for_cannot_fill_it():
    holds = [hold(1, RIV_MAIN, item=11), hold(2, RIV_MAIN, item=99), hold(3, RIV_MAIN, item=12)]
    copies = [copy(10, RIV_MAIN), copy(11, ELK, available=False), copy(12, PINE, created=NEW)]

    result = routed(holds, copies)

    assert result.assignments == {}
    reasons = {h: e.reason for h, e in result.explanations.items()}
    assert reasons[1] == (
        "No copy can fill this hold: it asks for copy 11, which is not available"
        " (on loan, in transit or on a hold shelf)."
    )
    assert reasons[2] == (
        "No copy can fill this hold: it asks for copy 99, which is not among the copies"
        " offered for routing."
    )
    assert reasons[3] == (
        "No copy can fill this hold: it asks for copy 12, which is in Pine Creek's 30-day"
        " local-priority window."
    )


def test_it_gives_a_copy_asked_for_twice_to_the_older_hold():
    result = routed([hold(2, RIV_MAIN, item=11), hold(1, ELK, item=11)], [copy(11, ELK)])

    assert result.assignments == {1: 11}
    assert "is filling an older hold" in result.explanations[2].reason


@pytest.mark.parametrize(
    ("flags", "why"),
    [
        ({"holdable": False}, "not holdable"),
        ({"exempt": True}, "exempt from group holds"),
        ({"available": False}, "not available (on loan, in transit or on a hold shelf)"),
    ],
)
def test_it_never_uses_an_unholdable_exempt_or_unavailable_copy(flags, why):
    result = routed([hold(1, RIV_MAIN)], [copy(10, RIV_MAIN, **flags)])

    assert result.assignments == {}
    assert result.explanations[1].reason == f"No copy can fill this hold: the only copy is {why}."
    assert result.explanations[1].candidates[0].excluded_because == why


def test_it_counts_the_reasons_when_no_copy_can_fill_a_hold():
    copies = [
        copy(10, PINE, created=NEW),
        copy(11, PINE, created=NEW),
        copy(12, RIV_MAIN, holdable=False),
        copy(13, RIV_MAIN, available=False),
    ]

    result = routed([hold(1, ELK)], copies)

    assert result.explanations[1].reason == (
        "No copy can fill this hold: of the 4 copies, 2 are in Pine Creek's 30-day"
        " local-priority window, 1 is not holdable and 1 is not available"
        " (on loan, in transit or on a hold shelf)."
    )


def test_it_says_there_is_no_copy_when_none_is_given():
    assert routed([hold(1, ELK)], []).explanations[1].reason == (
        "No copy can fill this hold: there is no copy of this title to route."
    )


def test_it_says_waiting_when_older_holds_take_every_eligible_copy():
    holds = [hold(i, RIV_MAIN) for i in range(1, 5)]
    copies = [copy(10, RIV_MAIN), copy(11, ELK), copy(12, PINE), copy(13, PINE, exempt=True)]

    result = routed(holds, copies)

    assert set(result.assignments) == {1, 2, 3}
    why = result.explanations[4]
    assert why.reason == "Waiting: all 3 eligible copies are filling older holds."
    assert [c.copy_id for c in why.candidates] == [10, 11, 12, 13]
    assert why.candidates[-1].cost is None


def test_it_lists_at_most_ten_candidates_cheapest_first_and_counts_the_rest():
    copies = [copy(100 + n, (RIV_MAIN, RIV_EAST, PINE, ELK)[n % 4]) for n in range(14)]
    copies.append(copy(200, RIV_MAIN, holdable=False))

    why = routed([hold(1, RIV_MAIN)], copies).explanations[1]

    assert len(why.candidates) == 10
    assert why.candidates_not_shown == 5
    totals = [c.cost.total for c in why.candidates]
    assert totals == sorted(totals)
    assert all(c.cost is not None for c in why.candidates)


def test_it_routes_titles_apart():
    holds = [hold(1, RIV_MAIN, title=1), hold(2, RIV_MAIN, title=2)]
    copies = [copy(10, RIV_MAIN, title=2), copy(11, ELK, title=1), copy(12, PINE, title=3)]

    result = routed(holds, copies)

    assert result.assignments == {1: 11, 2: 10}


def test_it_routes_titles_given_one_by_one_as_it_routes_them_together():
    holds = [hold(1, RIV_MAIN, title=1), hold(2, PINE, title=2), hold(3, ELK, title=1)]
    copies = [copy(10, RIV_MAIN, title=2), copy(11, ELK, title=1), copy(12, PINE, title=1)]
    groups = [
        ([h for h in holds if h.title_id == t], [c for c in copies if c.title_id == t])
        for t in (1, 2)
    ]

    together = routed(holds, copies)
    one_by_one = route_titles(groups, WORLD, lending_load={}, load_weight=1.0, today=TODAY)

    assert one_by_one == together


def test_it_takes_an_unknown_route_as_far():
    network = Network(branch_library={1: "A", 2: "B"}, courier_days={}, unknown_route_days=14.0)
    hold_at_2 = hold(1, 2, patron="B")

    result = route(
        [hold_at_2],
        [dataclasses.replace(copy(10, RIV_MAIN), owner="A")],
        network,
        lending_load={},
        load_weight=1.0,
        today=TODAY,
    )

    assert result.explanations[1].candidates[0].cost.courier_days == 14.0
    assert "branch 1" in result.explanations[1].reason  # no names given


def test_it_refuses_a_hold_given_twice():
    with pytest.raises(ValueError, match="hold 1 is given twice"):
        routed([hold(1, RIV_MAIN), hold(1, ELK)], [copy(10, RIV_MAIN)])


def test_it_refuses_a_copy_given_twice():
    with pytest.raises(ValueError, match="copy 10 is given twice"):
        routed([hold(1, RIV_MAIN)], [copy(10, RIV_MAIN), copy(10, ELK)])


def test_it_routes_nothing_without_holds():
    assert routed([], [copy(10, RIV_MAIN)]) == Routing(assignments={}, explanations={})
