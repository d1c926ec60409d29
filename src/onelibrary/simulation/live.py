"""The simulator on the group's own data (`onelibrary simulate --from-db`): the live
group as a simulated world, and the last year's holds as its demand.

What is replayed and what is not (docs/simulation.md, "On the group's own data"):
- **The group**: members with copies (not applicants, not ones that left), their
  branches (coordinates, opening days), their copies as they stand now (status,
  collection, acquisition date, whether the owner floats that collection), their
  patrons' home libraries and pickup branches.
- **Holds**: every hold placed in the year before `end`, on its day, for its title, by
  its borrower's library at its pickup branch. A closed hold keeps no patron, so each
  (library, pickup branch) pair stands for its patrons; days on the hold shelf come from
  the hold where it was filled (2 otherwise).
- **Copies acquired during the year** reach the shelf on their acquisition day.
- **Walk-ins** are generated, as in the demo run, from the patrons per branch: loans
  are kept without a patron or shelf look, so they cannot be replayed one by one.
- Title popularity (for walk-ins) is 1 + the year's loans of the title.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count
from django.utils import timezone

from onelibrary.catalog.models import Item
from onelibrary.circulation.models import Loan
from onelibrary.floating.models import FloatRule
from onelibrary.holds.models import Hold
from onelibrary.members.models import Branch as BranchRow
from onelibrary.members.models import Library
from onelibrary.patrons.models import Patron as PatronRow
from onelibrary.simulation import demand as demand_model
from onelibrary.simulation.world import Branch, CopyPlan, Member, Patron, Title, World

GONE = {Item.Status.MISSING, Item.Status.LOST, Item.Status.DAMAGED, Item.Status.WITHDRAWN}
ON_SHELF = {Item.Status.AVAILABLE, Item.Status.ON_HOLD_SHELF}
NOT_HOLDABLE = {"REF"}
DEFAULT_SHELF_DAYS = 2


@dataclass(frozen=True)
class Replay:
    world: World
    demand: demand_model.Demand
    holds_replayed: int
    holds_left_out: int  # their title, library or pickup branch is no longer in the group


def from_db(*, seed: int, days: int = 365, end: dt.date | None = None) -> Replay:
    """The live group and its holds of the `days` before `end` (default today)."""
    end = end or timezone.localdate()
    start = end - dt.timedelta(days=days)
    rng = random.Random(f"onelibrary-simulation:{seed}:live")
    libraries = list(
        Library.objects.filter(items__isnull=False)
        .exclude(status__in=(Library.Status.APPLICANT, Library.Status.LEFT))
        .distinct()
        .order_by("code")
    )
    members = tuple(Member(lib.code, lib.name, lib.size_class) for lib in libraries)
    code_of = {lib.pk: lib.code for lib in libraries}
    branches: list[Branch] = []
    branch_index: dict[int, int] = {}
    for row in BranchRow.objects.filter(library__in=libraries).order_by("library__code", "code"):
        branch_index[row.pk] = len(branches)
        branches.append(
            Branch(
                id=len(branches),
                code=row.code,
                library=code_of[row.library_id],
                latitude=float(row.latitude) if row.latitude is not None else 0.0,
                longitude=float(row.longitude) if row.longitude is not None else 0.0,
                open_days=row.open_days,
            )
        )
    floats = {
        (code_of.get(lib), coll)
        for lib, coll in FloatRule.objects.filter(floats=True).values_list(
            "library_id", "collection"
        )
    }
    loans = Counter(
        dict(
            Loan.objects.filter(checked_out_at__date__gte=start, checked_out_at__date__lt=end)
            .values_list("item__title_id")
            .annotate(n=Count("pk"))
            .order_by()
        )
    )
    title_index: dict[int, int] = {}
    titles: list[Title] = []
    copies: list[CopyPlan] = []
    purchases: list[demand_model.Purchase] = []
    rows = (
        Item.objects.filter(owning_library__in=libraries, home_branch__isnull=False)
        .order_by("pk")
        .values_list(
            "title_id",
            "owning_library_id",
            "home_branch_id",
            "collection",
            "status",
            "acquired_on",
            "created_at",
        )
    )
    for title_id, owner_id, home_id, collection, status, acquired, created in rows:
        if home_id not in branch_index:
            continue  # shelved at a branch outside the group (it left)
        if title_id not in title_index:
            title_index[title_id] = len(titles)
            titles.append(Title(len(titles), 1.0 + loans[title_id], collection or "ADULT"))
        owner = code_of[owner_id]
        on = acquired or timezone.localtime(created).date()
        plan = CopyPlan(
            title=title_index[title_id],
            owner=owner,
            home=branch_index[home_id],
            collection=collection,
            created=on,
            status=_status(status),
            holdable=collection not in NOT_HOLDABLE,
            floating=(owner, collection) in floats or (owner, "") in floats,
        )
        if start < on < end:  # bought during the year: on the shelf on its day
            purchases.append(
                demand_model.Purchase((on - start).days, plan.title, owner, plan.home, collection)
            )
        else:
            copies.append(plan)
    patrons = [
        Patron(code_of[lib], branch_index[branch])
        for lib, branch in PatronRow.objects.filter(
            home_library__in=libraries, preferred_branch__isnull=False
        )
        .order_by("pk")
        .values_list("home_library_id", "preferred_branch_id")
        if branch in branch_index
    ]
    holds, left_out = _holds(rng, start, end, code_of, branch_index, title_index, patrons)
    world = World(
        members=members,
        branches=tuple(branches),
        titles=tuple(titles),
        copies=tuple(copies),
        patrons=tuple(patrons),
        start=start,
    )
    walkins = demand_model.plan_walkins(
        random.Random(f"onelibrary-simulation:{seed}:walkins"), world, days
    )
    replayed = demand_model.Demand(
        days=days,
        releases=(),
        purchases=tuple(purchases),
        holds=tuple(holds),
        walkins=tuple(walkins),
    )
    return Replay(world, replayed, len(holds), left_out)


def _status(status: str) -> str:
    if status in GONE:
        return "gone"
    if status in ON_SHELF:
        return "available"
    return status  # checked_out, in_transit, in_processing: as the engine knows them


def _holds(
    rng: random.Random,
    start: dt.date,
    end: dt.date,
    code_of: dict[int, str],
    branch_index: dict[int, int],
    title_index: dict[int, int],
    patrons: list[Patron],
) -> tuple[list[demand_model.HoldDemand], int]:
    """The year's holds as demand. Each (library, pickup branch) pair is one patron,
    added to `patrons` when no patron of that library prefers that branch."""
    stand_in: dict[tuple[str, int], int] = {}
    for i, p in enumerate(patrons):
        stand_in.setdefault((p.library, p.branch), i)
    found, left_out = [], 0
    rows = (
        Hold.objects.filter(placed_at__date__gte=start, placed_at__date__lt=end)
        .order_by("placed_at", "pk")
        .values_list(
            "placed_at",
            "title_id",
            "borrower_library_id",
            "pickup_branch_id",
            "shelf_since",
            "closed_at",
            "state",
        )
    )
    for placed, title, library, pickup, shelf, closed, state in rows:
        if title not in title_index or library not in code_of or pickup not in branch_index:
            left_out += 1
            continue
        key = (code_of[library], branch_index[pickup])
        if key not in stand_in:
            stand_in[key] = len(patrons)
            patrons.append(Patron(*key))
        delay = DEFAULT_SHELF_DAYS
        if state == Hold.State.FULFILLED and shelf is not None and closed is not None:
            delay = max(0, (closed - shelf).days)
        day = (timezone.localtime(placed).date() - start).days
        share = rng.uniform(0.35, 1.0)
        found.append(demand_model.HoldDemand(day, stand_in[key], title_index[title], delay, share))
    return found, left_out
