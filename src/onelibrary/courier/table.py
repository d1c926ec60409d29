"""The table of expected courier days: every ordered pair of branches × every ship date
of a horizon, computed at once from a `schedule.Network` with numpy, so that a lookup is
an index into a byte string (docs/courier.md, "The table").

It follows the rules of `schedule.expected` (COURIER-1 to COURIER-5) exactly; the tests
compare the two on random networks. Days are whole days, stored one byte each
(NO_ROUTE = 255 when there is no route within MAX_DAYS).

How: days are numbered k = 0 .. K-1 from the table's first date. For each route and each
day a van could bring an item to that route's hubs (k), the earliest delivery day at
every branch is found by relaxing the small hub graph with whole vectors over k; a
sender's answer is then the row for the day its pickup happens, the best over the
routes that serve it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from onelibrary.courier.schedule import MAX_DAYS, Network, RouteSpec

NO_ROUTE = 255
HORIZON_DAYS = 70  # ship dates covered: the table's first date and the 69 after it


def _weekday_mask(days: str, weekdays: np.ndarray) -> np.ndarray:
    flags = np.array([c == "1" for c in days], dtype=bool)
    return flags[weekdays]


def _next_on_or_after(mask: np.ndarray, inf: int) -> np.ndarray:
    """For each k (last axis), the first k' >= k where mask is true; `inf` when none.
    The result has one more column, at index `inf`, which is `inf` itself."""
    k = mask.shape[-1]
    idx = np.where(mask, np.arange(k, dtype=np.int32), inf).astype(np.int32)
    out = np.minimum.accumulate(idx[..., ::-1], axis=-1)[..., ::-1]
    pad = np.full((*mask.shape[:-1], 1), inf, dtype=np.int32)
    return np.concatenate([out, pad], axis=-1)


def _next_after(mask: np.ndarray, inf: int) -> np.ndarray:
    """For each k, the first k' > k where mask is true (index `inf` maps to `inf`)."""
    ge = _next_on_or_after(mask, inf)
    shifted = np.concatenate([ge[..., 1:], ge[..., -1:]], axis=-1)
    return shifted


@dataclass
class CourierTable:
    """Expected days for every (sender, receiver, ship date) of the horizon."""

    first: dt.date
    horizon: int
    branch_ids: tuple[int, ...]
    index: dict[int, int]
    data: bytes  # [date k][sender i][receiver j], one byte each

    @property
    def size(self) -> int:
        return len(self.branch_ids)

    def covers(self, on: dt.date) -> bool:
        return 0 <= (on - self.first).days < self.horizon

    def days(self, sender_id: int, receiver_id: int, on: dt.date) -> int | None:
        """Whole days, or None for no route. KeyError for a date outside the horizon or a
        branch the table does not know (callers fall back to schedule.expected)."""
        k = on.toordinal() - self._first_ordinal
        if not 0 <= k < self.horizon:
            raise KeyError(on)
        value = self.data[k * self._square + self._row_start[sender_id] + self.index[receiver_id]]
        return None if value == NO_ROUTE else value

    def matrix(self, on: dt.date) -> np.ndarray:
        """The whole [sender][receiver] matrix for one ship date, in `branch_ids` order
        (a read-only view: NO_ROUTE where there is no route)."""
        k = (on - self.first).days
        if not 0 <= k < self.horizon:
            raise KeyError(on)
        n = self.size
        return np.frombuffer(self.data, dtype=np.uint8, count=n * n, offset=k * n * n).reshape(n, n)

    def days_for(self, senders: np.ndarray, receivers: np.ndarray, on: dt.date) -> np.ndarray:
        """The bulk lookup: days for each (senders[n], receivers[n]) pair of branch ids on
        one ship date, as an int16 array with -1 for no route (and for a branch the table
        does not know). KeyError for a date outside the horizon."""
        matrix = self.matrix(on)
        rows = self._positions[np.clip(senders, 0, len(self._positions) - 1)]
        cols = self._positions[np.clip(receivers, 0, len(self._positions) - 1)]
        known = (rows >= 0) & (cols >= 0) & (senders < len(self._positions))
        known &= receivers < len(self._positions)
        found = matrix[np.where(known, rows, 0), np.where(known, cols, 0)].astype(np.int16)
        found[found == NO_ROUTE] = -1
        found[~known] = -1
        return found

    def __post_init__(self) -> None:
        self._first_ordinal = self.first.toordinal()
        n = len(self.branch_ids)
        self._square = n * n
        self._row_start = {branch_id: i * n for branch_id, i in self.index.items()}
        # Branch id -> row in the matrices (-1: not in the table), for the bulk lookup.
        top = max(self.branch_ids, default=0)
        self._positions = np.full(top + 1, -1, dtype=np.int64)
        for branch_id, i in self.index.items():
            self._positions[branch_id] = i


