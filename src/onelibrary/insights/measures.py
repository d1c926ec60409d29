"""Pure measures over summary counts: percentiles from a histogram, the Gini of net
lending. No ORM; tested against direct computations (tests/insights/test_measures.py)."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping, Sequence
from itertools import accumulate


def percentile(histogram: Mapping[int, int], share: float) -> float | None:
    """The `share` percentile of the values a histogram {value: count} stands for, linear
    between closest ranks (as numpy's default, spreadsheets and the simulator's figures
    do), without expanding it. None when it is empty."""
    total = sum(histogram.values())
    if total == 0:
        return None
    rank, low, high = _ranks(share, total)
    below, above = _at_rank(histogram, low), _at_rank(histogram, high)
    return below + (above - below) * (rank - low)


def percentiles(ordered: Sequence[tuple[int, int]], shares: Sequence[float]) -> list[float | None]:
    """`percentile` of several shares at once, from (value, count) pairs already in value
    order, in one walk: for the many small histograms of a big group (figures.py)."""
    total = sum(count for _, count in ordered)
    if total == 0:
        return [None for _ in shares]
    ranks = [_ranks(share, total) for share in shares]
    wanted = sorted({r for _, low, high in ranks for r in (low, high)})
    at: dict[int, int] = {}
    seen, i = 0, 0
    for value, count in ordered:
        seen += count
        while i < len(wanted) and wanted[i] < seen:
            at[wanted[i]] = value
            i += 1
        if i == len(wanted):
            break
    return [at[low] + (at[high] - at[low]) * (rank - low) for rank, low, high in ranks]


def shown(value: float | None) -> float | None:
    """A percentile as reported: two decimals, without the interpolation's float noise
    (1 + 0.7000000000000002 is 1.7 to a reader)."""
    return None if value is None else round(value, 2)


def percentiles_of_columns(
    counts: Sequence[int], shares: Sequence[float]
) -> list[float | None] | None:
    """`percentile` of several shares from a histogram kept as columns: `counts[k]` values
    equal k, except the last column, which counts every value from its index up. None
    when a percentile needs one of those (its exact value is not here: the caller reads
    it elsewhere). Made for many small histograms: bisection on their running sums, and
    values as `shown` (rounding only what falls between two values)."""
    running = list(accumulate(counts))
    total = running[-1] if running else 0
    if total == 0:
        return [None for _ in shares]
    found: list[float | None] = []
    for share in shares:
        rank, low, high = _ranks(share, total)
        below, above = bisect_right(running, low), bisect_right(running, high)
        if above >= len(counts) - 1 and counts[-1]:
            return None
        found.append(below if above == below else shown(below + (above - below) * (rank - low)))
    return found


def _ranks(share: float, total: int) -> tuple[float, int, int]:
    """Where the `share` percentile of `total` values lies, linear between closest ranks:
    its rank (from 0), and the two whole ranks whose values it lies between."""
    rank = share * (total - 1)
    low = int(rank)
    return rank, low, min(low + 1, total - 1)


def _at_rank(histogram: Mapping[int, int], rank: int) -> int:
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        if rank < seen:
            return value
    raise ValueError(f"rank {rank} is past the histogram's {seen} values")


def gini(values: Sequence[float]) -> float:
    """The Gini coefficient of values that may be negative, as net lending is, normalised
    by the total absolute amount (Raffinetti, Siletti and Vernizzi 2015):

        G = Σᵢ Σⱼ |xᵢ − xⱼ| / (2 n (T⁺ + T⁻))

    with T⁺ the sum of the positive values and T⁻ that of the negative ones, as a size.
    The usual formula divides by 2n²·mean, and the members' net lending has a mean of 0
    (every item lent is one borrowed), so it has no usual Gini. This one is 0 when every
    member is balanced, stays in [0, 1] and nears 1 when one member lends all that one
    other borrows. 0 for no values or all zero.
    """
    n = len(values)
    scale = sum(abs(v) for v in values)  # T⁺ + T⁻
    if n == 0 or scale == 0:
        return 0.0
    ordered = sorted(values)
    # Σᵢ Σⱼ |xᵢ − xⱼ| = 2 Σᵢ (2i − n + 1) x₍ᵢ₎ over the sorted values, i from 0.
    pairs = 2 * sum((2 * i - n + 1) * x for i, x in enumerate(ordered))
    return pairs / (2 * n * scale)
