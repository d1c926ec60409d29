"""The simulated group: branches, members, titles, copies and patrons as plain data.

Built from the demo plan (`demo.generator.build_plan`) or by hand in tests. Nothing here
touches the database; the engine keeps the changing state (where a copy is, who has it)
in its own lists, indexed like `World.copies`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from onelibrary.courier.distance import estimated_days
from onelibrary.holds.inputs import DEFAULT_PULL_DAYS
from onelibrary.holds.routing import Network

if TYPE_CHECKING:
    from onelibrary.demo.generator import DemoPlan

# The day every simulation starts: fixed, so a seed always gives the same figures.
START = dt.date(2026, 1, 5)

COURIER_UNKNOWN_DAYS = 14.0  # a branch without coordinates; the demo has none

# Copies of these demo statuses are out of circulation for the whole run.
GONE = frozenset({"missing", "lost", "damaged"})


@dataclass(frozen=True)
class Member:
    code: str
    name: str
    size_class: str  # city, large, medium, small, one_room


@dataclass(frozen=True)
class Branch:
    id: int  # its index in World.branches
    code: str
    library: str
    latitude: float
    longitude: float
    open_days: str = "1111111"  # seven digits, Monday first

    # What courier.distance.estimated_days reads from a members.Branch.
    @property
    def pk(self) -> int:
        return self.id

    @property
    def library_id(self) -> str:
        return self.library


@dataclass(frozen=True)
class Title:
    id: int  # its index in World.titles
    popularity: float  # 1 and up: how often patrons ask for it
    collection: str  # the collection its copies are shelved in (NEW, DVD, ...)


@dataclass(frozen=True)
class CopyPlan:
    """A copy as the run starts: `status` is available, checked_out, in_transit,
    in_processing (on the shelf a few days into the run), gone (never circulates), or
    on order (a purchase during the run: the engine shelves it on its day)."""

    title: int
    owner: str
    home: int  # branch id
    collection: str
    created: dt.date
    status: str = "available"
    holdable: bool = True
    floating: bool = False  # the owner floats this collection today


@dataclass(frozen=True)
class Patron:
    library: str
    branch: int  # preferred pickup branch id


@dataclass(frozen=True)
class World:
    members: tuple[Member, ...]
    branches: tuple[Branch, ...]
    titles: tuple[Title, ...]
    copies: tuple[CopyPlan, ...]
    patrons: tuple[Patron, ...]
    start: dt.date = START
    new_titles_per_year: int = 0  # releases the demand model adds during the run
    courier: Mapping[tuple[int, int], float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.courier:
            object.__setattr__(self, "courier", courier_matrix(self.branches))

    @property
    def collections(self) -> frozenset[str]:
        return frozenset(c.collection for c in self.copies) | {t.collection for t in self.titles}

    def member(self, code: str) -> Member:
        return next(m for m in self.members if m.code == code)

    def network(self, local_window_days: int, weekday: int) -> Network:
        """The network routing sees on a day of the week (pull days depend on it)."""
        return Network(
            branch_library={b.id: b.library for b in self.branches},
            courier_days=self.courier,
            pull_days={b.id: pull_days(b.open_days, weekday) for b in self.branches},
            local_window_days={m.code: local_window_days for m in self.members},
        )


def courier_days(a: Branch, b: Branch) -> float:
    """Expected courier days from one branch to another: the courier app's estimate from
    distance (`courier.distance.estimated_days`, DAYS-4: 0 at the same branch, 1 within one
    library, else 1 + great-circle km / 250 to the nearest half day), so that the
    simulation and `onelibrary courier-matrix` always agree."""
    days = estimated_days(a, b)
    return COURIER_UNKNOWN_DAYS if days is None else days


def courier_matrix(branches: Sequence[Branch]) -> dict[tuple[int, int], float]:
    return {(a.id, b.id): courier_days(a, b) for a in branches for b in branches}


def days_until_open(open_days: str, weekday: int) -> int:
    """0 when the branch is open on `weekday`, else the days until it next opens."""
    for wait in range(7):
        if open_days[(weekday + wait) % 7] == "1":
            return wait
    return 7


def pull_days(open_days: str, weekday: int) -> float:
    """What routing is told on a day: `holds.inputs.pull_days` (1 + days until open)."""
    return DEFAULT_PULL_DAYS + days_until_open(open_days, weekday)


def from_plan(plan: DemoPlan, *, start: dt.date = START) -> World:
    """The demo group as a simulated world. Applicants (no copies, no patrons) are left out."""
    libraries = [lib for lib in plan.libraries if lib.weight > 0]
    members = tuple(Member(lib.code, lib.name, lib.size_class) for lib in libraries)
    branches: list[Branch] = []
    for lib in libraries:
        for b in lib.branches:
            branches.append(
                Branch(
                    id=len(branches),
                    code=b.code,
                    library=lib.code,
                    latitude=float(b.latitude),
                    longitude=float(b.longitude),
                    open_days=b.open_days,
                )
            )
    branch_id = {b.code: b.id for b in branches}
    collection_of: dict[int, str] = {}
    copies = []
    for item in plan.items:
        collection_of.setdefault(item.title_index, item.collection)
        status = "gone" if item.status in GONE else item.status
        copies.append(
            CopyPlan(
                title=item.title_index,
                owner=item.library,
                home=branch_id[item.home_branch],
                collection=item.collection,
                created=start - dt.timedelta(days=item.age_days),
                status=status,
                holdable=item.holdable,
                floating=item.floating,
            )
        )
    titles = tuple(
        Title(i, t.popularity, collection_of.get(i, "ADULT")) for i, t in enumerate(plan.titles)
    )
    patrons = tuple(Patron(p.home_library, branch_id[p.preferred_branch]) for p in plan.patrons)
    return World(
        members=members,
        branches=tuple(branches),
        titles=titles,
        copies=tuple(copies),
        patrons=patrons,
        start=start,
        new_titles_per_year=round(len(titles) * 0.08),
    )
