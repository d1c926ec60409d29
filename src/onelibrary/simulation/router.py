"""How the simulation meets `holds.routing`: the functions it calls, the load it passes,
and a check that routing kept its own rules (a run stops rather than count nonsense)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Protocol

from onelibrary.core.lending import lending_load  # net lending's one definition
from onelibrary.holds.inputs import LOAD_WINDOW_DAYS  # the lending load's days, as in routing
from onelibrary.holds.routing import Copy, Explanation, HoldRequest, Network, Routing

__all__ = ["LOAD_WINDOW_DAYS", "Router", "RoutingError", "check_assignments", "lending_load"]


class Router(Protocol):
    """The three functions of `holds.routing` the simulation calls."""

    def route(
        self,
        holds: Sequence[HoldRequest],
        copies: Sequence[Copy],
        network: Network,
        *,
        lending_load: Mapping[str, float],
        load_weight: float,
        today: dt.date,
    ) -> Routing: ...

    def nearest_copy(
        self,
        holds: Sequence[HoldRequest],
        copies: Sequence[Copy],
        network: Network,
        *,
        today: dt.date,
        seed: int = 0,
    ) -> Routing: ...

    def capture(
        self,
        copy: Copy,
        holds: Sequence[HoldRequest],
        network: Network,
        *,
        lending_load: Mapping[str, float],
        load_weight: float,
        today: dt.date,
    ) -> Explanation: ...


class RoutingError(RuntimeError):
    """Routing broke one of its own rules: the run stops rather than count nonsense."""


def check_assignments(
    assignments: Mapping[int, int], holds: Sequence[HoldRequest], copies: Sequence[Copy]
) -> None:
    title_of_hold = {h.id: h.title_id for h in holds}
    title_of_copy = {c.id: c.title_id for c in copies}
    given: dict[int, int] = {}
    for h, c in sorted(assignments.items()):
        if c in given:
            raise RoutingError(f"routing gave copy {c} to two holds, {given[c]} and {h}")
        if title_of_copy.get(c) is None or title_of_copy[c] != title_of_hold.get(h):
            raise RoutingError(
                f"routing gave hold {h} copy {c}: not an available copy of its title"
            )
        given[c] = h
