"""Staff finding one hold by id, and seeing whose it is.

A hold is the business of its patron's home library, of the library whose branch is its
pickup branch, and of the library whose branch holds the copy routed to it (the lending
branch, where it is pulled); the central office's everywhere. The library that owns the
routed copy may also look at the hold (where its copy goes, and why), not change it.
To anyone else a hold's id answers as one that does not exist (docs/architecture.md,
'Permissions'). The roles come from `members.access`.

The patron's card and name are shown only through `hold_patron`, which reads them
through `patrons.access` and so writes the audit row.
"""

from __future__ import annotations

from onelibrary.holds import queries
from onelibrary.holds.models import Hold
from onelibrary.members.access import NotFound, Scope, Staff, scope_of
from onelibrary.patrons.access import PatronView, open_patron, open_patrons
from onelibrary.patrons.models import PatronAudit


def hold_libraries(hold: Hold, *, for_change: bool) -> set[int | None]:
    """The libraries whose staff may act on (or, with for_change False, see) the hold."""
    found: set[int | None] = {hold.pickup_branch.library_id}
    if hold.patron is not None:  # a closed hold past the retention no longer names one
        found.add(hold.patron.home_library_id)
    copy = hold.assigned_item
    if copy is not None:
        found.add(copy.current_branch.library_id)
        if not for_change:
            found.add(copy.owning_library_id)
    return found


def may_act_on(scope: Scope, hold: Hold, *, for_change: bool) -> bool:
    return scope.acts_for_any(hold_libraries(hold, for_change=for_change))


def access_hold(staff: Staff, hold_id: int, *, for_change: bool) -> Hold:
    """Hold `hold_id`, if `staff` may see it (or change it, with for_change). Otherwise
    `NotFound`, worded as for an id that does not exist, so ids tell nothing."""
    hold = queries.holds().filter(pk=hold_id).first()
    if hold is None or not may_act_on(scope_of(staff), hold, for_change=for_change):
        raise NotFound("unknown_hold", f"There is no hold #{hold_id}.")
    return hold


def hold_patron(
    staff: Staff, hold: Hold, *, via: str = PatronAudit.Via.PAGE, context: str
) -> PatronView | None:
    """The hold's patron as `staff` may see them; the view is audited (`patrons.access`).
    None for a closed hold whose patron the group's retention has forgotten."""
    if hold.patron is None:
        return None
    return open_patron(staff, hold.patron, via=via, context=context)


def hold_patron_names(staff: Staff, holds: list[Hold], *, context: str) -> dict[int, str]:
    """{patron id: "Last, First"} of the holds' patrons, for a list page: one audited view
    per patron shown (`patrons.access.open_patrons`). Holds whose patron is forgotten
    have no entry."""
    patrons = {h.patron_id: h.patron for h in holds if h.patron is not None}
    views = open_patrons(staff, list(patrons.values()), via=PatronAudit.Via.PAGE, context=context)
    return {view.pk: f"{view.last_name}, {view.first_name}" for view in views}
