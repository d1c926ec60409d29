"""The nearest-copy baseline and capture at checkin (holds/routing.py) as a specification."""

from __future__ import annotations

import dataclasses
import datetime as dt

from onelibrary.holds.routing import capture, nearest_copy, route
from tests.holds.routing_world import ELK, PINE, RIV_EAST, RIV_MAIN, TODAY, WORLD, copy, hold

NEW = TODAY - dt.timedelta(days=10)


def baseline(holds, copies, network=WORLD, seed=0):
    return nearest_copy(holds, copies, network, today=TODAY, seed=seed)


def captured(checked_in, holds, loads=None):
    return capture(checked_in, holds, WORLD, lending_load=loads or {}, load_weight=1.0, today=TODAY)


# -- nearest copy ------------------------------------------------------------------------------


def test_it_gives_each_hold_in_turn_the_nearest_copy_left():
    holds = [hold(2, RIV_MAIN), hold(1, RIV_EAST)]
    copies = [copy(10, RIV_MAIN), copy(11, ELK)]

    result = baseline(holds, copies)

    assert result.assignments == {1: 10, 2: 11}  # 2.0 + 3.0 days; route finds 4.0
    assert result.explanations[1].reason == (
        "Nearest copy, first come first served: copy 10 at Riverton Main,"
        " 1.0 pull + 1.0 courier days = 2.0 days."
    )


def test_it_serves_first_come_across_titles():
    holds = [hold(1, RIV_MAIN, title=1), hold(2, ELK, title=2), hold(3, PINE, title=1)]
    copies = [copy(10, PINE, title=1), copy(11, ELK, title=2)]

    assert baseline(holds, copies).assignments == {1: 10, 2: 11}


def test_it_breaks_ties_at_random_with_the_seed():
    copies = [copy(10, RIV_MAIN), copy(11, RIV_MAIN), copy(12, RIV_MAIN)]
    holds = [hold(1, RIV_MAIN)]

    picks = {baseline(holds, copies, seed=seed).assignments[1] for seed in range(40)}

    assert picks == {10, 11, 12}
    assert baseline(holds, copies, seed=7) == baseline(holds, copies, seed=7)
    assert "Picked at random among 3 equally near copies." in (
        baseline(holds, copies).explanations[1].reason
    )


def test_it_ignores_the_lending_load():
    network = dataclasses.replace(WORLD, pull_days={})
    result = baseline([hold(1, RIV_MAIN)], [copy(10, PINE), copy(11, ELK, created=NEW)], network)

    assert result.assignments == {1: 10}  # Elk's copy is in its window; Pine's is as near


def test_it_keeps_the_same_eligibility_rules():
    holds = [hold(1, RIV_MAIN), hold(2, RIV_MAIN, item=13), hold(3, PINE)]
    copies = [
        copy(10, RIV_MAIN, holdable=False),
        copy(11, RIV_MAIN, exempt=True),
        copy(12, RIV_MAIN, available=False),
        copy(13, ELK),
        copy(14, PINE, created=NEW),
    ]

    result = baseline(holds, copies)

    assert result.assignments == {1: 13, 3: 14}
    assert result.explanations[2].reason == (
        "Waiting: the copy that could fill it went to earlier holds."
    )


def test_it_says_why_no_copy_can_fill_a_hold():
    result = baseline([hold(1, ELK)], [copy(10, PINE, created=NEW)])

    assert result.explanations[1].reason == (
        "No copy can fill this hold: the only copy is in Pine Creek's 30-day local-priority window."
    )


def test_it_can_leave_an_older_hold_unfilled_where_route_does_not():
    # The baseline's hold 1 takes the old copy (a tie broken at random, or the only one
    # left): then hold 2, a Riverton patron's, finds only a copy in Pine Creek's window.
    holds = [hold(1, PINE), hold(2, RIV_MAIN)]
    copies = [copy(10, PINE), copy(11, PINE, created=NEW)]

    filled = {len(baseline(holds, copies, seed=s).assignments) for s in range(20)}
    routed = route(holds, copies, WORLD, lending_load={}, load_weight=1.0, today=TODAY)

    assert filled == {1, 2}
    assert len(routed.assignments) == 2


# -- capture at checkin --------------------------------------------------------------------------


def test_it_gives_a_checked_in_copy_to_the_oldest_hold_it_can_fill():
    holds = [hold(1, ELK), hold(2, RIV_MAIN), hold(3, RIV_MAIN)]

    why = captured(copy(10, RIV_MAIN), holds)

    assert (why.hold_id, why.chosen_copy_id) == (1, 10)
    assert why.reason == (
        "Copy 10, checked in at Riverton Main, fills hold 1 for pickup at Elk Valley,"
        " the oldest hold it can fill: 1.0 pull + 2.0 courier days + 0.0 load = 3.0 days."
        " 2 newer holds here wait their turn: a hold for pickup here goes first only when"
        " no older hold can take the copy."
    )


def test_it_fills_a_hold_here_on_the_spot_when_it_is_the_oldest():
    holds = [hold(2, ELK), hold(1, RIV_MAIN)]

    why = captured(copy(10, RIV_MAIN), holds)

    assert why.hold_id == 1
    assert why.candidates[0].cost.courier_days == 0.0
    assert "for pickup here, the oldest hold it can fill" in why.reason


def test_it_keeps_a_new_copy_for_its_owners_patrons_at_checkin():
    holds = [hold(1, RIV_MAIN), hold(2, ELK), hold(3, PINE)]

    assert captured(copy(10, PINE, created=NEW), holds).hold_id == 3


def test_it_skips_holds_on_other_copies_and_other_titles():
    holds = [hold(1, RIV_MAIN, item=99), hold(2, RIV_MAIN, title=2), hold(3, ELK), hold(4, PINE)]

    assert captured(copy(10, RIV_MAIN), holds).hold_id == 3


def test_it_says_why_a_checked_in_copy_fills_no_hold():
    new = copy(10, PINE, created=NEW)

    nothing = captured(new, [hold(1, RIV_MAIN), hold(2, ELK, item=11)])
    no_holds = captured(copy(11, RIV_MAIN), [hold(3, RIV_MAIN, title=2)])
    not_holdable = captured(copy(12, RIV_MAIN, holdable=False), [hold(4, RIV_MAIN)])

    assert (nothing.hold_id, nothing.chosen_copy_id) == (0, None)
    assert nothing.reason == (
        "Copy 10 fills no hold: of the 2 open holds for this title, 1 is for patrons of"
        " other libraries while the copy is in Pine Creek's 30-day local-priority window"
        " (until 2024-06-21) and 1 asks for another copy."
    )
    assert no_holds.reason == "Copy 11 fills no hold: there is no open hold for this title."
    assert not_holdable.reason == "Copy 12 fills no hold: it is not holdable."


def test_it_captures_for_the_hold_route_would_give_the_copy():
    holds = [hold(1, ELK, patron="PINE"), hold(2, RIV_MAIN, item=10), hold(3, PINE)]
    checked_in = copy(10, RIV_MAIN)

    routed = route(holds, [checked_in], WORLD, lending_load={}, load_weight=1.0, today=TODAY)

    assert captured(checked_in, holds).hold_id == next(iter(routed.assignments))
