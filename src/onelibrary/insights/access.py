"""Who may read which insights: every check of the pages, downloads and schedules.

- the central office: everything;
- a member's staff: its member's pages and the group-wide tables (the members' lending
  figures are the group's business; no table names a patron);
- a director or board account: its own library's page and board page, nothing else —
  and no staff page anywhere (members.access keeps the role out of staff scopes).
Roles are read through `members.access` only.
"""

from __future__ import annotations

from onelibrary.members.access import (
    NotFound,
    Staff,
    insights_library_ids,
    is_central_office,
    sees_group_insights,
)
from onelibrary.members.models import Library


def access_member(user: Staff, code: str) -> Library:
    """The member whose insights `user` asks for, or NotFound (404) alike for a code that
    does not exist and one the account may not read."""
    allowed = insights_library_ids(user)
    library = Library.objects.filter(code=code).first()
    if library is None or (allowed is not None and library.pk not in allowed):
        raise NotFound(
            "no_such_member",
            f"There is no member {code!r} whose figures you may read. "
            "Choose one from the insights page.",
        )
    return library


def may_see_group(user: Staff) -> bool:
    return sees_group_insights(user)


def own_members(user: Staff) -> list[Library]:
    """The members whose own pages the account may open, by code."""
    allowed = insights_library_ids(user)
    found = Library.objects.order_by("code")
    return list(found if allowed is None else found.filter(pk__in=allowed))


def may_set_costs(user: Staff) -> bool:
    """Cost-sharing formulas and the total to share are the central office's."""
    return is_central_office(user)
