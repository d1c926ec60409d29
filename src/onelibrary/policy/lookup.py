"""Load the rules table and resolve it for a real item, patron and desk.

Every checkout resolves the rules, so each process keeps the table (and the group's
governing-library setting) in memory while `RulesVersion.token` stays the same
(onelibrary/versions.py): triggers move it whenever a rule, exemption reason, the group
policy, a library or a float rule changes, so one cheap query per resolution keeps the
copy current.
"""

from __future__ import annotations

from dataclasses import dataclass

from onelibrary.catalog.models import Item
from onelibrary.members.models import Branch, Library
from onelibrary.patrons.models import Patron
from onelibrary.policy.models import CirculationRule, ExemptionReason, GroupPolicy
from onelibrary.policy.resolve import ResolvedPolicy, Rule, Situation, resolve
from onelibrary.versions import Kept


@dataclass(frozen=True)
class _Loaded:
    rules: tuple[Rule, ...]
    governing_library: str


# The rules with their library's and exemption reason's codes, and the group's setting.
_kept: Kept[_Loaded] = Kept(
    "policy_rulesversion", watches=[CirculationRule, Library, ExemptionReason, GroupPolicy]
)


def _load() -> _Loaded:
    return _Loaded(
        tuple(
            rule.as_rule()
            for rule in CirculationRule.objects.select_related("library", "exempt_reason")
        ),
        GroupPolicy.current().governing_library,
    )


def _current() -> _Loaded:
    return _kept.get(_load)


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
