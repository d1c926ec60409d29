"""The plain data routing works on and answers with: copies, hold requests, the network of
pull and courier days, and the explanation of each decision. No ORM; imported by every
routing module (routing.py, routing_title.py, routing_rules.py, routing_text.py, …)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
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
    # For explanations only; missing names read "branch 12" and the library code.
    branch_names: Mapping[int, str] = field(default_factory=dict)
    library_names: Mapping[str, str] = field(default_factory=dict)


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
    candidates_not_shown: int = 0  # copies considered beyond the (at most 10) listed


@dataclass(frozen=True)
class Routing:
    assignments: Mapping[int, int]  # hold id -> copy id
    explanations: Mapping[int, Explanation]
