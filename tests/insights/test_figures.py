"""The figures against a small history worked by hand, and a random one against a direct
count of the loans themselves."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

import pytest

from onelibrary.catalog.models import Item
from onelibrary.circulation.models import Loan
from onelibrary.core import lending
from onelibrary.insights import figures
from onelibrary.insights.build import rebuild
from onelibrary.insights.measures import gini
from tests.insights.conftest import DAY, hold, loan, transit

NEXT = DAY + dt.timedelta(days=1)


@pytest.fixture
def history(iw):
    riv, pine, elk = iw.riverton, iw.pine, iw.elk
    for _ in range(2):
        loan(iw.dune_riv, riv, DAY)  # own
    loan(iw.dune_riv, pine, DAY, by_hold=True)  # RIV lends to PINE
    loan(iw.dune_riv, elk, DAY)  # RIV lends to ELK, walk-in
    loan(iw.dune_pine, riv, DAY, by_hold=True)  # PINE lends to RIV
    loan(iw.dune_pine, pine, DAY)  # own
    loan(iw.dune_pine, elk, NEXT)  # PINE lends to ELK, walk-in
    loan(iw.dune_pine, elk, DAY + dt.timedelta(days=5))  # outside the period
    hold(iw, riv, DAY, shelved=DAY, filled=NEXT)  # 0 days to the shelf
    hold(iw, riv, DAY - dt.timedelta(days=10), shelved=DAY, filled=DAY)  # 10 days
    hold(iw, riv, DAY)  # waiting
    hold(iw, pine, NEXT, shelved=NEXT, filled=NEXT)  # 0 days
    transit(iw.dune_pine, iw.pine_main, iw.riv_main, DAY - dt.timedelta(days=1), DAY)
    transit(iw.dune_pine, iw.pine_main, iw.riv_east, DAY - dt.timedelta(days=3), NEXT)
    rebuild(DAY - dt.timedelta(days=10), DAY + dt.timedelta(days=5))
    return iw


def test_it_counts_each_members_figures_as_worked_by_hand(history):
    got = {m.code: m for m in figures.members(DAY, NEXT)}
    riv, pine, elk = got["RIV"], got["PINE"], got["ELK"]
    assert (riv.own_loans, riv.lent, riv.borrowed, riv.net) == (2, 2, 1, 1)
    assert (riv.lent_by_hold, riv.lent_walkin, riv.borrowed_by_hold) == (1, 1, 1)
    assert (pine.own_loans, pine.lent, pine.borrowed, pine.net) == (1, 2, 1, 1)
    assert (elk.own_loans, elk.lent, elk.borrowed, elk.net) == (0, 0, 2, -2)
    assert (elk.borrowed_by_hold, elk.borrowed_walkin) == (0, 2)
    assert (riv.holds_placed, riv.holds_filled) == (2, 2)
    assert (riv.fill_days_median, riv.fill_days_p90) == (5.0, 9.0)
    assert (pine.holds_placed, pine.holds_filled, pine.fill_days_median) == (1, 1, 0.0)
    assert (elk.holds_filled, elk.fill_days_median, elk.fill_days_p90) == (0, None, None)


def test_it_counts_the_group_and_the_gini_as_worked_by_hand(history):
    group = figures.group(DAY, NEXT)
    assert (group.loans, group.lent) == (7, 4)
    # nets 1, 1, -2: pairs 2·(0 + 3 + 3) = 12 over 2·3·4 = 24.
    assert group.gini_net_lending == 0.5


def test_it_gives_the_lending_matrix_and_transit_days_by_pair(history):
    assert figures.matrix(DAY, NEXT) == {
        ("RIV", "PINE"): 1,
        ("RIV", "ELK"): 1,
        ("PINE", "RIV"): 1,
        ("PINE", "ELK"): 1,
    }
    (trip,) = figures.transit_days(DAY, NEXT)
    assert (trip.sender, trip.receiver, trip.copies) == ("PINE", "RIV", 2)
    assert (trip.days_median, trip.days_p90) == (2.5, pytest.approx(3.7))


def test_one_day_alone_counts_only_that_day(history):
    got = {m.code: m for m in figures.members(NEXT, NEXT)}
    assert (got["PINE"].lent, got["ELK"].borrowed, got["RIV"].own_loans) == (1, 1, 0)


def test_a_random_history_agrees_with_a_direct_count_of_its_loans(iw):
    rng = random.Random(11)
    libraries = [iw.riverton, iw.pine, iw.elk]
    items = [iw.dune_riv, iw.dune_pine]
    items.append(
        Item.objects.create(
            title=iw.dune,
            barcode="33000000000017",
            owning_library=iw.elk,
            home_branch=iw.elk_main,
            current_branch=iw.elk_main,
        )
    )
    for _ in range(120):
        day = DAY + dt.timedelta(days=rng.randrange(20))
        loan(rng.choice(items), rng.choice(libraries), day, by_hold=rng.random() < 0.4)
    start, end = DAY + dt.timedelta(days=3), DAY + dt.timedelta(days=15)
    rebuild(DAY, DAY + dt.timedelta(days=20))

    loans = Loan.objects.filter(
        checked_out_at__date__gte=start, checked_out_at__date__lte=end
    ).values_list("owning_library__code", "borrower_library__code")
    cells = Counter((o, b) for o, b in loans if o != b)
    lent, borrowed = lending.tally(loans)
    got = figures.members(start, end)

    assert figures.matrix(start, end) == dict(cells)
    assert {m.code: m.lent for m in got} == {c.code: lent[c.code] for c in libraries}
    assert {m.code: m.borrowed for m in got} == {c.code: borrowed[c.code] for c in libraries}
    assert sum(m.lent for m in got) == sum(m.borrowed for m in got)  # lent is borrowed
    for m in got:  # a row of the matrix sums to lent, a column to borrowed
        assert sum(n for (o, _), n in cells.items() if o == m.code) == m.lent
        assert sum(n for (_, b), n in cells.items() if b == m.code) == m.borrowed
    nets = [lent[c.code] - borrowed[c.code] for c in libraries]
    assert figures.group(start, end).gini_net_lending == round(gini(nets), 4)
    assert figures.group(start, end).loans == len(loans)
