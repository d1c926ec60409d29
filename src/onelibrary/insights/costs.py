"""Cost sharing: a total shared among the members by a formula of weighted measures,
to the cent (docs/insights.md, "Cost sharing").

`shares` is pure: weights and measures in, cents out. A member's share is

    total × Σₖ wₖ · (xₘₖ / Σₘ xₘₖ) / Σₖ wₖ

— for each measure, its part of the group's total of that measure, weighted. A measure
the whole group has none of (no population entered yet) is shared equally, so its weight
is not lost. Cents are handed out by largest remainder, so the shares add up to the
total exactly (a property test holds every formula to it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.db.models import Count

from onelibrary.catalog.models import Item
from onelibrary.insights import figures
from onelibrary.insights.models import CostFormula
from onelibrary.members.models import Library
from onelibrary.patrons.models import Patron

CENT = Decimal("0.01")


def shares(
    total: Decimal,
    weights: Mapping[str, Decimal],
    measures: Mapping[str, Mapping[str, int]],
    members: list[str],
) -> dict[str, Decimal]:
    """Each member's share of `total` in cents; they sum to `total` (rounded to the cent).

    `measures[name][code]` is the member's amount of that measure; `flat` needs none."""
    if not members:
        return {}
    cents = int((total / CENT).to_integral_value())
    used = {k: Fraction(w) for k, w in weights.items() if w > 0}
    weight_sum = sum(used.values(), Fraction(0))
    exact: dict[str, Fraction] = {code: Fraction(0) for code in members}
    for name, weight in used.items():
        amounts = {code: Fraction(measures.get(name, {}).get(code, 0)) for code in members}
        whole = sum(amounts.values(), Fraction(0))
        for code in members:
            part = amounts[code] / whole if whole and name != "flat" else Fraction(1, len(members))
            exact[code] += weight * part
    if weight_sum == 0:  # no weight at all: everyone the same
        exact = {code: Fraction(1) for code in members}
        weight_sum = Fraction(len(members))
    owed = {code: exact[code] * cents / weight_sum for code in members}
    floors = {code: int(owed[code]) for code in members}
    left = cents - sum(floors.values())
    by_remainder = sorted(members, key=lambda c: (-(owed[c] - floors[c]), c))
    for code in by_remainder[:left]:
        floors[code] += 1
    return {code: Decimal(floors[code]) * CENT for code in members}


@dataclass(frozen=True)
class Compared:
    formula: CostFormula
    shares: dict[str, Decimal]
    change: dict[str, Decimal]  # from the current formula's share


def measures_for(start: dt.date, end: dt.date) -> tuple[list[str], dict[str, dict[str, int]]]:
    """Every measure for every member over the period (collection, patron count: as of now)."""
    libraries = list(
        Library.objects.order_by("code").values_list("pk", "code", "population_served")
    )
    codes = {pk: code for pk, code, _ in libraries}
    fig = {m.code: m for m in figures.members(start, end)}

    def per(rows: object) -> dict[str, int]:
        return {codes[pk]: n for pk, n in rows}  # type: ignore[attr-defined]

    found = {
        "collection": per(
            Item.objects.values_list("owning_library_id").annotate(n=Count("pk")).order_by()
        ),
        "registered": per(
            Patron.objects.values_list("home_library_id").annotate(n=Count("pk")).order_by()
        ),
        "population": {code: pop or 0 for _, code, pop in libraries},
        "circulation": {c: m.own_loans + m.lent for c, m in fig.items()},
        "lending": {c: m.lent for c, m in fig.items()},
        "borrowing": {c: m.borrowed for c, m in fig.items()},
    }
    return [code for _, code, _ in libraries], found


def compare(total: Decimal, start: dt.date, end: dt.date) -> tuple[list[str], list[Compared]]:
    """Every formula's shares side by side, with the change from the current formula."""
    members, found = measures_for(start, end)
    formulas = list(CostFormula.objects.all())
    computed = [(f, shares(total, f.weights(), found, members)) for f in formulas]  # type: ignore[arg-type]
    current = next((s for f, s in computed if f.is_current), None)
    return members, [
        Compared(
            f,
            s,
            {c: s[c] - (current[c] if current else s[c]) for c in members},
        )
        for f, s in computed
    ]
