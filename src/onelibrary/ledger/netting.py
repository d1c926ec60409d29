"""Netting: few payments that settle every balance. Pure Python.

Greedy: the largest debtor pays the largest creditor the smaller of the two amounts,
until nothing is owed. Each payment brings at least one party to zero, and the last
brings two, so `n` parties with a balance need at most `n − 1` payments; fewer when some
debts match. The true minimum (the most groups of parties whose balances sum to zero,
each settled within itself) is NP-hard: it contains subset-sum. A group of 300 members
settles in at most 299 payments, which a treasurer can make; searching for the last few
saved payments is not worth an exponential search. Amounts are `Decimal` cents throughout,
so the payments settle every balance exactly.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Payment:
    payer: str
    payee: str
    amount: Decimal


class Unbalanced(ValueError):
    """The balances do not sum to zero: the entries behind them are not all counted."""


def net(balances: Mapping[str, Decimal]) -> list[Payment]:
    """Payments that bring every balance (positive: is owed) to zero. Ties are broken by
    party name, so the same balances always give the same payments."""
    total = sum(balances.values(), ZERO)
    if total != 0:
        raise Unbalanced(f"The balances sum to {total}, not zero.")
    owed = [(-amount, party) for party, amount in balances.items() if amount > 0]
    owing = [(amount, party) for party, amount in balances.items() if amount < 0]
    heapq.heapify(owed)
    heapq.heapify(owing)
    payments: list[Payment] = []
    while owed and owing:
        credit, payee = heapq.heappop(owed)  # most owed first (negated)
        debit, payer = heapq.heappop(owing)  # most owing first (most negative)
        amount = min(-credit, -debit)
        payments.append(Payment(payer, payee, amount))
        if -credit > amount:
            heapq.heappush(owed, (credit + amount, payee))
        if -debit > amount:
            heapq.heappush(owing, (debit + amount, payer))
    return payments