def build(network: Network, first: dt.date, horizon: int = HORIZON_DAYS) -> CourierTable:
    branch_ids = tuple(sorted(network.branches))
    index = {b: i for i, b in enumerate(branch_ids)}
    n = len(branch_ids)
    span = horizon + MAX_DAYS + 2  # every day an answer for the horizon can reach
    inf = span
    dates = [first + dt.timedelta(days=k) for k in range(span)]
    weekdays = np.array([d.weekday() for d in dates], dtype=np.int64)

    is_open = np.zeros((n, span), dtype=bool)
    for b, i in index.items():
        cal = network.branches[b]
        is_open[i] = _weekday_mask(cal.open_days, weekdays)
        for day in cal.closed:
            k = (day - first).days
            if 0 <= k < span:
                is_open[i, k] = False

    routes = [r for r in network.routes if any(s.branch_id in index for s in r.stops)]
    routes += [r for r in network.routes if r not in routes and r.hubs]
    # Per route: its stops' branch indexes, the next-pickup and next-delivery day arrays.
    stop_rows: dict[str, np.ndarray] = {}
    pickup: dict[str, np.ndarray] = {}
    deliver: dict[str, np.ndarray] = {}
    run_after: dict[str, np.ndarray] = {}
    for route in routes:
        runs = _weekday_mask(route.days, weekdays)
        stops = [s for s in route.stops if s.branch_id in index]
        rows = np.array([index[s.branch_id] for s in stops], dtype=np.int64)
        served = np.zeros((len(stops), span), dtype=bool)
        for j, stop in enumerate(stops):
            served[j] = _weekday_mask(stop.days, weekdays) & runs & is_open[rows[j]]
        stop_rows[route.code] = rows
        pickup[route.code] = _next_on_or_after(served, inf)
        deliver[route.code] = _next_after(served, inf)
        run_after[route.code] = _next_after(runs[None, :], inf)[0]

    hubs_of = {r.code: [h for h in r.hubs if h in network.hubs] for r in routes}
    routes_at: dict[str, list[str]] = {}
    for code, hubs in hubs_of.items():
        for h in hubs:
            routes_at.setdefault(h, []).append(code)

    ks = np.arange(span + 1, dtype=np.int32)
    # reach[R] = [receiver][k]: earliest delivery for an item the van of R picked up on k.
    reach: dict[str, np.ndarray] = {}
    for start in routes:
        best = np.full((n, span + 1), inf, dtype=np.int32)
        rows = stop_rows[start.code]
        if len(rows):
            best[rows] = np.minimum(best[rows], deliver[start.code][:, ks])  # COURIER-2
        for (hub, via), at in _hub_arrivals(start, hubs_of, routes_at, run_after, network, ks):
            for code in routes_at[hub]:
                ready = at if code == via else _later(at, network.hubs[hub].transfer_days, inf)
                rows = stop_rows[code]
                if len(rows):  # a route calls at a branch once: no repeated rows
                    best[rows] = np.minimum(best[rows], deliver[code][:, ready])  # COURIER-3
        reach[start.code] = best

    arrival = np.full((horizon, n, n), inf, dtype=np.int16)  # span < 32767
    for route in routes:
        rows = stop_rows[route.code]
        for j, i in enumerate(rows):
            picked = pickup[route.code][j, :horizon]  # COURIER-1
            np.minimum(arrival[:, i, :], reach[route.code][:, picked].T, out=arrival[:, i, :])
    days = arrival - np.arange(horizon, dtype=np.int16)[:, None, None]
    days[(arrival >= inf) | (days > MAX_DAYS)] = NO_ROUTE
    days[:, np.arange(n), np.arange(n)] = 0  # COURIER-4
    return CourierTable(
        first=first,
        horizon=horizon,
        branch_ids=branch_ids,
        index=index,
        data=days.astype(np.uint8).tobytes(),
    )


def _later(at: np.ndarray, days: int, inf: int) -> np.ndarray:
    return np.minimum(at + days, inf).astype(np.int32)


def _hub_arrivals(
    start: RouteSpec,
    hubs_of: dict[str, list[str]],
    routes_at: dict[str, list[str]],
    run_after: dict[str, np.ndarray],
    network: Network,
    ks: np.ndarray,
) -> Sequence[tuple[tuple[str, str], np.ndarray]]:
    """Earliest day at each (hub, route it came on) for an item picked up by `start`'s van
    on each day k: Bellman-Ford over the hub graph, a vector over k at a time (arrival
    days only grow along a leg, so earlier in is never later out)."""
    inf = len(ks) - 1
    at: dict[tuple[str, str], np.ndarray] = {
        (h, start.code): ks.copy() for h in hubs_of[start.code]
    }
    changed = set(at)
    while changed:
        now = changed
        changed = set()
        for hub, via in now:
            here = at[hub, via]
            for code in routes_at[hub]:
                ready = here if code == via else _later(here, network.hubs[hub].transfer_days, inf)
                moved = run_after[code][ready]
                for other in hubs_of[code]:
                    if other == hub:
                        continue
                    key = (other, code)
                    old = at.get(key)
                    if old is None:
                        at[key] = moved.copy()
                        changed.add(key)
                    elif (moved < old).any():
                        np.minimum(old, moved, out=old)
                        changed.add(key)
    return list(at.items())
