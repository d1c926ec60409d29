"""Courier days estimated from distance (DAYS-4 in docs/courier.md): what a pair of branches
costs when neither the learned times, the route schedule nor the courier-days matrix know
it. Also the formula `onelibrary courier-matrix` fills the matrix with, and the one the
routing simulation uses, so all three agree. Pure: no ORM.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Protocol

EARTH_RADIUS_KM = 6371.0
KM_PER_COURIER_DAY = 250.0


class Place(Protocol):
    """What the estimate reads from a branch (a members.Branch, or the simulation's)."""

    @property
    def pk(self) -> int: ...

    @property
    def library_id(self) -> int | str: ...

    @property
    def latitude(self) -> float | Decimal | None: ...

    @property
    def longitude(self) -> float | Decimal | None: ...


def great_circle_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, h)))


def estimated_days(origin: Place, destination: Place) -> float | None:
    """0 for the same branch, 1 within one library, else 1 + km/250 to the nearest half day.
    None when either branch has no coordinates (DAYS-5: no route)."""
    if origin.pk == destination.pk:
        return 0.0
    if origin.library_id == destination.library_id:
        return 1.0
    if None in (origin.latitude, origin.longitude, destination.latitude, destination.longitude):
        return None
    km = great_circle_km(
        (float(origin.latitude), float(origin.longitude)),  # type: ignore[arg-type]
        (float(destination.latitude), float(destination.longitude)),  # type: ignore[arg-type]
    )
    return round((1 + km / KM_PER_COURIER_DAY) * 2) / 2
