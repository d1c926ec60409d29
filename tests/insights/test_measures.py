"""The pure measures against direct computations."""

from __future__ import annotations

import itertools
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from onelibrary.core import lending
from onelibrary.insights.measures import (
    gini,
    percentile,
    percentiles,
    percentiles_of_columns,
    shown,
)
from onelibrary.simulation.figures import percentile as plain_percentile


def direct_gini(values: list[float]) -> float:
    """The definition written out: every ordered pair's absolute difference, over 2n(T⁺+T⁻)."""
    n = len(values)
    total = sum(abs(v) for v in values)
    pairs = sum(abs(a - b) for a, b in itertools.product(values, repeat=2))
    return pairs / (2 * n * total) if total else 0.0


@pytest.mark.parametrize("seed", range(20))
def test_it_computes_the_gini_of_net_lending_as_the_definition_says(seed):
    rng = random.Random(seed)
    values = [rng.randint(-500, 500) for _ in range(rng.randint(1, 40))]
    assert gini(values) == pytest.approx(direct_gini(values))


def test_it_gives_zero_when_every_member_is_balanced_and_nears_one_for_one_lender():
    assert gini([0, 0, 0]) == 0.0
    assert gini([]) == 0.0
    # One member lends all that one other borrows: (n - 1) / n.
    assert gini([100, -100] + [0] * 8) == pytest.approx(0.9)
    assert gini([5, -5]) == pytest.approx(0.5)


def test_it_stays_within_zero_and_one_for_net_lending_that_sums_to_zero():
    rng = random.Random(7)
    for _ in range(200):
        moves = [(rng.choice("ABCDE"), rng.choice("ABCDE")) for _ in range(rng.randint(1, 60))]
        lent, borrowed = lending.tally(moves)
        nets = [lending.net_lending(lent[c], borrowed[c]) for c in "ABCDE"]
        assert sum(nets) == 0
        assert 0.0 <= gini(nets) <= 1.0


@pytest.mark.parametrize("share", [0.0, 0.1, 0.5, 0.9, 1.0])
def test_it_takes_percentiles_from_a_histogram_as_from_the_values(share):
    rng = random.Random(3)
    values = [rng.randint(0, 30) for _ in range(101)]
    histogram: dict[int, int] = {}
    for v in values:
        histogram[v] = histogram.get(v, 0) + 1
    assert percentile(histogram, share) == pytest.approx(plain_percentile(values, share))
    assert percentile({}, share) is None


def test_net_lending_counts_neither_side_of_a_loan_within_one_member():
    lent, borrowed = lending.tally([("A", "B"), ("A", "B"), ("B", "A"), ("C", "C")])
    assert (lent["A"], borrowed["A"]) == (2, 1)
    assert (lent["C"], borrowed["C"]) == (0, 0)
    assert lending.net_lending(lent["A"], borrowed["A"]) == 1
    assert lending.lending_load(lent, borrowed) == {"A": pytest.approx(1 / 3), "B": 0.0}


@given(
    st.dictionaries(
        st.integers(min_value=0, max_value=60), st.integers(min_value=0, max_value=9), max_size=12
    ),
    st.lists(st.floats(min_value=0, max_value=1), min_size=1, max_size=4),
)
def test_several_percentiles_in_one_walk_agree_with_one_at_a_time(histogram, shares):
    ordered = sorted(histogram.items())
    assert percentiles(ordered, shares) == [percentile(histogram, s) for s in shares]


@given(
    st.dictionaries(
        st.integers(min_value=0, max_value=30), st.integers(min_value=0, max_value=9), max_size=12
    ),
    st.lists(st.floats(min_value=0, max_value=1), min_size=1, max_size=4),
)
def test_percentiles_of_columns_agree_or_say_they_need_the_long_values(histogram, shares):
    """Columns 0..14 and one for 15 or more, as TransitRunning keeps them."""
    columns = [histogram.get(k, 0) for k in range(15)]
    columns.append(sum(n for k, n in histogram.items() if k >= 15))
    found = percentiles_of_columns(columns, shares)
    values = sorted(v for v, n in histogram.items() for _ in range(n))
    if found is not None:
        assert found == [shown(percentile(histogram, s)) for s in shares]
    else:  # a rank the interpolation reads holds a value of 15 or more
        ranks = [min(int(s * (len(values) - 1)) + 1, len(values) - 1) for s in shares]
        assert max(values[r] for r in ranks) >= 15
