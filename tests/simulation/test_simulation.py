"""The holds simulation (simulation/): the engine over the real routing module.

No database: the small demo group as plain data, a few weeks of demand, and a two-library
world built by hand for the local-priority window.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from onelibrary.core import lending
from onelibrary.demo.generator import build_plan
from onelibrary.holds import routing
from onelibrary.simulation import demand, engine, world
from onelibrary.simulation.demand import Demand, HoldDemand
from onelibrary.simulation.engine import Run, simulate
from onelibrary.simulation.figures import figures, percentile
from onelibrary.simulation.policy import Policy
from onelibrary.simulation.router import lending_load
from onelibrary.simulation.world import Branch, CopyPlan, Member, Patron, Title, World

DAYS = 60


@pytest.fixture(scope="module")
def small_world() -> World:
    return world.from_plan(build_plan(1, "small", today=world.START))


@pytest.fixture(scope="module")
def small_demand(small_world: World) -> Demand:
    return demand.generate(small_world, seed=1, days=DAYS)


def run(w: World, d: Demand, policy: Policy, seed: int = 1):
    return figures(simulate(w, d, policy, seed=seed), w)


def test_it_gives_the_same_figures_for_the_same_seed(small_world, small_demand):
    again = demand.generate(small_world, seed=1, days=DAYS)
    assert again == small_demand
    first = run(small_world, small_demand, Policy())
    assert run(small_world, again, Policy()) == first
    other = demand.generate(small_world, seed=2, days=DAYS)
    assert run(small_world, other, Policy(), seed=2) != first


def test_it_gives_every_variant_the_same_demand(small_world, small_demand):
    nearest = run(small_world, small_demand, Policy(routing="nearest"))
    optimal = run(small_world, small_demand, Policy(load_weight=0))
    assert nearest.holds_placed == optimal.holds_placed == len(small_demand.holds)


@pytest.mark.parametrize("policy", [Policy(routing="nearest"), Policy(load_weight=2)])
def test_it_runs_nearest_and_optimal_routing(small_world, small_demand, policy):
    f = run(small_world, small_demand, policy)
    assert f.holds_filled > 0.8 * f.holds_placed
    assert f.holds_filled + f.holds_waiting <= f.holds_placed
    assert f.p90_days_to_shelf >= f.mean_days_to_shelf >= 0
    assert f.courier_days_per_fill > 0
    assert f.courier_moves >= f.courier_moves_home > 0
    assert f.lending_balance >= 0
    assert f.largest_net_lender == max(m.net_lent for m in f.members)


def test_it_lists_every_member_and_their_own_patrons(small_world, small_demand):
    f = run(small_world, small_demand, Policy())
    assert [m.code for m in f.members] == [m.code for m in small_world.members]
    assert sum(m.holds_filled for m in f.members) == f.holds_filled
    assert sum(m.lent for m in f.members) == sum(m.borrowed for m in f.members)
    for m in f.members:
        if m.holds_filled:
            assert m.p90_days_to_shelf >= 0 and m.mean_days_to_shelf >= 0


def test_it_sends_no_copy_home_when_every_collection_floats(small_world, small_demand):
    none = run(small_world, small_demand, Policy(floating="none"))
    some = run(small_world, small_demand, Policy(floating=frozenset({"DVD", "NEW"})))
    every = run(small_world, small_demand, Policy(floating="all"))
    assert every.courier_moves_home == 0
    assert none.courier_moves_home > some.courier_moves_home > 0
    assert every.courier_moves < none.courier_moves


def test_it_evens_lending_with_a_heavier_load_weight(small_world):
    year = demand.generate(small_world, seed=1, days=200)
    light = run(small_world, year, Policy(load_weight=0))
    heavy = run(small_world, year, Policy(load_weight=4))
    assert heavy.largest_net_lender < light.largest_net_lender


def test_it_keeps_every_copy_in_one_place(small_world, small_demand):
    run = Run(small_world, small_demand, Policy(floating="all"), routing, 1)
    outcome = run.play(DAYS)
    shelved = {c for shelf in run.shelf for c in shelf}
    assert shelved == {c for c, state in enumerate(run.state) if state == engine.ON_SHELF}
    for c in shelved:
        assert c in run.shelf[run.at[c]] and c not in run.filling
    available = {c for copies in run.avail.values() for c in copies}
    assert available == {c for c in shelved if run.holdable[c]}
    on_the_way = {engine.RESERVED, engine.MOVING, engine.HOLD_SHELF}
    assert all(run.state[c] in on_the_way for c in run.filling)
    waiting = {h for queue in run.waiting.values() for h in queue}
    assert waiting.isdisjoint(run.filling.values())
    assert waiting.isdisjoint(f.hold for f in outcome.fills)
    assert all(f.placed <= f.chosen <= f.shelved for f in outcome.fills)


# -- a two-library world, built by hand ---------------------------------------------------

START = world.START  # a Monday


def two_libraries(*, copy_age_days: int) -> World:
    """ASH (one branch) owns the only copy of title 0; a BIRCH patron wants it."""
    return World(
        members=(Member("ASH", "Ash Library", "city"), Member("BIRCH", "Birch Library", "small")),
        branches=(
            Branch(0, "ASH", "ASH", 46.0, -110.0),
            Branch(1, "BIRCH", "BIRCH", 46.0, -109.0),  # about 77 km east: 1.5 courier days
        ),
        titles=(Title(0, popularity=1.0, collection="NEW"),),
        copies=(
            CopyPlan(
                title=0,
                owner="ASH",
                home=0,
                collection="NEW",
                created=START - dt.timedelta(days=copy_age_days),
            ),
        ),
        patrons=(Patron("ASH", 0), Patron("BIRCH", 1)),
    )


def one_hold(patron: int, days: int = 45) -> Demand:
    want = HoldDemand(day=0, patron=patron, title=0, pickup_delay=0, loan_share=1.0)
    return Demand(days=days, releases=(), purchases=(), holds=(want,), walkins=())


def test_it_keeps_a_new_copy_home_in_the_local_window():
    w = two_libraries(copy_age_days=0)
    kept = simulate(w, one_hold(patron=1), Policy(local_window=30), seed=1)
    (fill,) = kept.fills
    assert fill.owner == "ASH" and fill.patron_library == "BIRCH"
    assert fill.shelved - fill.placed >= 30  # not routed before the window closes
    assert fill.copy_age >= 30
    shared = simulate(w, one_hold(patron=1), Policy(local_window=0), seed=1)
    (fill,) = shared.fills
    assert fill.shelved - fill.placed <= 4
    assert figures(shared, w).new_copies_lent == 1


def test_it_lets_the_owners_own_patrons_have_a_new_copy_at_once():
    w = two_libraries(copy_age_days=0)
    (fill,) = simulate(w, one_hold(patron=0), Policy(local_window=30), seed=1).fills
    assert fill.courier_days == 0 and fill.shelved - fill.placed <= 2


def test_it_counts_the_trip_there_and_the_trip_home():
    w = two_libraries(copy_age_days=400)
    outcome = simulate(w, one_hold(patron=1, days=60), Policy(floating="none"), seed=1)
    (fill,) = outcome.fills
    assert fill.courier_days == 1.5
    assert outcome.moves_to_pickup == 1 and outcome.moves_home == 1
    f = figures(outcome, w)
    assert f.courier_moves == 2 and f.courier_days_per_fill == 1.5
    assert (f.largest_net_lender, f.largest_net_lender_library) == (1, "ASH")
    floated = simulate(w, one_hold(patron=1, days=60), Policy(floating="all"), seed=1)
    assert floated.moves_home == 0


def test_it_uses_the_holds_apps_courier_days():
    ash, birch, far = (
        Branch(0, "A", "ASH", 46.0, -110.0),
        Branch(1, "B", "BIRCH", 46.0, -109.0),
        Branch(2, "C", "ASH", 48.0, -104.0),
    )
    assert world.courier_days(ash, ash) == 0
    assert world.courier_days(ash, far) == 1  # the same library's own van
    assert world.courier_days(ash, birch) == 1.5  # 1 + 77 km / 250, to the half day
    assert world.courier_days(birch, far) == 3.0  # 1 + 448 km / 250 = 2.79 -> 3


def test_it_tells_routing_the_pull_days_of_the_holds_app():
    assert world.pull_days("1111111", 0) == 1  # open today: pulled the next day
    assert world.pull_days("0101010", 0) == 2  # closed Monday, open Tuesday
    assert world.pull_days("1000000", 1) == 7  # open Mondays only, asked on a Tuesday


def test_it_loads_members_by_the_holds_apps_formula():
    from collections import Counter

    load = lending_load(Counter(ASH=30, BIRCH=10), Counter(ASH=10, BIRCH=30))
    assert load == {"ASH": 0.5, "BIRCH": 0.0}


def test_it_takes_percentiles_like_numpy():
    assert percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9) == pytest.approx(9.1)
    assert percentile([4], 0.9) == 4
    assert percentile([], 0.9) == 0


def test_it_stops_when_routing_gives_one_copy_twice():
    w = replace(two_libraries(copy_age_days=400), patrons=(Patron("BIRCH", 1),) * 2)
    holds = tuple(
        HoldDemand(day=0, patron=p, title=0, pickup_delay=0, loan_share=1.0) for p in (0, 1)
    )
    d = Demand(days=5, releases=(), purchases=(), holds=holds, walkins=())

    class Broken:
        capture = staticmethod(routing.capture)
        nearest_copy = staticmethod(routing.nearest_copy)

        @staticmethod
        def route(hs, cs, network, **kw):
            return routing.Routing({h.id: cs[0].id for h in hs}, {})

    with pytest.raises(RuntimeError, match="gave copy 0 to two holds"):
        simulate(w, d, Policy(), seed=1, router=Broken)  # type: ignore[arg-type]


def test_it_counts_walk_in_loans_of_other_members_copies_as_lent_and_borrowed(
    small_world, small_demand
):
    """Net lending's one definition (core.lending): hold fills and walk-ins alike."""
    outcome = simulate(small_world, small_demand, Policy(), seed=1)
    f = figures(outcome, small_world)
    fills = [(x.owner, x.patron_library) for x in outcome.fills if x.owner != x.patron_library]
    assert outcome.walkins_between  # floating puts other members' copies on our shelves
    assert all(owner != patron for owner, patron in outcome.walkins_between)
    assert sum(m.lent for m in f.members) == len(fills) + len(outcome.walkins_between)
    for m in f.members:
        assert m.net_lent == lending.net_lending(m.lent, m.borrowed)
        assert m.lending_balance == round(lending.lending_balance(m.lent, m.borrowed), 4)
