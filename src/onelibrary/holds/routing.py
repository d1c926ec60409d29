"""Routing holds: which copy fills which hold. Pure Python over plain data; no ORM.

See DESIGN.md, "Routing holds: the heart", and docs/holds/routing.md. All open holds of
a title are routed at once as a minimum-cost assignment of copies to holds:

- cost(copy, hold) = pull days at the copy's branch + courier days to the pickup branch
  + load_weight × the lending-load term of the copy's owner (none when the owner fills
  its own patron's hold: that is not lending);
- only holdable, non-exempt, available copies take part, each filling one hold;
- a copy younger than its owner's local-priority window fills only its owner's patrons' holds;
- queue fairness: the oldest waiting hold of a title is never left unfilled while a newer
  hold of the same title is filled, when a copy could fill it;
- a copy already at the pickup branch costs no trip.

The work is done per title in routing_title.py (rules and costs in routing_rules.py,
reasons in routing_text.py, capture in routing_capture.py, the baseline in
routing_baseline.py); the data they share is in routing_data.py.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager

from onelibrary.holds.routing_baseline import nearest_copy as baseline
from onelibrary.holds.routing_capture import capture as capture_one
from onelibrary.holds.routing_data import (
    Candidate,
    Copy,
    CostParts,
    Explanation,
    HoldRequest,
    Network,
    Routing,
)
from onelibrary.holds.routing_rules import RoutingRules
from onelibrary.holds.routing_title import TitleRouting

__all__ = [
    "Candidate",
    "Copy",
    "CostParts",
    "Explanation",
    "HoldRequest",
    "Network",
    "Routing",
    "capture",
    "nearest_copy",
    "route",
    "route_titles",
]


def route(
    holds: Sequence[HoldRequest],
    copies: Sequence[Copy],
    network: Network,
    *,
    lending_load: Mapping[str, float],
    load_weight: float,
    today: dt.date,
) -> Routing:
    """Route every hold in `holds` (any number of titles) over `copies`.

    Copies of titles without a hold are skipped at once: the work grows with the holds.
    """
    with _collector_paused():
        _check_unique("hold", [h.id for h in holds])
        _check_unique("copy", [c.id for c in copies])
        by_title: dict[int, tuple[list[HoldRequest], list[Copy]]] = {}
        for h in holds:
            group = by_title.get(h.title_id)
            if group is None:
                group = by_title[h.title_id] = ([], [])
            group[0].append(h)
        for c in copies:
            group = by_title.get(c.title_id)
            if group is not None:
                group[1].append(c)
        return route_titles(
            by_title.values(),
            network,
            lending_load=lending_load,
            load_weight=load_weight,
            today=today,
        )


def route_titles(
    groups: Iterable[tuple[Sequence[HoldRequest], Sequence[Copy]]],
    network: Network,
    *,
    lending_load: Mapping[str, float],
    load_weight: float,
    today: dt.date,
) -> Routing:
    """`route`, given the open holds and the copies title by title: one (holds, copies)
    pair per title, read lazily, so a caller can stream titles from the database and
    never load the copies of titles nobody is waiting for."""

    rules = RoutingRules(network, lending_load=lending_load, load_weight=load_weight, today=today)
    assignments: dict[int, int] = {}
    explanations: dict[int, Explanation] = {}
    with _collector_paused():
        for holds, copies in groups:
            if not holds:
                continue
            for hold, explanation in TitleRouting(holds, copies, rules).run():
                explanations[hold.id] = explanation
                if explanation.chosen_copy_id is not None:
                    assignments[hold.id] = explanation.chosen_copy_id
    return Routing(assignments=assignments, explanations=explanations)


def nearest_copy(
    holds: Sequence[HoldRequest],
    copies: Sequence[Copy],
    network: Network,
    *,
    today: dt.date,
    seed: int = 0,
) -> Routing:
    """The usual baseline: first come, first served, nearest available copy, ties at random."""

    with _collector_paused():
        _check_unique("hold", [h.id for h in holds])
        _check_unique("copy", [c.id for c in copies])
        return baseline(holds, copies, network, today=today, seed=seed)


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
    as `route` (a hold picked up here before a distant one; queue fairness kept).

    `route` with this copy as the title's only copy: the oldest hold of its title that it
    may fill gets it, so a hold for pickup here goes first only over newer holds. Pass the
    copy as it is once checked in (available). When it fills no hold, the explanation has
    chosen_copy_id None and hold_id 0, and its reason says why.
    """

    rules = RoutingRules(network, lending_load=lending_load, load_weight=load_weight, today=today)
    return capture_one(copy, holds, rules)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Routing a large group builds millions of small objects, none in a reference cycle;
    the cycle collector would walk them again and again (it tripled the time of a pass).
    Paused while routing, and switched back on after, unless it was off already."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _check_unique(what: str, ids: list[int]) -> None:
    if len(set(ids)) == len(ids):
        return
    seen: set[int] = set()
    for i in ids:
        if i in seen:
            raise ValueError(f"{what} {i} is given twice: each {what} may be routed once.")
        seen.add(i)
