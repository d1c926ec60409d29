"""Expected courier days against hand-worked schedules (docs/courier.md, COURIER-1 to 5).

The network, with Monday 2 March 2026 as the first ship date:

- NORTH (van Mon–Fri, hub H): A on Mon/Wed/Fri, B on Tue/Thu.
- SOUTH (van Mon–Fri, hub H): C on Tue/Thu (C opens Tue/Thu/Sat), D every weekday.
- TRUNK (van Mon/Wed, hubs H and K): no stops, carries items between the hubs.
- FAR (van Mon–Fri, hub K): F every weekday.
- ISLAND (no hub): G every weekday. E is on no route.
- Hub H costs 1 transfer day, hub K 2.
"""

from __future__ import annotations

import datetime as dt

import pytest

from onelibrary.courier.schedule import (
    MAX_DAYS,
    BranchCalendar,
    HubSpec,
    Network,
    RouteSpec,
    StopSpec,
    expected,
)

A, B, C, D, E, F, G = 1, 2, 3, 4, 5, 6, 7
MON = dt.date(2026, 3, 2)


def day(n: int) -> dt.date:
    """March 2026: day(2) is Monday 2 March."""
    return dt.date(2026, 3, n)


def network(*, closed: dict[int, set[dt.date]] | None = None) -> Network:
    closed = closed or {}
    opening = {A: "1111110", B: "1111111", C: "0101010", D: "1111100"}
    branches = {
        b: BranchCalendar(
            b, "ABCDEFG"[b - 1], opening.get(b, "1111100"), frozenset(closed.get(b, ()))
        )
        for b in (A, B, C, D, E, F, G)
    }
    weekdays = "1111100"
    return Network(
        branches=branches,
        hubs={"H": HubSpec("H", "Hub H", 1), "K": HubSpec("K", "Hub K", 2)},
        routes=(
            RouteSpec("NORTH", (StopSpec(A, "1010100"), StopSpec(B, "0101000")), ("H",), weekdays),
            RouteSpec("SOUTH", (StopSpec(C, "0101000"), StopSpec(D, weekdays)), ("H",), weekdays),
            RouteSpec("TRUNK", (), ("H", "K"), "1010000"),
            RouteSpec("FAR", (StopSpec(F, weekdays),), ("K",), weekdays),
            RouteSpec("ISLAND", (StopSpec(G, weekdays),), (), weekdays),
        ),
    )


def test_it_delivers_on_the_next_call_on_the_same_route():
    answer = expected(network(), A, B, MON)
    assert (answer.arrival, answer.days) == (day(3), 1)
    assert [(leg.kind, leg.route, leg.departs, leg.arrives) for leg in answer.legs] == [
        ("direct", "NORTH", day(2), day(3))
    ]


def test_it_waits_over_the_weekend():
    # Friday pickup at A; B's next call is Tuesday.
    assert expected(network(), A, B, day(6)).arrival == day(10)
    # Saturday: A is open but not served; Monday pickup, Tuesday delivery.
    saturday = expected(network(), A, B, day(7))
    assert (saturday.arrival, saturday.days, saturday.legs[0].departs) == (day(10), 3, day(9))


def test_it_adds_the_transfer_day_at_the_hub():
    # Mon pickup, at H Monday night, ready for SOUTH Tuesday, D served Wednesday.
    answer = expected(network(), A, D, MON)
    assert (answer.arrival, answer.days) == (day(4), 2)
    assert [
        (leg.kind, leg.origin, leg.destination, leg.departs, leg.arrives) for leg in answer.legs
    ] == [
        ("pickup", "A", "hub H", day(2), day(2)),
        ("transfer", "hub H", "hub H", day(2), day(3)),
        ("delivery", "hub H", "D", day(4), day(4)),
    ]


def test_it_skips_a_closed_day_at_the_sender():
    answer = expected(network(closed={A: {MON}}), A, B, MON)
    # No pickup Monday: Wednesday's van, Thursday at B.
    assert (answer.legs[0].departs, answer.arrival, answer.days) == (day(4), day(5), 3)


def test_it_skips_a_closed_day_at_the_receiver():
    answer = expected(network(closed={B: {day(3)}}), A, B, MON)
    assert (answer.arrival, answer.days) == (day(5), 3)


def test_it_skips_the_receivers_closed_weekdays():
    # C opens Tue/Thu/Sat and is called Tue/Thu; ready at H Tuesday, so Thursday.
    assert expected(network(), A, C, MON).arrival == day(5)
    # Shipped Wednesday: picked up Wed, ready Thu, C's next call after Thursday is Tuesday.
    assert expected(network(), A, C, day(4)).arrival == day(10)


def test_it_changes_vans_twice_over_a_trunk_route():
    answer = expected(network(), A, F, MON)
    # Mon at H; +1 transfer: Tue; TRUNK runs Wed to K; +2 transfer: Fri; FAR: Mon 9.
    assert (answer.arrival, answer.days) == (day(9), 7)
    assert [leg.kind for leg in answer.legs] == [
        "pickup",
        "transfer",
        "trunk",
        "transfer",
        "delivery",
    ]
    assert answer.legs[2].departs == day(4)


def test_it_gives_zero_days_for_the_same_branch():
    answer = expected(network(), A, A, MON)
    assert (answer.days, answer.arrival, answer.legs, answer.reachable) == (0, MON, (), True)


def test_it_says_no_route_for_a_branch_on_no_route():
    answer = expected(network(), A, E, MON)
    assert not answer.reachable and answer.days is None and answer.arrival is None
    assert answer.problem == "E is not a stop on any courier route."


def test_it_says_no_route_when_the_routes_do_not_meet():
    answer = expected(network(), A, G, MON)
    assert not answer.reachable
    assert "No courier run takes an item from A to G" in answer.problem


def test_it_says_no_route_for_a_branch_closed_longer_than_the_limit():
    closed = {B: {MON + dt.timedelta(days=n) for n in range(MAX_DAYS + 5)}}
    assert not expected(network(closed=closed), A, B, MON).reachable


def test_it_says_no_route_for_an_unknown_branch():
    answer = expected(network(), A, 99, MON)
    assert not answer.reachable and "not an open branch" in answer.problem


@pytest.mark.parametrize(
    ("sender", "receiver", "shipped", "arrives"),
    [
        (B, A, day(2), day(4)),  # Tue pickup at B (Mon not called); A next called Wed
        (D, A, day(6), day(9)),  # Fri pickup at D, ready at H Sat; A next called Mon
        (C, B, day(7), day(12)),  # Sat: C next called Tue, ready Wed; B called Thu
        # F: Mon at K, +2: Wed; TRUNK runs after Wed on Mon 9 to H; +1: Tue; A on Wed 11.
        (F, A, day(2), day(11)),
    ],
)
def test_it_agrees_with_hand_worked_trips(sender, receiver, shipped, arrives):
    assert expected(network(), sender, receiver, shipped).arrival == arrives
