"""Courier days from one branch to others, for "nearby" in float balancing.

The courier schedules (`onelibrary.courier.service.expected_days`) answer first; where
they know no route, or before that service exists, the `holds.CourierDays` table (the
distance stand-in that `onelibrary courier-matrix` fills) does. No answer from either:
None, and the branch is not nearby.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from onelibrary.holds.models import CourierDays
from onelibrary.members.models import Branch

Expected = Callable[[int, int, dt.date], "float | None"]


def _schedules() -> Expected | None:
    try:
        from onelibrary.courier.service import expected_days
    except ImportError:  # the courier app has no service yet
        return None
    return expected_days


def courier_days(origin: Branch, targets: Sequence[Branch], on: dt.date) -> dict[str, float | None]:
    """{target code: expected courier days from `origin`, or None}."""
    answer: dict[str, float | None] = {}
    expected = _schedules()
    if expected is not None:
        for target in targets:
            days = expected(origin.pk, target.pk, on)
            answer[target.code] = None if days is None else float(days)
    missing = [t for t in targets if answer.get(t.code) is None]
    if missing:
        table = dict(
            CourierDays.objects.filter(
                origin_id=origin.pk, destination_id__in=[t.pk for t in missing]
            ).values_list("destination_id", "days")
        )
        for target in missing:
            days = table.get(target.pk)
            answer[target.code] = None if days is None else float(days)
    return answer


def matrix(
    sources: Sequence[Branch], targets: Sequence[Branch], on: dt.date
) -> dict[tuple[str, str], float | None]:
    """Courier days from each source to each target (the balancing page asks only from
    branches over capacity to branches with room)."""
    days: dict[tuple[str, str], float | None] = {}
    expected = _schedules()
    for origin in sources:
        for target in targets:
            value = expected(origin.pk, target.pk, on) if expected is not None else None
            days[(origin.code, target.code)] = None if value is None else float(value)
    missing = {(o, t) for (o, t), v in days.items() if v is None}
    if missing:
        codes = {b.pk: b.code for b in [*sources, *targets]}
        for o, t, v in CourierDays.objects.filter(
            origin_id__in=[b.pk for b in sources], destination_id__in=[b.pk for b in targets]
        ).values_list("origin_id", "destination_id", "days"):
            if (codes[o], codes[t]) in missing:
                days[(codes[o], codes[t])] = float(v)
    return days
