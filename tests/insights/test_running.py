"""Running totals of the pair tables (insights/running.py): the boundaries, the plan that
reads a period as boundary slices and days, and the figures read through them against
direct counts of the records — including days built late, out of order and far apart,
and transit times too long for a column of their own."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from onelibrary.insights import figures, running, tables
from onelibrary.insights.build import build_day, build_missing, rebuild
from onelibrary.insights.measures import percentile
from onelibrary.insights.models import TRANSIT_COLUMNS, RunningBoundary, TransitRunning
from onelibrary.transit.models import Transit
from tests.insights.conftest import direct_matrix, hold, loan, transit

d = dt.date


def test_boundaries_are_the_tenth_the_twentieth_and_the_last_day():
    assert running.boundary_of(d(2026, 3, 1)) == d(2026, 3, 10)
    assert running.boundary_of(d(2026, 3, 10)) == d(2026, 3, 10)
    assert running.boundary_of(d(2026, 3, 11)) == d(2026, 3, 20)
    assert running.boundary_of(d(2026, 3, 21)) == d(2026, 3, 31)
    assert running.boundary_of(d(2028, 2, 29)) == d(2028, 2, 29)  # leap
    assert running.before(d(2026, 3, 10)) == d(2026, 2, 28)
    assert running.before(d(2026, 3, 20)) == d(2026, 3, 10)
    assert running.before(d(2026, 3, 31)) == d(2026, 3, 20)
    assert running.after(d(2026, 2, 28)) == d(2026, 3, 10)
    assert running.after(d(2026, 12, 31)) == d(2027, 1, 10)


@given(
    st.dates(d(2024, 1, 1), d(2027, 12, 31)),
    st.integers(min_value=0, max_value=800),
    st.one_of(st.none(), st.dates(d(2023, 12, 1), d(2028, 1, 31))),
)
def test_a_plan_counts_each_built_day_of_the_period_once(start, length, last_built):
    """Whatever the period and however far the days are built, the slices add every day
    up to the last written boundary once if it is in the period, and never otherwise."""
    end = start + dt.timedelta(days=length)
    written = None if last_built is None else running.boundary_of(last_built)
    slices = running.plan(start, end, written)
    horizon = written or end
    weight: Counter[dt.date] = Counter()
    first = min(start, d(2023, 11, 1))
    for s in slices:
        span = s.days or (first, s.boundary)
        day = span[0]
        while day <= span[1]:
            weight[day] += s.sign
            day += dt.timedelta(days=1)
    day = first
    while day <= horizon:
        assert weight[day] == (1 if start <= day <= end else 0), (day, slices)
        day += dt.timedelta(days=1)
    reads = sum(s.reads for s in slices)
    if written is not None:  # else nothing is built: the days alone, which hold no rows
        assert reads <= min(length + 1, 2 * running.SLICE_IN_DAYS + 10)


@pytest.fixture
def history(iw):
    """200 loans and 80 transits (some of them slow) over five months, built."""
    rng = random.Random(11)
    libraries = [iw.riverton, iw.pine, iw.elk]
    items = [iw.dune_riv, iw.dune_pine]
    first = d(2026, 1, 7)
    for _ in range(200):
        loan(
            rng.choice(items), rng.choice(libraries), first + dt.timedelta(days=rng.randrange(150))
        )
    for _ in range(80):
        shipped = first + dt.timedelta(days=rng.randrange(140))
        took = rng.choice([0, 1, 2, 3, 3, 4, 9, 16, 22, 40])
        receiver = rng.choice([iw.riv_main, iw.elk_main])
        transit(iw.dune_pine, iw.pine_main, receiver, shipped, shipped + dt.timedelta(days=took))
    rebuild(first, first + dt.timedelta(days=190))
    return iw


def direct_transits(start: dt.date, end: dt.date) -> dict[tuple[str, str], Counter[int]]:
    found: dict[tuple[str, str], Counter[int]] = {}
    for t in Transit.objects.filter(
        received_at__date__gte=start, received_at__date__lte=end
    ).select_related("sender__library", "receiver__library"):
        took = (timezone.localdate(t.received_at) - timezone.localdate(t.shipped_at)).days
        key = (t.sender.library.code, t.receiver.library.code)
        found.setdefault(key, Counter())[took] += 1
    return found


def periods(rng: random.Random, first: dt.date, count: int) -> list[tuple[dt.date, dt.date]]:
    found = [(d(2026, 2, 1), d(2026, 4, 30)), (first, first + dt.timedelta(days=190))]
    for _ in range(count):
        a = first + dt.timedelta(days=rng.randrange(185))
        found.append((a, a + dt.timedelta(days=rng.choice([0, 3, 12, 40, 100, 170]))))
    return found


def test_every_period_reads_as_its_records_say(history):
    first = d(2026, 1, 7)
    slow = 0
    for start, end in periods(random.Random(5), first, 30):
        assert figures.matrix(start, end) == direct_matrix(start, end), (start, end)
        want = direct_transits(start, end)
        got = {(p.sender, p.receiver): p for p in figures.transit_days(start, end)}
        assert set(got) == set(want), (start, end)
        for pair, hist in want.items():
            assert got[pair].copies == sum(hist.values())
            assert got[pair].days_median == round(percentile(hist, 0.5), 2), (start, end, pair)
            assert got[pair].days_p90 == round(percentile(hist, 0.9), 2), (start, end, pair)
            slow += (percentile(hist, 0.9) or 0) >= TRANSIT_COLUMNS
    assert slow  # some p90 fell among the long transits and was read exactly
    assert TransitRunning.objects.filter(days_more__gt=0).exists()


def test_a_day_built_late_moves_the_boundaries_after_it(history):
    late = d(2026, 2, 14)
    before = figures.matrix(d(2026, 4, 1), d(2026, 4, 30))
    whole = figures.matrix(d(2026, 1, 1), d(2026, 6, 30))
    loan(history.dune_riv, history.elk, late)  # recorded late
    build_day(late)  # the nightly job builds that day again
    assert figures.matrix(d(2026, 4, 1), d(2026, 4, 30)) == before
    again = figures.matrix(d(2026, 1, 1), d(2026, 6, 30))
    assert again[("RIV", "ELK")] == whole.get(("RIV", "ELK"), 0) + 1
    assert again == direct_matrix(d(2026, 1, 1), d(2026, 6, 30))


def test_days_built_out_of_order_and_far_apart_leave_no_boundary_missing(iw):
    loan(iw.dune_riv, iw.pine, d(2026, 1, 5))
    loan(iw.dune_riv, iw.pine, d(2026, 6, 25))
    loan(iw.dune_pine, iw.elk, d(2025, 11, 3))
    build_day(d(2026, 1, 5))
    build_day(d(2026, 6, 25))  # five months later: every boundary between is written
    build_missing(d(2025, 11, 1), d(2025, 11, 30))  # and a month before the first
    written = list(RunningBoundary.objects.order_by("day").values_list("day", flat=True))
    assert written[0] == d(2025, 11, 10) and written[-1] == d(2026, 6, 30)
    assert all(running.after(a) == b for a, b in zip(written, written[1:], strict=False))
    assert figures.matrix(d(2026, 6, 21), d(2026, 6, 30)) == {("RIV", "PINE"): 1}
    assert figures.matrix(d(2025, 1, 1), d(2027, 1, 1)) == {("RIV", "PINE"): 2, ("PINE", "ELK"): 1}
    assert figures.matrix(d(2026, 1, 6), d(2026, 6, 24)) == {}


def test_nothing_built_reads_as_nothing(iw):
    loan(iw.dune_riv, iw.pine, d(2026, 1, 5))
    assert figures.matrix(d(2026, 1, 1), d(2026, 12, 31)) == {}
    assert figures.transit_days(d(2026, 1, 1), d(2026, 12, 31)) == []


def test_the_migration_writes_the_running_totals_of_days_built_before_it(transactional_db, iw):
    """Insights 0006 writes, with its own SQL, what running.py keeps from then on."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    rng = random.Random(2)
    for _ in range(60):
        day = d(2026, 1, 3) + dt.timedelta(days=rng.randrange(70))
        loan(rng.choice([iw.dune_riv, iw.dune_pine]), rng.choice([iw.pine, iw.elk]), day)
        took = rng.choice([1, 2, 20])
        transit(iw.dune_pine, iw.pine_main, iw.elk_main, day, day + dt.timedelta(days=took))
        shelved = day + dt.timedelta(days=took)
        hold(iw, iw.elk, day, shelved=shelved, filled=shelved + dt.timedelta(days=1))
    rebuild(d(2026, 1, 3), d(2026, 3, 31))

    def kept() -> list[list[tuple]]:
        return [
            sorted(
                tuple(v for k, v in r.items() if k != "id") for r in kind.running.objects.values()
            )
            for kind in running.KINDS
        ] + [sorted(RunningBoundary.objects.values_list("day", flat=True))]

    want = kept()
    assert all(want)
    executor = MigrationExecutor(connection)
    executor.migrate([("insights", "0005_titles_by_loans")])
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert kept() == want


def test_a_percentile_reads_without_float_noise(iw):
    """Four transits of 1, 1, 1 and 2 days: p90 = 1 + 0.7000000000000002, shown 1.7."""
    for took in (1, 1, 1, 2):
        transit(iw.dune_pine, iw.pine_main, iw.riv_main, d(2026, 3, 2), d(2026, 3, 2 + took))
    rebuild(d(2026, 3, 1), d(2026, 3, 31))
    (pair,) = figures.transit_days(d(2026, 3, 1), d(2026, 3, 31))
    assert (pair.copies, pair.days_median, pair.days_p90) == (4, 1.0, 1.7)
    assert percentile(Counter({1: 3, 2: 1}), 0.9) != 1.7  # the noise it takes away
    assert tables.transit_table(d(2026, 3, 1), d(2026, 3, 31)).rows[0][-1] == 1.7
