"""The small routing world the routing tests share, and independent oracles for them.

Mirrors the test world in tests/README.md, as plain routing data (no database):

| branch | id | library | pull days |
|---|---|---|---|
| Riverton Main | 1 | RIV (Riverton City Library) | 1.0 |
| Riverton East | 2 | RIV | 1.0 |
| Pine Creek | 3 | PINE (Pine Creek Library, one room) | 2.0 (open three days a week) |
| Elk Valley | 4 | ELK (Elk Valley Library) | 1.0 |

Courier days: within Riverton 1; Riverton–Pine 2; Riverton–Elk 2; Pine–Elk 3.
Local-priority windows: the group's 30 days at RIV and PINE; ELK shortened its own to 14.

The oracles re-state the rules from the issue in the plainest way, without the
routing modules, so that the property tests check the code against the words.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping, Sequence

import networkx as nx

from onelibrary.holds.routing import Copy, HoldRequest, Network

TODAY = dt.date(2024, 6, 1)
T0 = dt.datetime(2024, 5, 1, 9, 0)
RIV_MAIN, RIV_EAST, PINE, ELK = 1, 2, 3, 4

_RIVERTON_PINE, _RIVERTON_ELK, _PINE_ELK = 2.0, 2.0, 3.0
_DAYS = {
    (RIV_MAIN, RIV_EAST): 1.0,
    (RIV_MAIN, PINE): _RIVERTON_PINE,
    (RIV_EAST, PINE): _RIVERTON_PINE,
    (RIV_MAIN, ELK): _RIVERTON_ELK,
    (RIV_EAST, ELK): _RIVERTON_ELK,
    (PINE, ELK): _PINE_ELK,
}
COURIER = _DAYS | {(b, a): d for (a, b), d in _DAYS.items()}

WORLD = Network(
    branch_library={RIV_MAIN: "RIV", RIV_EAST: "RIV", PINE: "PINE", ELK: "ELK"},
    courier_days=COURIER,
    pull_days={PINE: 2.0},
    local_window_days={"RIV": 30, "PINE": 30, "ELK": 14},
    branch_names={
        RIV_MAIN: "Riverton Main",
        RIV_EAST: "Riverton East",
        PINE: "Pine Creek",
        ELK: "Elk Valley",
    },
    library_names={"RIV": "Riverton", "PINE": "Pine Creek", "ELK": "Elk Valley"},
)
LIBRARY = dict(WORLD.branch_library)
OLD = dt.date(2020, 1, 1)  # long out of any window


def copy(
    copy_id: int, branch: int, *, title: int = 1, created: dt.date = OLD, **flags: bool
) -> Copy:
    return Copy(copy_id, title, branch, LIBRARY[branch], created, **flags)


def hold(
    hold_id: int,
    pickup: int,
    *,
    patron: str | None = None,
    title: int = 1,
    minutes: int | None = None,
    item: int | None = None,
) -> HoldRequest:
    """A hold placed `minutes` after T0 (default: its id), by a patron of `patron`
    (default: the pickup branch's library)."""
    placed = T0 + dt.timedelta(minutes=hold_id if minutes is None else minutes)
    return HoldRequest(hold_id, title, pickup, patron or LIBRARY[pickup], placed, item)


# -- oracles ---------------------------------------------------------------------------------


def may_fill(c: Copy, h: HoldRequest, network: Network, today: dt.date) -> bool:
    if not c.holdable or c.exempt or not c.available or c.title_id != h.title_id:
        return False
    if h.item_id is not None and h.item_id != c.id:
        return False
    window = network.local_window_days.get(c.owner, 0)
    young = (today - c.created).days < window
    return not (window > 0 and young and h.patron_library != c.owner)


def cost(
    c: Copy, h: HoldRequest, network: Network, loads: Mapping[str, float], weight: float
) -> float:
    pull = network.pull_days.get(c.branch_id, 1.0)
    if c.branch_id == h.pickup_branch_id:
        courier = 0.0
    else:
        courier = network.courier_days.get(
            (c.branch_id, h.pickup_branch_id), network.unknown_route_days
        )
    load = 0.0 if c.owner == h.patron_library else weight * loads.get(c.owner, 0.0)
    return pull + courier + load


def queue(holds: Sequence[HoldRequest]) -> list[HoldRequest]:
    return sorted(holds, key=lambda h: (h.placed_at, h.id))


def max_fillable(
    holds: Sequence[HoldRequest], copies: Sequence[Copy], network: Network, today: dt.date
) -> int:
    """How many of `holds` can be filled at once: a bipartite maximum matching."""
    graph = nx.Graph()
    left = [("h", h.id) for h in holds]
    graph.add_nodes_from(left)
    graph.add_nodes_from(("c", c.id) for c in copies)
    for h in holds:
        for c in copies:
            if may_fill(c, h, network, today):
                graph.add_edge(("h", h.id), ("c", c.id))
    matching = nx.bipartite.hopcroft_karp_matching(graph, top_nodes=left)
    return sum(1 for node in left if node in matching)


def fair_holds(
    holds: Sequence[HoldRequest], copies: Sequence[Copy], network: Network, today: dt.date
) -> list[int]:
    """The oldest-first set: a hold is in when it and the older ones in can all be filled."""
    chosen: list[HoldRequest] = []
    for h in queue(holds):
        if max_fillable([*chosen, h], copies, network, today) == len(chosen) + 1:
            chosen.append(h)
    return [h.id for h in chosen]


def least_total(
    fill: Sequence[HoldRequest],
    copies: Sequence[Copy],
    network: Network,
    loads: Mapping[str, float],
    weight: float,
    today: dt.date,
) -> float:
    """Brute force: the fewest total days over the assignments that fill all of `fill`."""
    best = float("inf")
    for chosen in itertools.permutations(copies, len(fill)):
        if all(may_fill(c, h, network, today) for c, h in zip(chosen, fill, strict=True)):
            total = sum(
                cost(c, h, network, loads, weight) for c, h in zip(chosen, fill, strict=True)
            )
            best = min(best, total)
    return best


def least_total_flow(
    fill: Sequence[HoldRequest],
    copies: Sequence[Copy],
    network: Network,
    loads: Mapping[str, float],
    weight: float,
    today: dt.date,
) -> float:
    """The same by networkx min-cost flow, for instances too big to enumerate. Costs must
    be multiples of 1/4 (the flow works in integers)."""
    graph = nx.DiGraph()
    graph.add_node("sink", demand=len(fill))
    for h in fill:
        graph.add_node(("h", h.id), demand=-1)
        for c in copies:
            if may_fill(c, h, network, today):
                weight4 = cost(c, h, network, loads, weight) * 4
                assert weight4 == int(weight4)
                graph.add_edge(("h", h.id), ("c", c.id), capacity=1, weight=int(weight4))
    for c in copies:
        graph.add_edge(("c", c.id), "sink", capacity=1, weight=0)
    flow = nx.min_cost_flow(graph)
    return nx.cost_of_flow(graph, flow) / 4
