"""Courier days between branches, for "nearby" in float balancing.

The courier schedules answer first (`onelibrary.courier.service`, one table for many
pairs); where they know no route, or where that service is not installed, the
`holds.CourierDays` table (the distance stand-in `onelibrary courier-matrix` fills)
answers. No answer from either: None, and the branch is not nearby.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Sequence

from onelibrary.holds.models import CourierDays
from onelibrary.members.models import Branch

Pairs = Callable[[Collection[tuple[int, int]], dt.date], "dict[tuple[int, int], float]"]


def _schedules() -> Pairs | None:
    try:
        from onelibrary.courier.service import days_for_pairs
    except ImportError:  # no courier schedules in this installation yet
        return None
    return days_for_pairs


def matrix(
    sources: Sequence[Branch], targets: Sequence[Branch], on: dt.date
) -> dict[tuple[str, str], float | None]:
    """{(source code, target code): courier days shipped on `on`, or None}."""
    pairs = {(s.pk, t.pk) for s in sources for t in targets if s.pk != t.pk}
    scheduled = _schedules()
    found: dict[tuple[int, int], float] = dict(scheduled(pairs, on)) if scheduled and pairs else {}
    missing = pairs - set(found)
    if missing:
        for o, d, v in CourierDays.objects.filter(
            origin_id__in={o for o, _ in missing}, destination_id__in={d for _, d in missing}
        ).values_list("origin_id", "destination_id", "days"):
            if (o, d) in missing:
                found[(o, d)] = float(v)
    codes = {b.pk: b.code for b in [*sources, *targets]}
    return {(codes[o], codes[d]): found.get((o, d)) for o, d in pairs}


def courier_days(origin: Branch, targets: Sequence[Branch], on: dt.date) -> dict[str, float | None]:
    """{target code: courier days from `origin` shipped on `on`, or None}."""
    return {t: days for (_, t), days in matrix([origin], targets, on).items()}
