"""What a run records: each filled hold, and the run's totals. Figures are read from these."""

from __future__ import annotations

from dataclasses import dataclass

from onelibrary.simulation.policy import Policy


@dataclass(frozen=True)
class Fill:
    hold: int
    patron_library: str
    owner: str
    placed: int  # day
    shelved: int  # day
    courier_days: float  # of the trip that brought the copy (0 when it was there)
    captured: bool  # filled at a checkin desk rather than by the nightly routing
    chosen: int  # day the copy was chosen (routed at night, or captured at a checkin)
    copy_age: int  # days since the copy was added, when it was chosen


@dataclass(frozen=True)
class Outcome:
    policy: Policy
    days: int
    members: tuple[str, ...]
    fills: tuple[Fill, ...]
    holds_placed: int
    holds_waiting: int  # still without a copy when the run ends
    moves_to_pickup: int
    moves_home: int
    courier_days_home: float
    walkin_loans: int
    # (owner, walk-in patron's library) of each walk-in loan of another member's copy:
    # lent and borrowed count them as they count hold fills (core.lending).
    walkins_between: tuple[tuple[str, str], ...] = ()
