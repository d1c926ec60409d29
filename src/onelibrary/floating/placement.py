"""Where a floating item goes at checkin: read the rules and the shelves, decide, change
nothing. Circulation's `_destination` asks `place(item, branch)` and applies the answer.

Decision-table ids (docs/circulation/checkin.md):
- CHECKIN-3: floats; this branch becomes its home (at its home already: CHECKIN-1).
- CHECKIN-20: floats only within its float group, checked in outside it: sent home.
- CHECKIN-21: this branch is over capacity for the item's collection: sent to the branch
  furthest under capacity nearby, which becomes its home.
- CHECKIN-22: over capacity, but no branch nearby has room, or the title has holds
  waiting (holds decide first): it stays and floats here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count
from django.utils import timezone

from onelibrary.catalog.models import Item
from onelibrary.floating import balance, distance
from onelibrary.floating.models import DEFAULT_NEARBY_DAYS, Capacity, FloatGroup, FloatRule
from onelibrary.members.models import Branch
from onelibrary.versions import Kept

# Counted against a branch's capacity: its floating items of the collection, wherever
# they are now (on loan, in transit to it, on a hold shelf), except those gone for good.
NOT_COUNTED = (Item.Status.WITHDRAWN, Item.Status.LOST)


@dataclass(frozen=True)
class Placement:
    decision: str
    instruction: str
    changes: dict = field(default_factory=dict)
    send_to: Branch | None = None
    reason: str = ""


@dataclass(frozen=True)
class Floating:
    """What the rules say about one item: does it float, and within which group."""

    floats: bool
    group: FloatGroup | None = None
    rule: FloatRule | None = None


def governing_rule(rules: Iterable[FloatRule], collection: str, item_type: str) -> FloatRule | None:
    """The most specific of a member's rules matching the item: collection and item type
    both named beats collection alone, which beats item type alone, which beats neither."""
    best: tuple[int, FloatRule] | None = None
    for rule in rules:
        if rule.collection and rule.collection != collection:
            continue
        if rule.item_type and rule.item_type != item_type:
            continue
        score = 2 * bool(rule.collection) + bool(rule.item_type)
        if best is None or score > best[0]:
            best = (score, rule)
    return best[1] if best else None


@dataclass(frozen=True)
class _FloatRules:
    by_library: dict[int, tuple[FloatRule, ...]]
    group_libraries: dict[int, frozenset[int]]


# Read at every checkin, changed a few times a year: kept per process while the rules
# token stays the same (migration 0003 makes float rules and groups move it).
_kept: Kept[_FloatRules] = Kept(
    "policy_rulesversion", watches=[FloatRule, FloatGroup, FloatGroup.libraries.through]
)


def _load_rules() -> _FloatRules:
    by_library: dict[int, list[FloatRule]] = {}
    for rule in FloatRule.objects.select_related("float_group"):
        by_library.setdefault(rule.library_id, []).append(rule)
    members: dict[int, set[int]] = {}
    for group_id, library_id in FloatGroup.libraries.through.objects.values_list(
        "floatgroup_id", "library_id"
    ):
        members.setdefault(group_id, set()).add(library_id)
    return _FloatRules(
        {library: tuple(rules) for library, rules in by_library.items()},
        {group: frozenset(libraries) for group, libraries in members.items()},
    )


def floating_of(item: Item) -> Floating:
    """The governing rule decides; with no rule, the copy's own `floating` flag (a choice
    made on the item edit page) does, floating anywhere in the sharing group."""
    rules = _kept.get(_load_rules).by_library.get(item.owning_library_id, ())
    rule = governing_rule(rules, item.collection, item.item_type)
    if rule is None:
        return Floating(item.floating)
    return Floating(rule.floats, rule.float_group if rule.floats else None, rule)


def in_group(group: FloatGroup, library_id: int) -> bool:
    return library_id in _kept.get(_load_rules).group_libraries.get(group.pk, frozenset())


def group_branches(group: FloatGroup | None) -> list[Branch]:
    branches = Branch.objects.filter(is_active=True).select_related("library")
    if group is not None:
        branches = branches.filter(library__float_groups=group)
    return list(branches.order_by("code"))


def counted(branch_ids: Sequence[int], collection: str):
    """The floating items of `collection` counted against these branches' capacities:
    those whose home is one of them, except lost and withdrawn ones. The item_float_count
    index (home branch, collection, floating, status) serves it."""
    return Item.objects.filter(
        home_branch_id__in=branch_ids, collection=collection, floating=True
    ).exclude(status__in=NOT_COUNTED)


def counts(
    branch_ids: Sequence[int], collection: str, *, exclude_item: int | None = None
) -> dict[int, int]:
    """{branch id: its floating items of `collection`} (branches with none left out)."""
    rows = (
        counted(branch_ids, collection)
        .exclude(pk=exclude_item)
        .values("home_branch_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["home_branch_id"]: row["n"] for row in rows}


def capacities(branch_ids: Sequence[int], collection: str) -> dict[int, int]:
    return dict(
        Capacity.objects.filter(branch_id__in=branch_ids, collection=collection).values_list(
            "branch_id", "capacity"
        )
    )


def nearby_days(group: FloatGroup | None) -> Decimal:
    return group.nearby_days if group is not None else DEFAULT_NEARBY_DAYS


def _send(decision: str, target: Branch, words: str, changes: dict, reason: str) -> Placement:
    return Placement(
        decision,
        f"SEND TO {target.name.upper()} ({target.code}){words}",
        {"status": Item.Status.IN_TRANSIT, **changes},
        send_to=target,
        reason=reason,
    )


def place(
    item: Item, branch: Branch, *, claimable: bool, on: dt.date | None = None
) -> Placement | None:
    """Where `item`, checked in at `branch`, goes if it floats; None if it does not.
    `claimable`: a hold may claim the copy (the caller asked holds), so balancing leaves it."""
    floating = floating_of(item)
    if not floating.floats:
        return None
    home = item.home_branch
    stay_home = Placement(
        "CHECKIN-1", "SHELVE", {"status": Item.Status.AVAILABLE, "floating": True}
    )
    if item.status == Item.Status.IN_TRANSIT:
        if branch.pk == home.pk:
            return stay_home
        if item.current_branch_id != home.pk:
            # Sent from elsewhere to its home (float balance, or home from outside its
            # group): it goes on there. One that left home for a hold since cancelled
            # floats where it arrives (CHECKIN-5).
            return _send("CHECKIN-2", home, "", {}, "return_home")
    group = floating.group
    if group is not None and not in_group(group, branch.library_id):
        if branch.pk == home.pk:
            return stay_home
        # CHECKIN-20: outside its float group: home, which is inside it.
        return _send("CHECKIN-20", home, " (OUTSIDE FLOAT GROUP)", {}, "return_home")
    here = (
        Placement("CHECKIN-1", "SHELVE", {"status": Item.Status.AVAILABLE, "floating": True})
        if branch.pk == home.pk
        else Placement(
            "CHECKIN-3",
            "SHELVE HERE (FLOATS)",
            {"status": Item.Status.AVAILABLE, "home_branch": branch, "floating": True},
        )
    )
    on_its_shelf = item.status == Item.Status.AVAILABLE and item.current_branch_id == branch.pk
    if on_its_shelf or item.status == Item.Status.IN_TRANSIT:
        return here  # not a return: nothing to balance (the balancing page does that)
    capacity = capacities([branch.pk], item.collection).get(branch.pk)
    if capacity is None:
        return here
    count = counts([branch.pk], item.collection, exclude_item=item.pk).get(branch.pk, 0) + 1
    if count <= capacity:
        return here
    stays = Placement(
        "CHECKIN-22",
        "SHELVE HERE (FLOATS; OVER CAPACITY)",
        here.changes,
    )
    if claimable:  # balancing leaves a copy a hold may claim to holds
        return stays
    target = choose_for(branch, item.collection, count, capacity, group, on=on)
    if target is None:
        return stays
    # CHECKIN-21: float balance. The target becomes its home now, so it counts there
    # while it travels and the next surplus item looks elsewhere.
    return _send(
        "CHECKIN-21",
        target,
        " FOR FLOAT BALANCE",
        {"home_branch": target, "floating": True},
        "float_balance",
    )


def choose_for(
    branch: Branch,
    collection: str,
    count: int,
    capacity: int,
    group: FloatGroup | None,
    *,
    on: dt.date | None = None,
) -> Branch | None:
    """The branch furthest under capacity near `branch` in `group` (`balance.choose`)."""
    others = [b for b in group_branches(group) if b.pk != branch.pk]
    ids = [b.pk for b in others]
    room = capacities(ids, collection)
    held = counts(list(room), collection)
    shelves = [
        balance.Shelf(b.code, held.get(b.pk, 0), room[b.pk])
        for b in others
        if b.pk in room and held.get(b.pk, 0) < room[b.pk]
    ]
    if not shelves:
        return None
    by_code = {b.code: b for b in others}
    days = distance.courier_days(
        branch, [by_code[s.branch] for s in shelves], on or timezone.localdate()
    )
    code = balance.choose(
        balance.Shelf(branch.code, count, capacity),
        shelves,
        days,
        nearby_days=float(nearby_days(group)),
    )
    return by_code[code] if code else None
