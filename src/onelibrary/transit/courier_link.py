"""What transit asks the courier schedule: the expected arrival, and the hubs on the way.

The courier app (`onelibrary.courier.service`) answers from the routes; until it has an
answer for a pair of branches, the holds app's `CourierDays` table (distance-derived)
and then the group's `fallback_courier_days` setting stand in.
"""

from __future__ import annotations

import datetime as dt
import math

from onelibrary.holds.models import CourierDays
from onelibrary.transit.models import TransitSettings

try:  # the courier engineer's module; absent in an older checkout
    from onelibrary.courier import service as courier_service
except ImportError:  # pragma: no cover - depends on what is installed
    courier_service = None  # type: ignore[assignment]


def expected_arrival(sender_id: int, receiver_id: int, shipped_on: dt.date) -> dt.date:
    if courier_service is not None and hasattr(courier_service, "expected_arrival"):
        arrival = courier_service.expected_arrival(sender_id, receiver_id, shipped_on)
        if arrival is not None:
            return arrival
    row = CourierDays.objects.filter(origin_id=sender_id, destination_id=receiver_id).first()
    if row is not None:
        return shipped_on + dt.timedelta(days=max(1, math.ceil(row.days)))
    return shipped_on + dt.timedelta(days=TransitSettings.current().fallback_courier_days)


def hubs_between(sender_id: int, receiver_id: int, shipped_on: dt.date) -> set[str]:
    """The codes of the courier hubs an item from sender to receiver passes through."""
    explain = getattr(courier_service, "explain", None) if courier_service else None
    if explain is None:
        return set()
    answer = explain(sender_id, receiver_id, shipped_on)
    hubs = set()
    for leg in getattr(answer, "legs", ()):
        for end in (leg.origin, leg.destination):
            if end.startswith("hub "):
                hubs.add(end.removeprefix("hub "))
    return hubs
