"""Cost sharing: every formula's shares sum to the total to the cent, a hand-worked
example, and the page comparing formulas with the change each member would see."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from onelibrary.insights.costs import shares
from onelibrary.insights.models import CostFormula, SharedCost

MEASURES = [key for key, _ in CostFormula.MEASURES]
codes = st.lists(st.text("ABCDEFGH", min_size=1, max_size=4), min_size=1, max_size=12, unique=True)
weights = st.fixed_dictionaries(
    {k: st.decimals(min_value=0, max_value=100, places=2) for k in MEASURES}
)
totals = st.decimals(min_value=0, max_value=10_000_000, places=2)


@given(total=totals, weights=weights, members=codes, data=st.data())
def test_every_formulas_shares_sum_to_the_total_to_the_cent(total, weights, members, data):
    measures = {
        k: {c: data.draw(st.integers(0, 10**7)) for c in members} for k in MEASURES if k != "flat"
    }
    got = shares(total, weights, measures, members)
    assert sum(got.values()) == total
    assert set(got) == set(members)
    assert all(v >= 0 and v == v.quantize(Decimal("0.01")) for v in got.values())


def test_it_shares_by_weighted_measures_as_worked_by_hand():
    # Half by circulation (3:1), half flat: A gets 0.5·3/4 + 0.5·1/2 = 5/8 of 100.
    got = shares(
        Decimal("100.00"),
        {"circulation": Decimal(1), "flat": Decimal(1)},
        {"circulation": {"A": 3, "B": 1}},
        ["A", "B"],
    )
    assert got == {"A": Decimal("62.50"), "B": Decimal("37.50")}


def test_a_measure_nobody_has_is_shared_equally_and_odd_cents_go_to_the_largest_remainder():
    got = shares(Decimal("100.00"), {"population": Decimal(1)}, {}, ["A", "B", "C"])
    assert got == {"A": Decimal("33.34"), "B": Decimal("33.33"), "C": Decimal("33.33")}


def test_the_page_compares_formulas_with_the_change_from_the_one_in_use(world):
    world.riverton.population_served = 30_000
    world.pine.population_served = 0
    world.elk.population_served = 10_000
    for lib in (world.riverton, world.pine, world.elk):
        lib.save(update_fields=["population_served"])
    CostFormula.objects.create(name="By patrons", registered=1, is_current=True)
    CostFormula.objects.create(name="By population", population=1)
    client = Client()
    client.force_login(world.central)
    client.post("/insights/costs/", {"label": "ILS 2027", "total": "40000.00"})
    html = client.get("/insights/costs/").content.decode()
    assert "ILS 2027: 40000.00" in html
    # Patrons: RIV 1 (Ada), PINE 1 (Ben), ELK 0; population 3:0:1.
    assert (
        '<th scope="row">RIV</th><td>20000.00</td><td>0.00</td><td>30000.00</td><td>+10000.00</td>'
        in html
    )
    assert (
        '<th scope="row">PINE</th><td>20000.00</td><td>0.00</td><td>0.00</td><td>-20000.00</td>'
        in html
    )


@pytest.mark.parametrize(
    "label, total",
    [
        *[("ILS", t) for t in ["12,3.456", "NaN", "-Infinity", "sNaN", "1e400", "-5", "=1+1"]],
        ("ILS", "10000000000"),  # past the column's 12 digits
        ("x" * 101, "100"),
        ("", "100"),
    ],
)
def test_a_bad_total_is_refused_and_nothing_saved(world, label, total):
    client = Client()
    client.force_login(world.central)
    response = client.post("/insights/costs/", {"label": label, "total": total}, follow=True)
    assert response.status_code == 200
    assert "at most two decimals" in response.content.decode()
    assert not SharedCost.objects.exists()


def test_member_staff_see_the_comparison_but_do_not_enter_the_total(world):
    client = Client()
    client.force_login(world.admin_riv)
    assert client.get("/insights/costs/").status_code == 200
    assert client.post("/insights/costs/", {"label": "x", "total": "1"}).status_code == 403
    assert not SharedCost.objects.exists()
