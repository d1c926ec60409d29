"""Courier days between branches, for "nearby" in float balancing: the courier app's one
answer (`courier.days`, DAYS-1 to DAYS-5 in docs/courier.md). No route: None, and the
branch is not nearby.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from onelibrary.courier import days as courier
from onelibrary.members.models import Branch


def matrix(
    sources: Sequence[Branch], targets: Sequence[Branch], on: dt.date
) -> dict[tuple[str, str], float | None]:
    """{(source code, target code): courier days shipped on `on`, or None}."""
    pairs = {(s.pk, t.pk) for s in sources for t in targets if s.pk != t.pk}
    found = courier.days_for(pairs, on)
    codes = {b.pk: b.code for b in [*sources, *targets]}
    return {(codes[o], codes[d]): found[o, d].days for o, d in pairs}


def courier_days(origin: Branch, targets: Sequence[Branch], on: dt.date) -> dict[str, float | None]:
    """{target code: courier days from `origin` shipped on `on`, or None}."""
    return {t: days for (_, t), days in matrix([origin], targets, on).items()}
