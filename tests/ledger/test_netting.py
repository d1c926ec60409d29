"""Netting: payments that settle every balance exactly, at most members − 1 of them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from onelibrary.ledger.netting import Unbalanced, net

CENTS = st.integers(min_value=-10_000_000, max_value=10_000_000)


@st.composite
def balanced(draw) -> dict[str, Decimal]:
    """Up to 40 members whose balances (in cents) sum to zero."""
    cents = draw(st.lists(CENTS, min_size=1, max_size=39))
    cents.append(-sum(cents))
    return {f"M{i:02d}": Decimal(c) / 100 for i, c in enumerate(cents)}


@settings(max_examples=300, deadline=None)
@given(balanced())
def test_it_settles_every_balance_to_the_cent_in_at_most_members_minus_one_payments(balances):
    payments = net(balances)
    after = dict(balances)
    for p in payments:
        assert p.amount > 0 and p.amount == p.amount.quantize(Decimal("0.01"))
        assert balances[p.payer] < 0 < balances[p.payee]  # debtors pay, creditors are paid
        after[p.payer] += p.amount
        after[p.payee] -= p.amount
    assert set(after.values()) <= {Decimal(0)}
    with_balance = sum(1 for amount in balances.values() if amount != 0)
    assert len(payments) <= max(with_balance - 1, 0)
    owed = sum(amount for amount in balances.values() if amount > 0)
    assert sum(p.amount for p in payments) <= owed  # totals preserved: never more paid than owed
    paid_in = {m: sum(p.amount for p in payments if p.payee == m) for m in balances}
    assert all(paid_in[m] == max(balances[m], Decimal(0)) for m in balances)


def test_it_settles_a_hand_worked_example():
    # A owes 30, B owes 10, C is owed 25, D is owed 15: the largest debtor pays the largest
    # creditor first: A→C 25; then B (owing 10) is the largest debtor: B→D 10; A→D 5.
    balances = {"A": Decimal("-30"), "B": Decimal("-10"), "C": Decimal("25"), "D": Decimal("15")}
    got = [(p.payer, p.payee, p.amount) for p in net(balances)]
    assert got == [("A", "C", Decimal("25")), ("B", "D", Decimal("10")), ("A", "D", Decimal("5"))]


def test_it_refuses_balances_that_do_not_sum_to_zero():
    with pytest.raises(Unbalanced):
        net({"A": Decimal("1.00"), "B": Decimal("-0.99")})


def test_nothing_owed_needs_no_payment():
    assert net({"A": Decimal(0)}) == []
