"""The float-balancing decision (floating/balance.py), without a database."""

from __future__ import annotations

import random
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from onelibrary.floating.balance import Shelf, choose, plan

NEAR = 2.0


def test_it_keeps_an_item_at_a_branch_with_no_limit():
    assert choose(Shelf("A", 500), [Shelf("B", 0, 10)], {"B": 1.0}, nearby_days=NEAR) is None


def test_it_keeps_an_item_at_a_branch_exactly_at_capacity():
    assert choose(Shelf("A", 10, 10), [Shelf("B", 0, 10)], {"B": 1.0}, nearby_days=NEAR) is None


def test_it_sends_surplus_to_the_emptiest_nearby_branch():
    others = [Shelf("B", 5, 10), Shelf("C", 1, 10), Shelf("D", 0, 10)]
    days = {"B": 1.0, "C": 1.0, "D": 3.0}  # D is emptiest but not nearby
    assert choose(Shelf("A", 11, 10), others, days, nearby_days=NEAR) == "C"


def test_it_measures_under_capacity_as_how_full_not_how_many():
    # B has more free places (40) but is 80% full; C is 10% full.
    others = [Shelf("B", 160, 200), Shelf("C", 1, 10)]
    assert choose(Shelf("A", 6, 5), others, {"B": 1, "C": 1}, nearby_days=NEAR) == "C"


def test_it_breaks_ties_by_room_then_days_then_code():
    assert choose(Shelf("A", 3, 2), [Shelf("B", 1, 4), Shelf("C", 2, 8)], {"B": 1, "C": 1},
                  nearby_days=NEAR) == "C"  # fmt: skip
    assert choose(Shelf("A", 3, 2), [Shelf("B", 1, 4), Shelf("C", 1, 4)], {"B": 2, "C": 1},
                  nearby_days=NEAR) == "C"  # fmt: skip
    assert choose(Shelf("A", 3, 2), [Shelf("C", 1, 4), Shelf("B", 1, 4)], {"B": 1, "C": 1},
                  nearby_days=NEAR) == "B"  # fmt: skip


def test_it_never_sends_to_a_branch_without_a_route_or_a_capacity():
    others = [Shelf("B", 0, None), Shelf("C", 0, 10), Shelf("D", 0, 0)]
    assert choose(Shelf("A", 2, 1), others, {"B": 1, "D": 1}, nearby_days=NEAR) is None


def test_it_plans_moves_over_a_whole_group():
    shelves = [Shelf("A", 14, 10), Shelf("B", 2, 4), Shelf("C", 0, 3), Shelf("D", 0, None)]
    days = {(a, b): 1.0 for a in "ABCD" for b in "ABCD" if a != b}
    moves, after = plan(shelves, days, nearby_days=NEAR)
    assert sorted((m.source, m.target, m.count) for m in moves) == [("A", "B", 1), ("A", "C", 3)]
    assert [s.count for s in after] == [10, 3, 3, 0]


# --- properties ------------------------------------------------------------------------

codes = st.sampled_from([f"B{i}" for i in range(8)])
capacity = st.one_of(st.none(), st.integers(0, 12))
shelf = st.builds(Shelf, codes, st.integers(0, 15), capacity)
trip = st.one_of(st.none(), st.sampled_from([0.5, 1.0, 1.5, 2.0, 2.5, 3.0]))


@st.composite
def situations(draw):
    here = draw(st.builds(Shelf, st.just("HERE"), st.integers(1, 20), capacity))
    others = draw(st.lists(shelf, max_size=8, unique_by=lambda s: s.branch))
    days = {s.branch: draw(trip) for s in others}
    nearby = draw(st.sampled_from([0.5, 1.0, 2.0, 3.0]))
    return here, others, days, nearby


def eligible(others, days, nearby):
    return [
        s
        for s in others
        if s.can_take() and days.get(s.branch) is not None and days[s.branch] <= nearby
    ]


@given(situations())
def test_it_never_sends_to_a_branch_that_would_then_be_over_capacity(case):
    here, others, days, nearby = case
    chosen = choose(here, others, days, nearby_days=nearby)
    if chosen is not None:
        target = next(s for s in others if s.branch == chosen)
        assert target.capacity is not None and target.count + 1 <= target.capacity
        assert days[chosen] is not None and days[chosen] <= nearby


@given(situations())
def test_it_never_sends_from_a_branch_at_or_under_capacity(case):
    here, others, days, nearby = case
    if here.capacity is None or here.count <= here.capacity:
        assert choose(here, others, days, nearby_days=nearby) is None


@given(situations())
def test_it_sends_whenever_an_over_capacity_branch_has_a_nearby_one_with_room(case):
    here, others, days, nearby = case
    over = here.capacity is not None and here.count > here.capacity
    chosen = choose(here, others, days, nearby_days=nearby)
    assert (chosen is not None) == (over and bool(eligible(others, days, nearby)))


@given(situations())
def test_it_picks_the_furthest_under_capacity_nearby(case):
    here, others, days, nearby = case
    chosen = choose(here, others, days, nearby_days=nearby)
    if chosen is not None:
        fill = {s.branch: Fraction(s.count, s.capacity) for s in eligible(others, days, nearby)}
        assert fill[chosen] == min(fill.values())


@given(situations(), st.randoms(use_true_random=False))
def test_it_answers_the_same_whatever_the_order_of_branches(case, rng: random.Random):
    here, others, days, nearby = case
    shuffled = list(others)
    rng.shuffle(shuffled)
    assert choose(here, others, days, nearby_days=nearby) == choose(
        here, shuffled, days, nearby_days=nearby
    )


@settings(max_examples=200)
@given(st.lists(shelf, min_size=1, max_size=8, unique_by=lambda s: s.branch), st.data())
def test_its_plan_keeps_every_item_and_overfills_no_branch(shelves, data):
    days = {(a.branch, b.branch): data.draw(trip) for a in shelves for b in shelves if a != b}
    moves, after = plan(shelves, days, nearby_days=2.0)
    assert sum(s.count for s in after) == sum(s.count for s in shelves)
    before = {s.branch: s for s in shelves}
    for s in after:
        was = before[s.branch]
        if s.count > was.count:  # received: never past capacity
            assert s.capacity is not None and s.count <= s.capacity
        if s.count < was.count:  # sent: only its surplus
            assert was.count - s.count <= was.surplus
    for move in moves:
        assert move.count > 0 and move.source != move.target
        assert days[(move.source, move.target)] is not None
    assert plan(list(reversed(shelves)), days, nearby_days=2.0)[0] == moves


@settings(max_examples=200)
@given(st.lists(shelf, min_size=1, max_size=8, unique_by=lambda s: s.branch), st.data())
def test_its_plan_leaves_no_surplus_that_could_still_go_somewhere(shelves, data):
    days = {(a.branch, b.branch): data.draw(trip) for a in shelves for b in shelves if a != b}
    _, after = plan(shelves, days, nearby_days=2.0)
    for s in after:
        if s.surplus:
            trips = {o.branch: days.get((s.branch, o.branch)) for o in after}
            assert choose(s, after, trips, nearby_days=2.0) is None
