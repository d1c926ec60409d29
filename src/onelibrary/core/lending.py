"""Net lending: the one definition that routing's load term, the simulator and the reports
all use (docs/insights.md, "Net lending").

A member *lends* an item when a copy it owns is checked out to a patron of another
member, and *borrows* one when its own patron checks out another member's copy — by a
hold fill or by a walk-in loan alike. A loan within one member is neither. Net lending is
lent minus borrowed: above 0 the member gives more than it takes. Across the group every
item lent is one borrowed, so the members' net lending sums to 0.

Pure: counts in, figures out; no ORM. The callers count the loans their own way (routing
and the reports from the recorded loans, the simulator from its simulated ones).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping


def tally(loans: Iterable[tuple[str, str]]) -> tuple[Counter[str], Counter[str]]:
    """Lent and borrowed per member from (owning library, borrower's library) per loan."""
    lent: Counter[str] = Counter()
    borrowed: Counter[str] = Counter()
    for owner, borrower in loans:
        if owner != borrower:  # a loan within one member is neither
            lent[owner] += 1
            borrowed[borrower] += 1
    return lent, borrowed


def net_lending(lent: int, borrowed: int) -> int:
    """Items lent to other members' patrons minus items borrowed for its own patrons."""
    return lent - borrowed


def load_share(lent: int, borrowed: int) -> float:
    """Routing's load term before its weight: the member's net lending as a share of all
    its lending and borrowing, 0 for a balanced member or a net borrower, up to 1 for one
    that only lends (docs/holds/routing.md, "The load term")."""
    return max(0.0, net_lending(lent, borrowed) / max(1, lent + borrowed))


def lending_load(lent: Mapping[str, int], borrowed: Mapping[str, int]) -> dict[str, float]:
    """`load_share` for every member that lent or borrowed."""
    return {
        code: load_share(lent.get(code, 0), borrowed.get(code, 0))
        for code in set(lent) | set(borrowed)
    }


def lending_balance(lent: int, borrowed: int) -> float:
    """The simulator's comparison scale: log((lent + 1) / (borrowed + 1)), 0 when
    balanced, symmetric for lending and borrowing. A view of the same two counts."""
    return math.log((lent + 1) / (borrowed + 1))
