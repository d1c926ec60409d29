"""Policy resolution (policy/resolve.py) as a specification: plain rules in, settings out.

The POLICY ids are the rows of docs/circulation/renew-and-more.md.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from onelibrary.policy.resolve import SETTINGS, NoRuleError, Rule, Situation, resolve

EVERYTHING = {
    "loan_days": 21,
    "renewals_allowed": 2,
    "max_items_out": 30,
    "fine_per_day": None,
    "fine_cap": None,
    "fine_block_threshold": Decimal("10.00"),
    "holdable": True,
}
# fine_per_day and fine_cap may be None everywhere (fine-free); give them so every setting resolves.
GROUP = Rule(id=1, name="Group default", values=EVERYTHING | {"fine_per_day": Decimal("0")})
PINE_DVD = Situation(library="PINE", patron_category="adult", item_type="dvd", collection="AV")


def test_it_takes_each_setting_from_the_most_specific_rule_policy_1():
    rules = [
        GROUP,
        Rule(id=2, name="Group DVDs", item_type="dvd", values={"loan_days": 7}),
        Rule(id=3, name="Pine everything", library="PINE", values={"loan_days": 28}),
        Rule(
            id=4,
            name="Pine children",
            library="PINE",
            patron_category="child",
            values={"loan_days": 1},
        ),
    ]
    policy = resolve(rules, PINE_DVD)
    # library (8) beats item type (4); the child rule does not match an adult.
    assert policy.values["loan_days"] == 28
    assert policy.sources["loan_days"].rule_name == "Pine everything"


def test_it_weighs_library_over_item_type_over_collection_over_category_policy_1():
    rules = [
        GROUP,
        Rule(id=2, name="adult", patron_category="adult", values={"loan_days": 1}),
        Rule(id=3, name="AV", collection="AV", values={"loan_days": 2}),
        Rule(
            id=4, name="AV adult", collection="AV", patron_category="adult", values={"loan_days": 3}
        ),
        Rule(id=5, name="dvd", item_type="dvd", values={"loan_days": 4}),
    ]
    assert (
        resolve(rules, PINE_DVD).values["loan_days"] == 4
    )  # item type 4 > collection 2 + category 1
    assert resolve(rules[:4], PINE_DVD).values["loan_days"] == 3  # 2 + 1 > 2
    assert resolve(rules[:3], PINE_DVD).values["loan_days"] == 2  # 2 > 1


def test_it_gives_a_tie_to_the_older_rule_policy_2():
    rules = [
        GROUP,
        Rule(id=9, name="newer", item_type="dvd", values={"loan_days": 10}),
        Rule(id=5, name="older", item_type="dvd", values={"loan_days": 5}),
    ]
    policy = resolve(rules, PINE_DVD)
    assert policy.values["loan_days"] == 5
    assert policy.sources["loan_days"].rule_id == 5


def test_it_ignores_member_overrides_of_settings_a_locked_group_rule_gives_policy_3():
    rules = [
        GROUP,
        Rule(id=2, name="Group DVDs locked", item_type="dvd", locked=True, values={"loan_days": 7}),
        Rule(
            id=3,
            name="Pine DVDs",
            library="PINE",
            item_type="dvd",
            values={"loan_days": 28, "renewals_allowed": 5},
        ),
    ]
    policy = resolve(rules, PINE_DVD)
    assert policy.values["loan_days"] == 7
    assert "locked by the group" in policy.sources["loan_days"].why
    # The lock covers only what the locked rule sets: the renewals override stands.
    assert policy.values["renewals_allowed"] == 5


def test_it_lets_members_override_a_locked_rule_elsewhere_policy_3():
    rules = [
        GROUP,
        Rule(id=2, name="Group DVDs locked", item_type="dvd", locked=True, values={"loan_days": 7}),
        Rule(id=3, name="Pine loans", library="PINE", values={"loan_days": 28}),
    ]
    books = Situation(library="PINE", patron_category="adult", item_type="book", collection="")
    assert resolve(rules, books).values["loan_days"] == 28


def test_it_inherits_each_setting_it_does_not_set_from_the_next_rule_policy_1():
    rules = [
        GROUP,
        Rule(id=2, name="Pine fines", library="PINE", values={"fine_per_day": Decimal("0.25")}),
    ]
    policy = resolve(rules, PINE_DVD)
    assert policy.values["fine_per_day"] == Decimal("0.25")
    assert policy.sources["fine_per_day"].rule_name == "Pine fines"
    assert policy.values["loan_days"] == 21
    assert policy.sources["loan_days"].rule_name == "Group default"
    assert set(policy.values) == set(SETTINGS)


def test_it_refuses_to_guess_when_the_group_default_is_missing():
    rules = [Rule(id=2, name="Group DVDs", item_type="dvd", values={"loan_days": 7})]
    with pytest.raises(NoRuleError, match="group default rule must set every setting"):
        resolve(rules, PINE_DVD)
    with pytest.raises(NoRuleError, match="renewals allowed"):
        resolve(rules, PINE_DVD)


def test_it_needs_no_exemption_reason():
    assert resolve([GROUP], PINE_DVD).values["exempt_reason"] == ""


def test_it_explains_which_rule_decided_each_setting_and_why_policy_1():
    rules = [
        GROUP,
        Rule(id=2, name="Group DVDs", item_type="dvd", values={"loan_days": 7}),
    ]
    policy = resolve(rules, PINE_DVD)
    source = policy.sources["loan_days"]
    assert (source.rule_id, source.rule_name) == (2, "Group DVDs")
    assert "matches item type dvd" in source.why
    assert "most specific of 2 matching rules" in source.why
    assert "the group default" in policy.sources["holdable"].why
    explained = policy.explain()
    assert any(
        line.startswith("loan period (days): 7 — rule #2 'Group DVDs'") for line in explained
    )
    assert policy.as_dict()["loan_days"] == {
        "value": 7,
        "rule_id": 2,
        "rule": "Group DVDs",
        "why": source.why,
    }
