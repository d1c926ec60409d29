"""Load the rules table and resolve it for a real item, patron and desk."""

from __future__ import annotations

from onelibrary.catalog.models import Item
from onelibrary.members.models import Branch
from onelibrary.patrons.models import Patron
from onelibrary.policy.models import CirculationRule, GroupPolicy
from onelibrary.policy.resolve import ResolvedPolicy, Rule, Situation, resolve


def load_rules() -> list[Rule]:
    return [
        rule.as_rule()
        for rule in CirculationRule.objects.select_related("library", "exempt_reason")
    ]


def governing_library_code(item: Item, patron: Patron | None, branch: Branch | None) -> str:
    """The member whose rules govern, by the group's setting (owning library by default)."""
    choice = GroupPolicy.current().governing_library
    if choice == GroupPolicy.GoverningLibrary.CHECKOUT and branch is not None:
        return branch.library.code
    if choice == GroupPolicy.GoverningLibrary.PATRON_HOME and patron is not None:
        return patron.home_library.code
    return item.owning_library.code


def situation_for(item: Item, patron: Patron | None, branch: Branch | None) -> Situation:
    return Situation(
        library=governing_library_code(item, patron, branch),
        patron_category=patron.category if patron else "",
        item_type=item.item_type,
        collection=item.collection,
    )


def policy_for(item: Item, patron: Patron | None, branch: Branch | None) -> ResolvedPolicy:
    return resolve(load_rules(), situation_for(item, patron, branch))
