"""Staff roles and closed dates, kept in memory per process behind the members token.

Every desk scan asks who is scanning (the staff member's roles) and, at checkout, which
days the branch is closed. Both change a few times a year, so each process keeps them
while `members_membersversion`'s token stays the same (onelibrary/versions.py); the
triggers move it on any write to staff roles or closed dates.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from onelibrary.members.models import ClosedDate, StaffRole
from onelibrary.versions import Kept

TOKEN_TABLE = "members_membersversion"

Roles = dict[int, frozenset[tuple[int | None, str]]]  # user id -> (library id or None, role)
Closed = dict[int, frozenset[dt.date]]  # branch id -> closed dates

_roles: Kept[Roles] = Kept(TOKEN_TABLE, watches=[StaffRole])
_closed: Kept[Closed] = Kept(TOKEN_TABLE, watches=[ClosedDate])


def _load_roles() -> Roles:
    found: dict[int, set[tuple[int | None, str]]] = defaultdict(set)
    for user_id, library_id, role in StaffRole.objects.values_list("user_id", "library_id", "role"):
        found[user_id].add((library_id, role))
    return {user_id: frozenset(pairs) for user_id, pairs in found.items()}


def roles_of(user_id: int) -> frozenset[tuple[int | None, str]]:
    """The user's (library id or None, role) pairs. `members.access` is what reads them:
    ask it, not this, whether someone may do something."""
    return _roles.get(_load_roles).get(user_id, frozenset())


def _first_of_year(day: dt.date) -> dt.date:
    return dt.date(day.year, 1, 1)


def closed_dates(branch_id: int, start: dt.date) -> frozenset[dt.date]:
    """The branch's closed dates from 1 January of `start`'s year on: enough for any due
    date counted from `start`. Kept per year, so a new year reads them once again."""
    first = _first_of_year(start)

    def load() -> Closed:
        found: dict[int, set[dt.date]] = defaultdict(set)
        for branch, day in ClosedDate.objects.filter(date__gte=first).values_list(
            "branch_id", "date"
        ):
            found[branch].add(day)
        return {branch: frozenset(days) for branch, days in found.items()}

    return _closed.get(load, key=first).get(branch_id, frozenset())
