"""Which member is a patron's home library: the group's rule, as plain Python.

HOME-1: rule 'registering' — the library that registered the patron.
HOME-2: rule 'service_area' — the library whose service area lists the patron's postcode;
        failing that, the one that lists the patron's town.
HOME-3: rule 'service_area' and no area lists the address — the registering library.
HOME-4: no registering library is known (records from before the rule) — unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from onelibrary.patrons.fields import area_key

REGISTERING, SERVICE_AREA = "registering", "service_area"

Areas = Mapping[tuple[str, str], int]  # (kind, area_key) -> library id


@dataclass(frozen=True)
class HomeDecision:
    library_id: int
    case: str  # HOME-1 .. HOME-4
    reason: str


def home_library_for(
    rule: str,
    *,
    current: int | None,
    registering: int | None,
    postcode: str,
    town: str,
    areas: Areas,
) -> HomeDecision | None:
    """The home library the rule gives; None when it cannot say (no library known at all)."""
    if rule == SERVICE_AREA:
        for kind, value in (("postcode", postcode), ("town", town)):
            key = area_key(value)
            if key and (kind, key) in areas:
                return HomeDecision(
                    areas[(kind, key)], "HOME-2", f"the {kind} {value.strip()} is in its area"
                )
        if registering is not None:
            return HomeDecision(
                registering, "HOME-3", "no service area lists the address: registering library"
            )
    elif registering is not None:
        return HomeDecision(registering, "HOME-1", "the library that registered the patron")
    if current is not None:
        return HomeDecision(current, "HOME-4", "no registering library is known: unchanged")
    return None
