"""Load the rules table and resolve it for a real item, patron and desk.

Every checkout resolves the rules, so each process keeps the table (and the group's
governing-library setting) in memory, keyed by `RulesVersion.token`. Database triggers
move the token whenever a rule, exemption reason, policy or library changes, so one
cheap query per resolution is enough to know the copy is current — also after a change
made by another process, by a bulk write, or undone by a rollback.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection

from onelibrary.catalog.models import Item
from onelibrary.members.models import Branch
from onelibrary.patrons.models import Patron
from onelibrary.policy.models import CirculationRule, GroupPolicy
from onelibrary.policy.resolve import ResolvedPolicy, Rule, Situation, resolve


@dataclass(frozen=True)
class _Loaded:
    token: str
    rules: tuple[Rule, ...]
    governing_library: str


_loaded: _Loaded | None = None


def _token() -> str | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT token FROM policy_rulesversion WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else None


def _current() -> _Loaded:
    global _loaded
    token = _token()
    if token is not None and _loaded is not None and _loaded.token == token:
        return _loaded
    fresh = _Loaded(
        token or "",
        tuple(
            rule.as_rule()
            for rule in CirculationRule.objects.select_related("library", "exempt_reason")
        ),
        GroupPolicy.current().governing_library,
    )
    if token is not None:  # no token row (a database just emptied): read every time
        _loaded = fresh
    return fresh


def load_rules() -> list[Rule]:
    return list(_current().rules)


def governing_library_code(
    item: Item, patron: Patron | None, branch: Branch | None, choice: str | None = None
) -> str:
    """The member whose rules govern, by the group's setting (owning library by default)."""
    choice = choice or _current().governing_library
    if choice == GroupPolicy.GoverningLibrary.CHECKOUT and branch is not None:
        return branch.library.code
    if choice == GroupPolicy.GoverningLibrary.PATRON_HOME and patron is not None:
        return patron.home_library.code
    return item.owning_library.code


def situation_for(
    item: Item, patron: Patron | None, branch: Branch | None, choice: str | None = None
) -> Situation:
    return Situation(
        library=governing_library_code(item, patron, branch, choice),
        patron_category=patron.category if patron else "",
        item_type=item.item_type,
        collection=item.collection,
    )


def policy_for(item: Item, patron: Patron | None, branch: Branch | None) -> ResolvedPolicy:
    loaded = _current()
    return resolve(
        list(loaded.rules), situation_for(item, patron, branch, loaded.governing_library)
    )
