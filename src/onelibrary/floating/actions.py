"""Floating actions: the only code that changes float groups, rules and capacities.

Each checks who is asking, runs in one transaction and writes a `FloatLog` row. A
refusal raises `FloatingError` and changes nothing.

Who may: the central office everything; a library admin its own library's rules and
its own branches' capacities; float groups are the central office's.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from onelibrary.catalog.models import Item
from onelibrary.core.refusals import Refusal
from onelibrary.floating.models import Capacity, FloatGroup, FloatLog, FloatRule
from onelibrary.floating.placement import governing_rule
from onelibrary.members.access import is_central_office, may_manage_library
from onelibrary.members.models import Branch, Library

MAX_CAPACITY = 1_000_000
MAX_CODE = 32


class FloatingError(Refusal):
    """A refused floating change: `message` says what is wrong and what to do."""


def may_manage(staff: User, library: Library | int) -> bool:
    """The central office, or a library admin of `library`."""
    return may_manage_library(staff, library if isinstance(library, int) else library.pk)


def _check(staff: User, library: Library, what: str) -> None:
    if not may_manage(staff, library):
        raise FloatingError(
            "not_allowed",
            f"Only the central office or {library.name}'s library admin may change {what}. "
            "Ask one of them.",
        )


def _code(value: str, what: str) -> str:
    value = value.strip()
    if len(value) > MAX_CODE or any(not (c.isalnum() or c in "-_") for c in value):
        raise FloatingError(
            "bad_code",
            f"{what} codes are up to {MAX_CODE} letters, digits, - or _ (e.g. DVD). "
            "Check the code and try again.",
        )
    return value


def _log(kind: str, staff: User | None, library: Library | None, now: dt.datetime, **detail):
    return FloatLog.objects.create(at=now, staff=staff, kind=kind, library=library, detail=detail)


@transaction.atomic
def set_capacity(
    staff: User,
    branch: Branch,
    collection: str,
    capacity: int | None,
    *,
    now: dt.datetime | None = None,
) -> Capacity | None:
    """Set (or with None clear: no limit) how many floating items of `collection`
    `branch` should hold."""
    now = now or timezone.now()
    _check(staff, branch.library, f"{branch.name}'s capacities")
    collection = _code(collection, "Collection")
    if not collection:
        raise FloatingError("bad_code", "Name the collection, e.g. DVD.")
    if capacity is not None and not 0 <= capacity <= MAX_CAPACITY:
        raise FloatingError(
            "bad_capacity",
            f"A capacity is a whole number from 0 to {MAX_CAPACITY:,}; "
            "leave it empty for no limit.",
        )
    row = Capacity.objects.select_for_update().filter(branch=branch, collection=collection).first()
    before = row.capacity if row else None
    if capacity is None:
        if row is not None:
            row.delete()
        _log(
            "capacity_cleared",
            staff,
            branch.library,
            now,
            branch=branch.code,
            collection=collection,
            before=before,
        )
        return None
    if row is None:
        row = Capacity.objects.create(branch=branch, collection=collection, capacity=capacity)
    else:
        Capacity.objects.filter(pk=row.pk).update(capacity=capacity)
        row.capacity = capacity
    _log(
        "capacity_set",
        staff,
        branch.library,
        now,
        branch=branch.code,
        collection=collection,
        before=before,
        after=capacity,
    )
    return row


def sync_items(library: Library) -> int:
    """Make `Item.floating` say what `library`'s rules say, for the items a rule covers.
    Copies no rule covers keep their own flag. Returns how many items changed."""
    rules = list(FloatRule.objects.filter(library=library))
    changed = 0
    pairs = (
        Item.objects.filter(owning_library=library)
        .values_list("collection", "item_type")
        .distinct()
        .order_by()
    )
    for collection, item_type in pairs:
        rule = governing_rule(rules, collection, item_type)
        if rule is None:
            continue
        changed += (
            Item.objects.filter(owning_library=library, collection=collection, item_type=item_type)
            .exclude(floating=rule.floats)
            .update(floating=rule.floats)
        )
    return changed


@transaction.atomic
def save_rule(
    staff: User,
    library: Library,
    *,
    collection: str = "",
    item_type: str = "",
    floats: bool = True,
    group: FloatGroup | None = None,
    now: dt.datetime | None = None,
) -> FloatRule:
    """Say whether `library`'s items of a collection and/or item type float, and within
    which float group; its items' `floating` flags follow at once."""
    now = now or timezone.now()
    _check(staff, library, "its floating rules")
    collection = _code(collection, "Collection")
    item_type = item_type.strip()[:MAX_CODE]
    if group is not None and not group.libraries.filter(pk=library.pk).exists():
        raise FloatingError(
            "not_in_group",
            f"{library.name} is not a member of the float group {group.name}. "
            "Choose a group it belongs to, or none to float anywhere in the sharing group.",
        )
    rule, created = FloatRule.objects.update_or_create(
        library=library,
        collection=collection,
        item_type=item_type,
        defaults={"floats": floats, "float_group": group if floats else None},
    )
    changed = sync_items(library)
    _log(
        "rule_saved",
        staff,
        library,
        now,
        collection=collection,
        item_type=item_type,
        floats=floats,
        group=group.code if group and floats else None,
        created=created,
        items_changed=changed,
    )
    return rule


@transaction.atomic
def delete_rule(staff: User, rule: FloatRule, *, now: dt.datetime | None = None) -> int:
    """Remove a rule; the items it covered keep their flag unless another rule covers them."""
    now = now or timezone.now()
    library = rule.library
    _check(staff, library, "its floating rules")
    detail = {"collection": rule.collection, "item_type": rule.item_type, "floats": rule.floats}
    rule.delete()
    changed = sync_items(library)
    _log("rule_deleted", staff, library, now, items_changed=changed, **detail)
    return changed


@transaction.atomic
def save_group(
    staff: User,
    code: str,
    name: str,
    libraries: list[Library],
    *,
    nearby_days: float | None = None,
    now: dt.datetime | None = None,
) -> FloatGroup:
    """Create or change a float group and its members (central office only)."""
    now = now or timezone.now()
    if not is_central_office(staff):
        raise FloatingError(
            "not_allowed", "Only the central office may change float groups. Ask it to."
        )
    code = code.strip().lower()
    if not code or len(code) > MAX_CODE or not all(c.isalnum() or c in "-_" for c in code):
        raise FloatingError("bad_code", "A float group's code is up to 32 letters, digits, - or _.")
    if not name.strip():
        raise FloatingError("no_name", "Give the float group a name staff will recognise.")
    defaults: dict[str, object] = {"name": name.strip()}
    if nearby_days is not None:
        if not 0 <= nearby_days <= 99:
            raise FloatingError("bad_days", "Nearby is 0 to 99 courier days.")
        defaults["nearby_days"] = round(nearby_days, 1)
    group, created = FloatGroup.objects.update_or_create(code=code, defaults=defaults)
    leaving = set(group.libraries.values_list("code", flat=True)) - {lib.code for lib in libraries}
    if leaving and group.rules.filter(library__code__in=leaving, floats=True).exists():
        raise FloatingError(
            "group_in_use",
            f"{', '.join(sorted(leaving))} float items in {group.name}: change those rules "
            "first, then take the member out of the group.",
        )
    group.libraries.set(libraries)
    _log(
        "group_saved",
        staff,
        None,
        now,
        code=code,
        name=group.name,
        libraries=sorted(lib.code for lib in libraries),
        created=created,
    )
    return group
