"""Staff finding one crate (by label or id) or one transit (by id).

A crate is the business of the libraries at its ends: the branch that packs it, the
branch it goes to, the branch that received it and, for a crate sorted at a courier
hub, the branches its items are for. A transit is the business of its sender, its
receiver and the branch that received it; the library owning the item may also look.
The central office acts on all. To anyone else the id answers as one that does not
exist (docs/architecture.md, 'Permissions'). Which end may do which step (pack at the
origin, unpack at the receiver) the crate and transit actions still decide.
"""

from __future__ import annotations

from onelibrary.members.access import NotFound, Staff, scope_of
from onelibrary.transit.models import Crate, CrateItem, Transit

CRATES = Crate.objects.select_related(
    "origin", "destination", "received_branch", "origin__library", "destination__library"
)
TRANSITS = Transit.objects.select_related(
    "item__title", "item__owning_library", "sender", "receiver", "received_branch", "crate", "hold"
)


def crate_libraries(crate: Crate) -> set[int | None]:
    found: set[int | None] = {crate.origin.library_id}
    for branch in (crate.destination, crate.received_branch):
        if branch is not None:
            found.add(branch.library_id)
    if crate.destination_id is None:  # a hub crate: where its items go
        found.update(
            CrateItem.objects.filter(crate=crate, removed_at__isnull=True).values_list(
                "transit__receiver__library_id", flat=True
            )
        )
    return found


def access_crate(staff: Staff, crate_id: int | str, *, for_change: bool) -> Crate:
    """The crate with this label (a str) or id (an int), if it is `staff`'s business;
    otherwise `NotFound`, worded as for a crate that does not exist. Reading and changing
    reach the same libraries; the actions check which end may do each step."""
    if isinstance(crate_id, int):
        crate = CRATES.filter(pk=crate_id).first()
        missing = f"There is no crate #{crate_id}."
    else:
        crate = CRATES.filter(label=crate_id.strip().upper()).first()
        missing = f"No crate has the label {crate_id!r}. Check the label and scan it again."
    if crate is None or not scope_of(staff).acts_for_any(crate_libraries(crate)):
        raise NotFound("unknown_crate", missing)
    return crate


def transit_libraries(transit: Transit, *, for_change: bool) -> set[int | None]:
    found: set[int | None] = {transit.sender.library_id, transit.receiver.library_id}
    if transit.received_branch is not None:
        found.add(transit.received_branch.library_id)
    if not for_change:
        found.add(transit.item.owning_library_id)
    return found


def access_transit(staff: Staff, transit_id: int, *, for_change: bool) -> Transit:
    """Transit `transit_id`, if `staff` may see it (or change it, with for_change);
    otherwise `NotFound`, worded as for a transit that does not exist."""
    transit = TRANSITS.filter(pk=transit_id).first()
    scope = scope_of(staff)
    if transit is None or not scope.acts_for_any(transit_libraries(transit, for_change=for_change)):
        raise NotFound("unknown_transit", f"There is no transit #{transit_id}.")
    return transit
