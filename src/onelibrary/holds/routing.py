"""Routing holds: which copy fills which hold. Pure Python over plain data; no ORM.

See DESIGN.md, "Routing holds: the heart", and docs/holds/routing.md. All open holds of
a title are routed at once as a minimum-cost assignment of copies to holds:

- cost(copy, hold) = pull days at the copy's branch + courier days to the pickup branch
  + load_weight × the lending-load term of the copy's owner;
- only holdable, non-exempt, available copies take part, each filling one hold;
- a copy younger than its owner's local-priority window fills only its owner's patrons' holds;
- queue fairness: the oldest waiting hold of a title is never left unfilled while a newer
  hold of the same title is filled, when a copy could fill it;
- a copy already at the pickup branch costs no trip.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Copy:
    id: int
    title_id: int
    branch_id: int  # where it is now
    owner: str  # owning library code
    created: dt.date
    holdable: bool = True  # the item's flag and the resolved rule, together
    exempt: bool = False  # exempt from group holds (a sharing exemption reason applies)
    available: bool = True  # on the shelf, not on loan, in transit or on a hold shelf


@dataclass(frozen=True)
class HoldRequest:
    id: int
    title_id: int
    pickup_branch_id: int
    patron_library: str  # the patron's home library code
    placed_at: dt.datetime  # queue order: older first; ties by id
    item_id: int | None = None  # a hold on one specific copy


@dataclass(frozen=True)
class Network:
    """What a copy costs to move: stored as data in the database, passed in plain."""

    branch_library: Mapping[int, str]  # branch id -> library code
    courier_days: Mapping[tuple[int, int], float]  # (from branch, to branch) -> days; missing: far
    pull_days: Mapping[int, float] = field(
        default_factory=dict
    )  # branch -> days to pull; default 1
    local_window_days: Mapping[str, int] = field(default_factory=dict)  # library -> window days
    unknown_route_days: float = 14.0


@dataclass(frozen=True)
class CostParts:
    pull_days: float
    courier_days: float
    load: float

    @property
    def total(self) -> float:
        return self.pull_days + self.courier_days + self.load


@dataclass(frozen=True)
class Candidate:
    copy_id: int
    owner: str
    branch_id: int
    cost: CostParts | None  # None when the copy cannot fill this hold
    excluded_because: str = ""  # e.g. "in its owner's 30-day local-priority window"


@dataclass(frozen=True)
class Explanation:
    hold_id: int
    chosen_copy_id: int | None
    candidates: tuple[Candidate, ...]
    reason: str  # plain language: why this copy won, or why none could be chosen


@dataclass(frozen=True)
class Routing:
    assignments: Mapping[int, int]  # hold id -> copy id
    explanations: Mapping[int, Explanation]


def route(
    holds: Sequence[HoldRequest],
    copies: Sequence[Copy],
    network: Network,
    *,
    lending_load: Mapping[str, float],
    load_weight: float,
    today: dt.date,
) -> Routing:
    """Route every hold in `holds` (any number of titles) over `copies`."""
    raise NotImplementedError  # being written: see docs/holds/routing.md


def nearest_copy(
    holds: Sequence[HoldRequest],
    copies: Sequence[Copy],
    network: Network,
    *,
    today: dt.date,
    seed: int = 0,
) -> Routing:
    """The usual baseline: first come, first served, nearest available copy, ties at random."""
    raise NotImplementedError


def capture(
    copy: Copy,
    holds: Sequence[HoldRequest],
    network: Network,
    *,
    lending_load: Mapping[str, float],
    load_weight: float,
    today: dt.date,
) -> Explanation:
    """A copy checked in at `copy.branch_id`: the hold it should fill, under the same rules
    as `route` (a hold picked up here before a distant one; queue fairness kept)."""
    raise NotImplementedError
