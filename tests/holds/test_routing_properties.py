"""Properties of routing on random small groups, checked against the independent oracles in
tests/holds/routing_world.py (eligibility, networkx matchings, brute force, min-cost flow).

What is proved and tested about the baseline: with load_weight 0, when route and
nearest_copy fill the same holds, route's total days are never more than the baseline's,
because the baseline's assignment is one of those route minimises over. Without local
windows and item holds every copy may fill every hold of its title, so both fill exactly
the oldest min(holds, copies) holds of each title, and the comparison always applies.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from unittest import mock

import numpy as np
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from onelibrary.holds import routing_title
from onelibrary.holds.routing import (
    Copy,
    HoldRequest,
    Network,
    Routing,
    capture,
    nearest_copy,
    route,
)
from tests.holds.routing_world import (
    T0,
    TODAY,
    cost,
    fair_holds,
    least_total,
    least_total_flow,
    max_fillable,
    may_fill,
    queue,
)

BRANCHES = {1: "A", 2: "A", 3: "B", 4: "C"}
LIBRARIES = ["A", "B", "C"]
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def groups(
    draw,
    *,
    max_copies: int = 6,
    max_holds: int = 7,
    titles: int = 2,
    windows: bool = True,
    items: bool = True,
    weights: tuple[float, ...] = (0.0, 0.5, 1.0),
):
    """A random group: network, loads, copies and holds, costs on a quarter-day grid."""
    courier = {}
    for a, b in itertools.permutations(BRANCHES, 2):
        days = draw(st.sampled_from([0.5, 1.0, 2.0, 3.0, None]))
        if days is not None:
            courier[(a, b)] = days
    pull = {b: draw(st.sampled_from([0.5, 1.0, 2.0])) for b in BRANCHES if draw(st.booleans())}
    window = {lib: draw(st.sampled_from([0, 7, 30])) for lib in LIBRARIES} if windows else {}
    network = Network(
        branch_library=BRANCHES,
        courier_days=courier,
        pull_days=pull,
        local_window_days=window,
        unknown_route_days=5.0,
    )
    loads = {lib: draw(st.sampled_from([-0.5, 0.0, 0.5, 1.0, 2.0])) for lib in LIBRARIES}
    weight = draw(st.sampled_from(weights))
    mostly = st.integers(0, 9).map(lambda n: n > 0)
    copies = []
    for k in range(draw(st.integers(0, max_copies))):
        branch = draw(st.sampled_from(sorted(BRANCHES)))
        copies.append(
            Copy(
                id=100 + k,
                title_id=draw(st.integers(1, titles)),
                branch_id=branch,
                owner=BRANCHES[branch],
                created=TODAY - dt.timedelta(days=draw(st.sampled_from([3, 10, 40, 400]))),
                holdable=draw(mostly),
                exempt=not draw(mostly),
                available=draw(mostly),
            )
        )
    holds = []
    for k in range(draw(st.integers(0, max_holds))):
        title = draw(st.integers(1, titles))
        item = None
        if items and draw(st.integers(0, 4)) == 0:
            same = [c.id for c in copies if c.title_id == title]
            item = draw(st.sampled_from([*same, 999]))
        holds.append(
            HoldRequest(
                id=1 + k,
                title_id=title,
                pickup_branch_id=draw(st.sampled_from(sorted(BRANCHES))),
                patron_library=draw(st.sampled_from(LIBRARIES)),
                placed_at=T0 + dt.timedelta(minutes=draw(st.integers(0, 5))),
                item_id=item,
            )
        )
    return network, loads, weight, copies, holds


def run(group) -> Routing:
    network, loads, weight, copies, holds = group
    return route(holds, copies, network, lending_load=loads, load_weight=weight, today=TODAY)


def total_days(routing: Routing, group, weight: float | None = None) -> float:
    network, loads, w, copies, holds = group
    by_id = {c.id: c for c in copies}
    return sum(
        cost(by_id[routing.assignments[h.id]], h, network, loads, w if weight is None else weight)
        for h in holds
        if h.id in routing.assignments
    )


def titles_of(group):
    _, _, _, copies, holds = group
    for title in sorted({h.title_id for h in holds}):
        yield (
            [h for h in holds if h.title_id == title],
            [c for c in copies if c.title_id == title],
        )


@FAST
@given(groups())
def test_it_uses_each_copy_once_and_only_where_the_rules_allow(group):
    network, _, _, copies, holds = group
    result = run(group)
    by_id = {c.id: c for c in copies}
    holds_by_id = {h.id: h for h in holds}

    assert len(set(result.assignments.values())) == len(result.assignments)
    for hold_id, copy_id in result.assignments.items():
        assert may_fill(by_id[copy_id], holds_by_id[hold_id], network, TODAY)
    assert set(result.explanations) == set(holds_by_id)
    for hold_id, why in result.explanations.items():
        assert why.hold_id == hold_id
        assert why.chosen_copy_id == result.assignments.get(hold_id)


@FAST
@given(groups())
def test_it_fills_the_oldest_holds_that_can_be_filled_together(group):
    network, _, _, _, _ = group
    result = run(group)

    for holds, copies in titles_of(group):
        filled = [h.id for h in queue(holds) if h.id in result.assignments]
        assert filled == fair_holds(holds, copies, network, TODAY)
        # Among the k oldest holds, as many are filled as could ever be filled at once.
        ordered = queue(holds)
        for k in range(1, len(ordered) + 1):
            oldest = ordered[:k]
            assert sum(h.id in result.assignments for h in oldest) == max_fillable(
                oldest, copies, network, TODAY
            )


@FAST
@given(groups())
def test_it_takes_the_fewest_days_that_fill_those_holds(group):
    network, loads, weight, _, _ = group
    result = run(group)

    for holds, copies in titles_of(group):
        fill = [h for h in queue(holds) if h.id in result.assignments]
        by_id = {c.id: c for c in copies}
        got = sum(cost(by_id[result.assignments[h.id]], h, network, loads, weight) for h in fill)
        assert got == least_total(fill, copies, network, loads, weight, TODAY)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(groups(max_copies=25, max_holds=30, titles=1))
def test_it_takes_the_fewest_days_on_deeper_queues_too(group):
    network, loads, weight, copies, holds = group
    result = run(group)

    fill = [h for h in queue(holds) if h.id in result.assignments]
    assert [h.id for h in fill] == fair_holds(holds, copies, network, TODAY)
    assert total_days(result, group) == least_total_flow(
        fill, copies, network, loads, weight, TODAY
    )


@FAST
@given(groups(weights=(0.0,)))
def test_it_is_never_slower_than_nearest_copy_when_both_fill_the_same_holds(group):
    network, _, _, copies, holds = group
    ours = run(group)
    theirs = nearest_copy(holds, copies, network, today=TODAY, seed=1)

    if set(ours.assignments) == set(theirs.assignments):
        assert total_days(ours, group) <= total_days(theirs, group) + 1e-9


@FAST
@given(groups(weights=(0.0,), windows=False, items=False))
def test_it_fills_the_same_holds_as_nearest_copy_without_windows_or_item_holds(group):
    network, _, _, copies, holds = group
    ours = run(group)
    theirs = nearest_copy(holds, copies, network, today=TODAY, seed=2)

    assert set(ours.assignments) == set(theirs.assignments)
    assert total_days(ours, group) <= total_days(theirs, group) + 1e-9


@FAST
@given(groups())
def test_nearest_copy_gives_each_hold_in_turn_a_nearest_copy_left(group):
    network, _, _, copies, holds = group
    result = nearest_copy(holds, copies, network, today=TODAY, seed=3)
    left = list(copies)

    for h in queue(holds):
        allowed = [c for c in left if may_fill(c, h, network, TODAY)]
        if not allowed:
            assert h.id not in result.assignments
            continue
        nearest = min(cost(c, h, network, {}, 0.0) for c in allowed)
        chosen = next(c for c in allowed if c.id == result.assignments[h.id])
        assert cost(chosen, h, network, {}, 0.0) == nearest
        left.remove(chosen)


@FAST
@given(groups(max_copies=12, max_holds=12))
def test_it_routes_the_same_on_the_numpy_path_and_the_plain_one(group):
    with mock.patch.object(routing_title, "VECTOR_MIN", 10**9):
        plain = run(group)
    with mock.patch.object(routing_title, "VECTOR_MIN", 0):
        vector = run(group)

    assert plain == vector


@FAST
@given(groups(), st.randoms(use_true_random=False))
def test_it_does_not_depend_on_the_order_of_its_input(group, rnd):
    network, loads, weight, copies, holds = group
    shuffled_copies, shuffled_holds = list(copies), list(holds)
    rnd.shuffle(shuffled_copies)
    rnd.shuffle(shuffled_holds)

    again = route(
        shuffled_holds,
        shuffled_copies,
        network,
        lending_load=loads,
        load_weight=weight,
        today=TODAY,
    )

    assert again == run(group)


@FAST
@given(groups(titles=1), st.data())
def test_it_captures_for_the_hold_a_one_copy_route_gives_the_copy(group, data):
    network, loads, weight, copies, holds = group
    assume(copies)
    checked_in = data.draw(st.sampled_from(copies))

    why = capture(checked_in, holds, network, lending_load=loads, load_weight=weight, today=TODAY)
    alone = route(holds, [checked_in], network, lending_load=loads, load_weight=weight, today=TODAY)

    assert {why.hold_id: why.chosen_copy_id} == (dict(alone.assignments) or {0: None})


@FAST
@given(groups())
def test_it_explains_every_hold_with_its_candidates_and_their_costs(group):
    network, loads, weight, copies, holds = group
    result = run(group)
    by_id = {c.id: c for c in copies}

    for h in holds:
        why = result.explanations[h.id]
        assert len(why.candidates) <= routing_title.SHOWN
        assert why.reason
        of_title = [c for c in copies if c.title_id == h.title_id]
        if h.item_id is None:
            assert len(why.candidates) + why.candidates_not_shown == len(of_title)
        allowed = [c for c in of_title if may_fill(c, h, network, TODAY)]
        costed = [cand for cand in why.candidates if cand.cost is not None]
        assert len(costed) == min(len(allowed), routing_title.SHOWN)
        for cand in why.candidates:
            c = by_id[cand.copy_id]
            if cand.cost is None:
                assert cand.excluded_because
                assert not may_fill(c, h, network, TODAY)
            else:
                assert may_fill(c, h, network, TODAY)
                assert cand.cost.total == cost(c, h, network, loads, weight)
        if why.chosen_copy_id is not None:
            assert why.chosen_copy_id in [cand.copy_id for cand in costed]
        elif allowed:
            assert why.reason.startswith("Waiting:")
        else:
            assert why.reason.startswith("No copy can fill this hold:")


@FAST
@given(
    st.integers(1, 4).flatmap(
        lambda rows: st.integers(rows, 12).flatmap(
            lambda cols: st.lists(
                st.lists(st.sampled_from([0, 1, 2, 3, 5, 8, None]), min_size=cols, max_size=cols),
                min_size=rows,
                max_size=rows,
            )
        )
    )
)
def test_assign_finds_the_least_total_with_or_without_pruned_columns(rows):
    costs = np.array([[np.inf if v is None else v for v in row] for row in rows], dtype=float)
    n, m = costs.shape
    best = min(
        (
            sum(costs[r, c] for r, c in enumerate(cols))
            for cols in itertools.permutations(range(m), n)
        ),
        default=np.inf,
    )
    assume(best < np.inf)

    cols = routing_title.assign(costs)

    assert len(set(cols)) == n
    assert sum(costs[r, c] for r, c in enumerate(cols)) == best


def test_cheapest_matches_a_stable_full_sort():
    rnd = random.Random(5)
    for _ in range(200):
        costs = np.array(
            [[rnd.choice([1.0, 2.0, 3.0, np.inf]) for _ in range(25)] for _ in range(6)]
        )
        expected = np.argsort(costs, axis=1, kind="stable")[:, : routing_title.SHOWN]
        assert (routing_title._cheapest(costs) == expected).all()
