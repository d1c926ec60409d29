"""Whose rules govern a loan (policy/lookup.governing_library_code): POLICY-4."""

from __future__ import annotations

import pytest

from onelibrary.policy.lookup import governing_library_code, situation_for
from onelibrary.policy.models import GroupPolicy


def choose(choice: str) -> None:
    policy = GroupPolicy.current()
    policy.governing_library = choice
    policy.save()


def test_it_lets_the_owning_library_govern_by_default_policy_4(world):
    # Riverton's copy, lent at Pine Creek to Ben of Pine Creek: Riverton's rules.
    assert GroupPolicy.current().governing_library == GroupPolicy.GoverningLibrary.OWNING
    assert governing_library_code(world.dune_riv, world.ben, world.pine_main) == "RIV"


def test_it_lets_the_checkout_library_govern_when_the_group_says_so_policy_4(world):
    choose(GroupPolicy.GoverningLibrary.CHECKOUT)
    assert governing_library_code(world.dune_riv, world.ben, world.pine_main) == "PINE"
    assert governing_library_code(world.dune_pine, world.ada, world.riv_east) == "RIV"


def test_it_lets_the_patrons_home_library_govern_when_the_group_says_so_policy_4(world):
    choose(GroupPolicy.GoverningLibrary.PATRON_HOME)
    assert governing_library_code(world.dune_riv, world.ben, world.riv_main) == "PINE"


@pytest.mark.parametrize(
    "choice", [GroupPolicy.GoverningLibrary.CHECKOUT, GroupPolicy.GoverningLibrary.PATRON_HOME]
)
def test_it_falls_back_to_the_owning_library_when_the_other_is_unknown_policy_4(world, choice):
    choose(choice)
    assert governing_library_code(world.dune_pine, None, None) == "PINE"


def test_it_puts_the_governing_library_into_the_situation_policy_4(world):
    choose(GroupPolicy.GoverningLibrary.PATRON_HOME)
    situation = situation_for(world.dune_riv, world.ben, world.riv_main)
    assert situation.criteria() == {
        "library": "PINE",
        "item_type": "book",
        "collection": "ADULT",
        "patron_category": "adult",
    }
