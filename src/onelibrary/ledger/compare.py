"""Compare replacement policies on what happened: each member's balance under each.

`facts_between` reads a period's losses and finds from the same records the poster reads
(`posting.py`), as plain `rules` facts; `simulate` runs one policy over them in memory,
the way the poster would have booked them, and `compare` lays the policies side by side.
Nothing is written: the comparison books no entry. Patron payments passed on (a policy
where the member owes only what its patron pays) count as not paid here.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.utils.dateparse import parse_datetime

from onelibrary.circulation.models import Charge, Event
from onelibrary.ledger import rules
from onelibrary.ledger.book import money
from onelibrary.ledger.settlement import Period
from onelibrary.members.models import Branch, Library
from onelibrary.transit.models import TransitEvent

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Found:
    """A copy of a lost or claimed-returned loan back (LEDGER-5)."""

    owner: str
    borrower: str


@dataclass(frozen=True)
class Fact:
    at: dt.datetime
    key: str  # the loan (or transit event) the fact is about
    what: rules.Loss | Found
    claim_late_days: int = 0  # damage: days from the return to the report


def simulate(policy: rules.Policy, facts: Sequence[Fact]) -> dict[str | None, Decimal]:
    """Each party's balance (positive: is owed) had `policy` booked `facts`."""
    totals: dict[str | None, Decimal] = defaultdict(lambda: ZERO)
    owed: dict[str, list[tuple[str, Decimal]]] = defaultdict(list)
    for fact in sorted(facts, key=lambda f: f.at):
        what = fact.what
        if isinstance(what, Found):
            debt = rules.refund(policy, owed[fact.key], what.owner, what.borrower)
            debts: tuple[rules.Debt, ...] = (debt,) if debt else ()
        else:
            if owed[fact.key] and what.case in (rules.LOST_BY_PATRON, rules.CLAIMS_RETURNED):
                continue  # claimed returned, then lost: one loss (as posting does)
            terms = policy.cases.get(what.case)
            if terms is not None and fact.claim_late_days > terms.claim_days:
                continue  # LEDGER-12: too late to claim
            debts = rules.decide(policy, what).debts
        for debt in debts:
            totals[debt.creditor] += debt.amount
            totals[debt.debtor] -= debt.amount
            sign = -1 if debt.kind == "refund" else 1
            owed[fact.key].append((debt.kind, sign * debt.amount))
    return dict(totals)


def facts_between(
    period: Period, *, claims_returned_until: dt.datetime | None = None
) -> list[Fact]:
    start, end = period.bounds()
    libraries = {lib.pk: lib.code for lib in Library.objects.all()}
    branches = dict(Branch.objects.values_list("code", "library__code"))
    facts: list[Fact] = []
    events = (
        Event.objects.filter(at__gte=start, at__lt=end)
        .filter(
            Q(kind="mark_lost", decision="LOST-1")
            | Q(kind="damaged")
            | Q(kind="claims_returned")
            | Q(kind="checkin", detail__loan_state_before__in=("lost", "claims_returned"))
        )
        .select_related("item", "loan__patron")
    )
    charged = dict(
        Charge.objects.filter(kind=Charge.Kind.LOST, created_at__gte=start).values_list(
            "loan_id", "amount"
        )
    )
    for e in events:
        item, loan = e.item, e.loan
        if item is None:
            continue
        owner = libraries[item.owning_library_id]
        borrower = _borrower_code(loan, libraries)
        if e.kind == "damaged":
            code = str(e.detail.get("last_borrower_library") or "")
            returned = parse_datetime(str(e.detail.get("last_returned_at") or "")) or e.at
            loss = rules.Loss(
                rules.DAMAGED_BY_PATRON, owner, item.price, item.item_type, borrower=code or None
            )
            key = f"loan:{e.detail.get('last_loan')}"
            facts.append(Fact(e.at, key, loss, (e.at - returned).days))
        elif loan is None or borrower is None:
            continue
        elif e.kind == "checkin":
            facts.append(Fact(e.at, f"loan:{loan.pk}", Found(owner, borrower)))
        elif e.kind == "mark_lost":
            price = charged.get(loan.pk, item.price)
            loss = rules.Loss(rules.LOST_BY_PATRON, owner, price, item.item_type, borrower=borrower)
            facts.append(Fact(e.at, f"loan:{loan.pk}", loss))
        elif loan.state == "claims_returned":
            loss = rules.Loss(
                rules.CLAIMS_RETURNED, owner, item.price, item.item_type, borrower=borrower
            )
            facts.append(Fact(e.at, f"loan:{loan.pk}", loss))
    for t in TransitEvent.objects.filter(kind="lost", at__gte=start, at__lt=end).select_related(
        "item"
    ):
        d = t.detail
        loss = rules.Loss(
            rules.LOST_IN_TRANSIT,
            str(d.get("owning_library", "")),
            Decimal(d["price"]) if d.get("price") else None,
            t.item.item_type if t.item else "",
            sender=branches.get(str(d.get("sender", ""))),
            receiver=branches.get(str(d.get("receiver", ""))),
        )
        facts.append(Fact(t.at, f"transit:{t.pk}", loss))
    return facts


def _borrower_code(loan: object, libraries: dict[int, str]) -> str | None:
    if loan is None:
        return None
    library_id = getattr(loan, "borrower_library_id", None)
    if library_id is None and getattr(loan, "patron", None) is not None:
        library_id = loan.patron.home_library_id  # type: ignore[attr-defined]
    return libraries.get(library_id) if library_id else None


@dataclass(frozen=True)
class Row:
    code: str
    name: str
    balances: list[Decimal]  # one per policy, in order
    words: list[str]  # the difference from the first policy, in words


def compare(
    policies: Sequence[rules.Policy], facts: Sequence[Fact], names: dict[str | None, str]
) -> list[Row]:
    """One row per party: its balance under each policy, and how each differs from the
    first ("under Strict v1, Elk Valley Library would have owed $240.00 less")."""
    results = [simulate(p, facts) for p in policies]
    parties = sorted({party for r in results for party in r}, key=lambda p: names.get(p, p or ""))
    rows = []
    for party in parties:
        figures = [r.get(party, ZERO) for r in results]
        name = names.get(party, party or "the group")
        words = [""] + [
            _difference(p, name, figures[0], f)
            for p, f in zip(policies[1:], figures[1:], strict=True)
        ]
        rows.append(Row(party or "", name, figures, words))
    return rows


def _difference(policy: rules.Policy, name: str, first: Decimal, other: Decimal) -> str:
    change = other - first  # more positive: owed more, or owes less
    label = f"{policy.name} v{policy.version}"
    if change == 0:
        return f"the same under {label}"
    if change > 0:
        return f"under {label}, {name} would have owed {money(change)} less"
    return f"under {label}, {name} would have owed {money(-change)} more"
