"""Any sequence of payments, waivers, refunds (and a lost item found) keeps every charge's
books straight: paid + waived − refunded never exceeds the amount, nothing is owed below
zero, a charge is settled exactly when nothing is owed (MONEY-13), and the sums match —
each payment's entries add up to it, and the one-statement total the checkout block reads
(`lookup.out_and_owed`) equals the ledger's."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onelibrary.circulation import money
from onelibrary.circulation.lookup import out_and_owed
from onelibrary.circulation.models import Charge, ChargeEntry, Payment
from onelibrary.core.refusals import Refusal
from tests.circulation.money_world import charge, counts

pytestmark = pytest.mark.django_db

CENTS = st.integers(min_value=1, max_value=2500).map(lambda c: Decimal(c) / 100)
OPS = st.lists(
    st.one_of(
        st.tuples(st.just("pay"), CENTS, st.sampled_from([None, 0, 1, 2])),
        st.tuples(st.just("waive"), CENTS, st.integers(0, 2)),
        st.tuples(st.just("refund"), CENTS, st.integers(0, 2)),
        st.tuples(st.just("found"), st.just(Decimal(0)), st.just(0)),
    ),
    max_size=12,
)


def apply(world, charges: list[Charge], op: tuple) -> None:
    kind, amount, which = op
    before = counts()
    try:
        if kind == "pay":
            ids = None if which is None else [charges[which].pk]
            money.take_payment(
                world.desk_riv, world.riv_main, world.ada, amount, "cash", charge_ids=ids
            )
        elif kind == "waive":
            money.waive(world.admin_riv, world.riv_main, charges[which], amount, "test")
        elif kind == "refund":
            money.refund(world.desk_riv, world.riv_main, charges[which], amount, "card", "test")
        else:
            money.settle_found_lost(world.dune_riv, world.desk_riv, world.riv_main)
    except Refusal:
        assert counts() == before, f"{op} was refused but wrote something"


def check_books(world, charges: list[Charge]) -> None:
    sums = money.balances(charges)
    for c in charges:
        c.refresh_from_db()
        b = sums[c.pk]
        assert b.paid + b.waived - b.refunded <= c.amount
        assert b.paid + b.waived + b.cancelled - b.refunded <= c.amount
        assert b.refunded <= b.paid
        assert b.owed >= 0
        assert (c.settled_at is not None) == b.settled
        last = c.entries.order_by("-at", "-pk").first()
        assert last is None or last.owed_after == b.owed
    for payment in Payment.objects.all():
        total = payment.entries.aggregate(total=Sum("amount"))["total"]
        assert Decimal(str(total)).quantize(Decimal("0.01")) == payment.amount
    paid = ChargeEntry.objects.filter(kind="payment").aggregate(total=Sum("amount"))["total"]
    taken = Payment.objects.aggregate(total=Sum("amount"))["total"]
    assert Decimal(str(paid or 0)) == Decimal(str(taken or 0))
    owed = sum((sums[c.pk].owed for c in charges), Decimal("0.00"))
    assert out_and_owed(world.ada)[1] == money.owed(world.ada) == owed


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=OPS)
def test_any_sequence_keeps_each_charge_s_books_straight(world, rules, ops):
    point = transaction.savepoint()  # each example starts from the same world
    try:
        charges = [
            charge(world.ada, world.dune_riv, "7.50", days_ago=3),
            charge(world.ada, world.dune_riv, "12.00", days_ago=2, kind=Charge.Kind.LOST),
            charge(world.ada, world.dune_riv, "0.25", days_ago=1),
        ]
        for op in ops:
            apply(world, charges, op)
            check_books(world, charges)
    finally:
        transaction.savepoint_rollback(point)
