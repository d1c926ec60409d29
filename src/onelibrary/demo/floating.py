"""The demo group's floating collections: two regional float groups, a float rule for
each member the generator made float its DVDs, new books and audiobooks, and capacities
near what each branch holds today, so the balancing page has surplus to suggest moving.

Written straight to the tables inside the demo's one transaction, as the rest of the
generator writes; `floating.actions.sync_items` then makes every copy's flag agree.
"""

from __future__ import annotations

import random
from statistics import median

from django.db.models import Count

from onelibrary.catalog.models import Item
from onelibrary.floating.actions import sync_items
from onelibrary.floating.models import Capacity, FloatGroup, FloatRule
from onelibrary.floating.placement import NOT_COUNTED
from onelibrary.members.models import Branch, Library

FLOATING_COLLECTIONS = ("DVD", "NEW", "AUDIO")


def _longitude(library: Library) -> float:
    points = [float(b.longitude) for b in library.branches.all() if b.longitude is not None]
    return sum(points) / len(points) if points else 0.0


def write_floating(seed: int, libraries: dict[str, Library]) -> int:
    """Float groups, rules and capacities; returns how many capacities were set."""
    rng = random.Random(f"{seed}-floating")
    members = sorted(libraries.values(), key=lambda lib: lib.code)
    if not members:
        return 0
    middle = median(_longitude(lib) for lib in members)
    west = FloatGroup.objects.create(code="west", name="Western floating partners")
    east = FloatGroup.objects.create(code="east", name="Eastern floating partners")
    region = {lib.code: west if _longitude(lib) <= middle else east for lib in members}
    west.libraries.set([lib for lib in members if region[lib.code] == west])
    east.libraries.set([lib for lib in members if region[lib.code] == east])
    floaters = set(
        Item.objects.filter(floating=True, collection__in=FLOATING_COLLECTIONS)
        .values_list("owning_library__code", flat=True)
        .distinct()
    )
    FloatRule.objects.bulk_create(
        FloatRule(library=lib, collection=collection, float_group=region[lib.code])
        for lib in members
        if lib.code in floaters
        for collection in FLOATING_COLLECTIONS
    )
    for lib in members:
        if lib.code in floaters:
            sync_items(lib)
    held = {
        (row["home_branch_id"], row["collection"]): row["n"]
        for row in Item.objects.filter(floating=True, collection__in=FLOATING_COLLECTIONS)
        .exclude(status__in=NOT_COUNTED)
        .values("home_branch_id", "collection")
        .annotate(n=Count("pk"))
        .order_by()
    }
    # Capacities in the regions that float: most near today's count, a few well under it.
    floating_groups = {region[code].pk for code in floaters}
    capacities = []
    for branch in Branch.objects.filter(is_active=True).select_related("library").order_by("code"):
        if region[branch.library.code].pk not in floating_groups:
            continue
        for collection in FLOATING_COLLECTIONS:
            now = held.get((branch.pk, collection), 0)
            capacity = max(2, round(now * rng.uniform(0.7, 1.6)) + rng.randint(0, 3))
            capacities.append(Capacity(branch=branch, collection=collection, capacity=capacity))
    Capacity.objects.bulk_create(capacities)
    return len(capacities)
