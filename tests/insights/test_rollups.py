"""Monthly rollups and running totals: a period read from them gives the same figures as
its records; and the summaries that replaced reading the records — top titles,
pick lists, transit by route — against small histories worked by hand."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from onelibrary.catalog.models import Item, Title
from onelibrary.courier.models import Route, Stop
from onelibrary.holds.models import HoldEvent
from onelibrary.insights import figures, rollup, series
from onelibrary.insights.build import build_day, rebuild
from onelibrary.insights.models import PairRunning, TitleDay, TitleMonth
from onelibrary.transit.models import Transit
from tests.insights.conftest import DAY, at, direct_matrix, hold, loan, transit

# --- splitting a period ---------------------------------------------------------------


def test_a_period_splits_into_whole_months_and_edge_days():
    d = dt.date
    assert rollup.split(d(2026, 1, 15), d(2026, 4, 10)) == rollup.Split(
        (d(2026, 2, 1), d(2026, 3, 1)),
        ((d(2026, 1, 15), d(2026, 1, 31)), (d(2026, 4, 1), d(2026, 4, 10))),
    )
    assert rollup.split(d(2026, 3, 1), d(2026, 3, 31)) == rollup.Split((d(2026, 3, 1),) * 2, ())
    assert rollup.split(d(2026, 3, 5), d(2026, 3, 20)) == rollup.Split(
        None, ((d(2026, 3, 5), d(2026, 3, 20)),)
    )
    assert rollup.split(d(2028, 2, 1), d(2028, 2, 29)).whole == (d(2028, 2, 1),) * 2  # leap
    assert rollup.split(d(2026, 1, 31), d(2026, 2, 1)).whole is None  # two edges, no month
    assert rollup.last_of(d(2026, 12, 7)) == d(2026, 12, 31)


@given(
    st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31)),
    st.integers(min_value=0, max_value=800),
)
def test_months_and_edges_cover_each_day_of_the_period_once(start, length):
    end = start + dt.timedelta(days=length)
    parts = rollup.split(start, end)
    covered: Counter[dt.date] = Counter()
    for a, b in parts.edges:
        covered.update(a + dt.timedelta(days=n) for n in range((b - a).days + 1))
    if parts.whole:
        for month in rollup.months(*parts.whole):
            last = rollup.last_of(month)
            covered.update(month + dt.timedelta(days=n) for n in range((last - month).days + 1))
    assert covered == Counter(start + dt.timedelta(days=n) for n in range(length + 1))


# --- rollups agree with the days -------------------------------------------------------


@pytest.fixture
def spread(iw):
    """120 loans and 40 transits over four months, on random days."""
    rng = random.Random(7)
    libraries = [iw.riverton, iw.pine, iw.elk]
    items = [iw.dune_riv, iw.dune_pine]
    first = dt.date(2026, 1, 20)
    for _ in range(120):
        day = first + dt.timedelta(days=rng.randrange(110))
        loan(rng.choice(items), rng.choice(libraries), day, by_hold=rng.random() < 0.4)
    for _ in range(40):
        shipped = first + dt.timedelta(days=rng.randrange(105))
        transit(
            iw.dune_pine,
            iw.pine_main,
            rng.choice([iw.riv_main, iw.elk_main]),
            shipped,
            shipped + dt.timedelta(days=rng.randrange(5)),
        )
    rebuild(first, first + dt.timedelta(days=115))
    return iw


def test_every_period_reads_the_same_from_the_summaries_as_from_the_records(spread):
    assert PairRunning.objects.exists()
    rng = random.Random(3)
    first = dt.date(2026, 1, 20)
    periods = [(dt.date(2026, 2, 1), dt.date(2026, 4, 30)), (first, first + dt.timedelta(days=115))]
    for _ in range(25):
        a = first + dt.timedelta(days=rng.randrange(110))
        periods.append((a, a + dt.timedelta(days=rng.randrange(90))))
    for start, end in periods:
        assert figures.matrix(start, end) == direct_matrix(start, end), (start, end)
        trips = {(p.sender, p.receiver): p.copies for p in figures.transit_days(start, end)}
        received = Counter(
            (t.sender.library.code, t.receiver.library.code)
            for t in Transit.objects.filter(
                received_at__date__gte=start, received_at__date__lte=end
            ).select_related("sender__library", "receiver__library")
        )
        assert trips == dict(received), (start, end)


def test_a_month_sums_its_days_and_follows_a_day_built_again(spread):
    march = dt.date(2026, 3, 1)
    days = TitleDay.objects.filter(day__gte=march, day__lte=dt.date(2026, 3, 31))
    by_title: Counter[int] = Counter()
    for row in days:
        by_title[row.title_id] += row.loans
    month = {r.title_id: r.loans for r in TitleMonth.objects.filter(day=march)}
    assert month == dict(by_title)

    loan(spread.dune_riv, spread.elk, dt.date(2026, 3, 18))  # recorded late
    build_day(dt.date(2026, 3, 18))  # the nightly job builds the day again, and its month
    title = spread.dune_riv.title_id
    assert TitleMonth.objects.get(day=march, title=title).loans == by_title[title] + 1
    rollup.roll_up(march)  # idempotent
    assert TitleMonth.objects.filter(day=march).count() == len(month | {title: 0})


# --- top titles, pick lists, routes ---------------------------------------------------


@pytest.fixture
def titled(iw):
    """Dune: 3 loans by patrons of RIV, PINE and PINE; The Hobbit: 2 by ELK; Emma: 1."""
    hobbit = Title.objects.create(title="The Hobbit", author="Tolkien", title_key="hobbit")
    emma = Title.objects.create(title="Emma", author="Austen", title_key="emma")
    copies = {}
    for title in (hobbit, emma):
        copies[title.title] = Item.objects.create(
            title=title,
            barcode=f"3300000000{title.pk:04d}",
            owning_library=iw.elk,
            home_branch=iw.elk_main,
            current_branch=iw.elk_main,
        )
    loan(iw.dune_riv, iw.riverton, DAY)
    loan(iw.dune_riv, iw.pine, DAY)
    loan(iw.dune_pine, iw.pine, DAY + dt.timedelta(days=40))  # next month
    loan(copies["The Hobbit"], iw.elk, DAY)
    loan(copies["The Hobbit"], iw.elk, DAY + dt.timedelta(days=41))
    loan(copies["Emma"], iw.elk, DAY + dt.timedelta(days=2))
    loan(copies["Emma"], iw.elk, DAY + dt.timedelta(days=90))  # outside the period
    rebuild(DAY - dt.timedelta(days=1), DAY + dt.timedelta(days=91))
    return iw


def test_top_titles_rank_by_loans_and_count_the_borrowing_members(titled):
    end = DAY + dt.timedelta(days=60)
    got = [(t.title, t.loans, t.members) for t in series.top_titles(DAY, end)]
    assert got == [("Dune", 3, 2), ("The Hobbit", 2, 1), ("Emma", 1, 1)]
    assert TitleMonth.objects.exists() and TitleDay.objects.exists()
    assert [t.title for t in series.top_titles(DAY, end, limit=1)] == ["Dune"]
    # A tie at the cut goes by name: Emma's one loan ties Dune's in the first three days.
    assert [(t.title, t.loans) for t in series.top_titles(DAY + dt.timedelta(days=1), end, 2)] == [
        ("Dune", 1),
        ("Emma", 1),
    ]


def routed(world, day: dt.date, lender: str, item: Item, *, pulled: dt.date | None = None):
    h = hold(world, world.riverton, day)
    HoldEvent.objects.create(hold=h, kind="routed", at=at(day, 9), item=item, lender=lender)
    if pulled:
        HoldEvent.objects.create(hold=h, kind="in_transit", at=at(pulled, 14), item=item)
        HoldEvent.objects.create(hold=h, kind="on_shelf", at=at(pulled, 15), item=item)
    return h


def test_pick_lists_count_copies_asked_and_pulled_once(iw):
    routed(iw, DAY, "PINE", iw.dune_pine, pulled=DAY)
    routed(iw, DAY, "PINE", iw.dune_pine, pulled=DAY + dt.timedelta(days=1))
    routed(iw, DAY, "PINE", iw.dune_pine)  # never pulled
    routed(iw, DAY, "RIV", iw.dune_riv, pulled=DAY)
    other = routed(iw, DAY, "RIV", iw.dune_riv)
    HoldEvent.objects.create(hold=other, kind="in_transit", at=at(DAY, 13), item=iw.dune_pine)
    rebuild(DAY, DAY + dt.timedelta(days=2))  # ^ a different copy: not what RIV was asked for
    found = series.pick_list_compliance(DAY, DAY + dt.timedelta(days=2))
    assert {code: (p.asked, p.pulled) for code, p in found.items()} == {
        "PINE": (3, 2),
        "RIV": (2, 1),
    }
    assert series.pick_list_compliance(DAY, DAY)["PINE"].pulled == 1


def test_transit_by_route_counts_the_route_stopping_at_the_sender(iw):
    west = Route.objects.create(code="WEST", name="West loop")
    Stop.objects.create(route=west, branch=iw.pine_main, position=1, days="1111100")
    transit(iw.dune_pine, iw.pine_main, iw.riv_main, DAY, DAY + dt.timedelta(days=2))
    transit(iw.dune_pine, iw.pine_main, iw.elk_main, DAY, DAY + dt.timedelta(days=40))
    transit(iw.dune_riv, iw.riv_main, iw.pine_main, DAY, DAY + dt.timedelta(days=1))  # no route
    rebuild(DAY, DAY + dt.timedelta(days=45))
    (got,) = series.transit_by_route(DAY, DAY + dt.timedelta(days=45))
    assert (got.route, got.copies, got.days_median, got.days_p90) == (
        "WEST",
        2,
        21.0,
        pytest.approx(36.2),
    )
