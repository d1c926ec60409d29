"""The figures a board reads from one run, overall and for each member's own patrons.

Days to shelf count whole days from the day a hold was placed to the day its copy was on
the pickup branch's hold shelf, for holds filled during the run. Lent and borrowed are net
lending's one definition (core.lending, docs/insights.md): loans — filled holds and
walk-ins — of a copy that belongs to another member than the patron's library.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from onelibrary.core import lending
from onelibrary.simulation.records import Outcome
from onelibrary.simulation.world import World

NEW_COPY_DAYS = 30  # "buying new books only to send them immediately to another library"


@dataclass(frozen=True)
class MemberFigures:
    code: str
    name: str
    size_class: str
    holds_filled: int  # for its own patrons
    mean_days_to_shelf: float | None  # None when none of its patrons' holds was filled
    p90_days_to_shelf: float | None
    lent: int
    borrowed: int
    lending_balance: float  # log((lent + 1) / (borrowed + 1)): above 0 lends more
    net_lent: int  # lent - borrowed


@dataclass(frozen=True)
class Figures:
    variant: str
    days: int
    holds_placed: int
    holds_filled: int
    holds_waiting: int  # placed, and no copy found by the end
    mean_days_to_shelf: float
    p90_days_to_shelf: float
    mean_days_waiting: float  # of those: until a copy was chosen (queue, windows)
    mean_days_moving: float  # and from then on: pull and courier (what routing chooses)
    courier_days_per_fill: float  # courier days of the trips that brought filled holds' copies
    courier_moves: int  # every trip: to a pickup branch, and home after a loan
    courier_moves_home: int
    captured_share: float  # fills found at a checkin desk rather than by nightly routing
    lending_balance: float  # mean |log((lent + 1) / (borrowed + 1))| over members
    largest_net_lender: int  # the largest lent - borrowed of any member
    largest_net_lender_library: str
    new_copies_lent: int  # fills of other members' patrons by copies under 30 days old
    walkin_loans: int
    members: tuple[MemberFigures, ...]

    def as_json(self) -> dict:
        data = asdict(self)
        data["members"] = [asdict(m) for m in self.members]
        return data


def percentile(values: Sequence[float], share: float) -> float:
    """Linear between closest ranks, as numpy's default and spreadsheets do."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = share * (len(ordered) - 1)
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def figures(outcome: Outcome, world: World) -> Figures:
    waits = [f.shelved - f.placed for f in outcome.fills]
    waits_of: defaultdict[str, list[int]] = defaultdict(list)
    for fill, wait in zip(outcome.fills, waits, strict=True):
        waits_of[fill.patron_library].append(wait)
    # Net lending's one definition (core.lending): hold fills and walk-in loans alike.
    lent, borrowed = lending.tally(
        [(f.owner, f.patron_library) for f in outcome.fills] + list(outcome.walkins_between)
    )
    members = []
    for member in world.members:
        own = waits_of[member.code]
        members.append(
            MemberFigures(
                code=member.code,
                name=member.name,
                size_class=member.size_class,
                holds_filled=len(own),
                mean_days_to_shelf=round(_mean(own), 3) if own else None,
                p90_days_to_shelf=round(percentile(own, 0.9), 3) if own else None,
                lent=lent[member.code],
                borrowed=borrowed[member.code],
                lending_balance=round(
                    lending.lending_balance(lent[member.code], borrowed[member.code]), 4
                ),
                net_lent=lending.net_lending(lent[member.code], borrowed[member.code]),
            )
        )
    top = max(members, key=lambda m: (m.net_lent, m.code)) if members else None
    filled = len(outcome.fills)
    return Figures(
        variant=outcome.policy.name,
        days=outcome.days,
        holds_placed=outcome.holds_placed,
        holds_filled=filled,
        holds_waiting=outcome.holds_waiting,
        mean_days_to_shelf=round(_mean(waits), 3),
        p90_days_to_shelf=round(percentile(waits, 0.9), 3),
        mean_days_waiting=round(_mean([f.chosen - f.placed for f in outcome.fills]), 3),
        mean_days_moving=round(_mean([f.shelved - f.chosen for f in outcome.fills]), 3),
        courier_days_per_fill=round(sum(f.courier_days for f in outcome.fills) / filled, 4)
        if filled
        else 0.0,
        courier_moves=outcome.moves_to_pickup + outcome.moves_home,
        courier_moves_home=outcome.moves_home,
        captured_share=round(sum(f.captured for f in outcome.fills) / filled, 4) if filled else 0.0,
        lending_balance=round(_mean([abs(m.lending_balance) for m in members]), 4),
        largest_net_lender=top.net_lent if top else 0,
        largest_net_lender_library=top.code if top else "",
        new_copies_lent=sum(
            1 for f in outcome.fills if f.owner != f.patron_library and f.copy_age < NEW_COPY_DAYS
        ),
        walkin_loans=outcome.walkin_loans,
        members=tuple(members),
    )
