"""Which circulation rule governs a loan: a pure function over plain data.

A rule matches a situation when every criterion it sets (member library, patron
category, item type, collection) equals the situation's; blank criteria match anything.
Each setting is taken from the most specific matching rule that sets it, so a member
may override just the loan period and inherit the rest from the group. Specificity
weighs the criteria library > item type > collection > patron category (POLICY-1), and
ties go to the older rule (POLICY-2). A group rule marked `locked` keeps members from
overriding the settings it gives (POLICY-3). Every setting in the answer names the rule
it came from and why that rule won.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from onelibrary.core.refusals import RulesProblem

SETTINGS = (
    "loan_days",
    "renewals_allowed",
    "max_items_out",
    "max_holds",
    "fine_per_day",
    "fine_cap",
    "fine_block_threshold",
    "holdable",
    "exempt_reason",
)

SETTING_LABELS = {
    "loan_days": "loan period (days)",
    "renewals_allowed": "renewals allowed",
    "max_items_out": "items out at once",
    "max_holds": "holds at once",
    "fine_per_day": "fine per day",
    "fine_cap": "fine cap",
    "fine_block_threshold": "fines that block checkout",
    "holdable": "holdable by the group",
    "exempt_reason": "exempt from group holds",
}

# Settings no rule needs to give: fine-free, no cap, no blocking threshold, not exempt.
# A member undoes a group fine with 0, not with an empty setting (which inherits).
OPTIONAL = {
    "max_holds": None,  # no limit
    "fine_per_day": None,
    "fine_cap": None,
    "fine_block_threshold": None,
    "exempt_reason": "",
}

# What a setting holds: a count, a sum of money, yes or no, a reason code; None: not given.
Setting = int | Decimal | bool | str | None

# POLICY-1: how much each criterion counts towards specificity.
WEIGHTS = {"library": 8, "item_type": 4, "collection": 2, "patron_category": 1}


@dataclass(frozen=True)
class Rule:
    id: int
    name: str
    library: str = ""  # member library code; blank for a group rule
    patron_category: str = ""
    item_type: str = ""
    collection: str = ""
    locked: bool = False  # group rules only: members may not override what it sets
    values: dict[str, Setting] = field(default_factory=dict)  # setting -> value (None: inherit)

    @property
    def is_group_rule(self) -> bool:
        return not self.library

    def criteria(self) -> dict[str, str]:
        return {
            "library": self.library,
            "item_type": self.item_type,
            "collection": self.collection,
            "patron_category": self.patron_category,
        }

    def matches(self, situation: Situation) -> bool:
        wanted = situation.criteria()
        return all(not value or value == wanted[name] for name, value in self.criteria().items())

    def specificity(self) -> int:
        return sum(WEIGHTS[name] for name, value in self.criteria().items() if value)

    def describe_match(self) -> str:
        parts = [
            f"{name.replace('_', ' ')} {value}" for name, value in self.criteria().items() if value
        ]
        return "matches " + ", ".join(parts) if parts else "the group default, matches everything"


@dataclass(frozen=True)
class Situation:
    """What is being lent: the governing library and the patron and item it concerns."""

    library: str
    patron_category: str
    item_type: str
    collection: str

    def criteria(self) -> dict[str, str]:
        return {
            "library": self.library,
            "item_type": self.item_type,
            "collection": self.collection,
            "patron_category": self.patron_category,
        }


@dataclass(frozen=True)
class Source:
    rule_id: int
    rule_name: str
    why: str


@dataclass(frozen=True)
class ResolvedPolicy:
    values: dict[str, Setting]
    sources: dict[str, Source]

    def __getattr__(self, name: str) -> object:
        if name in SETTINGS:
            return self.values[name]
        raise AttributeError(name)

    @property
    def loan_days(self) -> int:
        return self.count("loan_days")

    def count(self, name: str) -> int:
        """A whole-number setting that is not optional (loan days, renewals, items out):
        resolve() answers only when a rule gives it."""
        value = self.values[name]
        if value is None:
            raise NoRuleError(f"No rule sets '{SETTING_LABELS[name]}'.")
        return int(value)

    @property
    def fines_apply(self) -> bool:
        per_day = self.values["fine_per_day"]
        return per_day is not None and Decimal(str(per_day)) > 0

    def explain(self) -> list[str]:
        return [
            f"{SETTING_LABELS[name]}: {self.values[name]!s} — rule #{src.rule_id} "
            f"'{src.rule_name}' ({src.why})"
            for name, src in self.sources.items()
        ]

    def as_dict(self) -> dict[str, dict[str, object]]:
        """Every setting with its value and source; an optional setting no rule gives has
        no rule and says so."""
        answer: dict[str, dict[str, object]] = {}
        for name in SETTINGS:
            src = self.sources.get(name)
            answer[name] = {
                "value": _plain(self.values[name]),
                "rule_id": src.rule_id if src else None,
                "rule": src.rule_name if src else None,
                "why": src.why if src else "no rule sets it, so it is off",
            }
        return answer


class NoRuleError(RulesProblem):
    """No rule gives a setting: the group default rule is missing or incomplete."""

    code = "policy_incomplete"


def _plain(value: object) -> object:
    return str(value) if isinstance(value, Decimal) else value


def resolve(rules: list[Rule], situation: Situation) -> ResolvedPolicy:
    matching = sorted(
        (rule for rule in rules if rule.matches(situation)),
        key=lambda rule: (-rule.specificity(), rule.id),  # POLICY-1, POLICY-2
    )
    locked_settings = {
        name
        for rule in matching
        if rule.is_group_rule and rule.locked
        for name, value in rule.values.items()
        if value is not None
    }
    values: dict[str, Setting] = {}
    sources: dict[str, Source] = {}
    for name in SETTINGS:
        for rule in matching:
            value = rule.values.get(name)
            if value is None:
                continue
            if name in locked_settings and not rule.is_group_rule:
                continue  # POLICY-3: the group locked this setting
            values[name] = value
            setting_it = sum(1 for r in matching if r.values.get(name) is not None)
            why = f"{rule.describe_match()}; the most specific of {setting_it} matching rules"
            if name in locked_settings:
                why += "; locked by the group, so member overrides are ignored"
            sources[name] = Source(rule.id, rule.name, why)
            break
        else:
            if name in OPTIONAL:
                values[name] = OPTIONAL[name]
                continue
            raise NoRuleError(
                f"No rule sets '{SETTING_LABELS[name]}' for {situation}. "
                "The group default rule must set every setting."
            )
    return ResolvedPolicy(values=values, sources=sources)
