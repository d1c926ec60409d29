"""Who may fill what, and what it costs: the rules behind holds routing, in one place.

Used by `holds/routing.py`; see docs/holds/routing.md. Works on the routing dataclasses
but imports them only for type checking, so that routing.py can import this module.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from onelibrary.holds.routing_data import Copy, Network

NOT_HOLDABLE = "not holdable"
EXEMPT = "exempt from group holds"
NOT_AVAILABLE = "not available (on loan, in transit or on a hold shelf)"
DEFAULT_PULL_DAYS = 1.0


class RoutingRules:
    """Eligibility and cost parts for one routing run: the network, loads and today."""

    def __init__(
        self,
        network: Network,
        *,
        lending_load: Mapping[str, float],
        load_weight: float,
        today: dt.date,
    ) -> None:
        self.network = network
        self.today = today
        # Decimal from the policy table times a float would fail: work in floats.
        self.load_weight = float(load_weight)
        self._lending_load = lending_load
        self._owner_load: dict[str, float] = {}
        self._courier = network.courier_days
        self._pull = network.pull_days
        self._unknown = float(network.unknown_route_days)
        self._windows = network.local_window_days
        self._index: dict[int, int] = {}
        self._matrix: np.ndarray | None = None
        self._lookups = 0

    # -- eligibility ------------------------------------------------------------------------

    @staticmethod
    def blocked(copy: Copy) -> str | None:
        """Why this copy fills no hold at all, or None when it may take part."""
        if not copy.holdable:
            return NOT_HOLDABLE
        if copy.exempt:
            return EXEMPT
        if not copy.available:
            return NOT_AVAILABLE
        return None

    def window_until(self, copy: Copy) -> dt.date | None:
        """The first day the copy may fill other libraries' holds, while it is still in its
        owner's local-priority window; None when no window applies (missing or 0 days)."""
        days = self._windows.get(copy.owner, 0)
        if not days or days <= 0:
            return None
        until = copy.created + dt.timedelta(days=int(days))
        return until if self.today < until else None

    def window_days(self, owner: str) -> int:
        return int(self._windows.get(owner, 0) or 0)

    # -- cost parts -------------------------------------------------------------------------

    def pull(self, branch_id: int) -> float:
        return float(self._pull.get(branch_id, DEFAULT_PULL_DAYS))

    def courier(self, from_branch: int, to_branch: int) -> float:
        # A copy at the pickup branch goes from the shelf to the hold shelf: no trip.
        if from_branch == to_branch:
            return 0.0
        return float(self._courier.get((from_branch, to_branch), self._unknown))

    def owner_load(self, owner: str) -> float:
        """load_weight × the owner's lending balance: what lending one more copy costs."""
        load = self._owner_load.get(owner)
        if load is None:
            load = self.load_weight * float(self._lending_load.get(owner, 0.0))
            self._owner_load[owner] = load
        return load

    def load(self, owner: str, patron_library: str) -> float:
        # Filling a hold of the owner's own patron is not lending: no load term.
        return 0.0 if owner == patron_library else self.owner_load(owner)

    # -- names for explanations -------------------------------------------------------------

    def branch_name(self, branch_id: int) -> str:
        return self.network.branch_names.get(branch_id) or f"branch {branch_id}"

    def library_name(self, code: str) -> str:
        return self.network.library_names.get(code) or code

    # -- courier days in bulk, for large titles --------------------------------------------

    def courier_grid(self, origins: Sequence[int], destinations: Sequence[int]) -> np.ndarray:
        """Courier days from each origin (rows) to each destination (columns).

        Looked up one by one until the lookups of this run would cost more than building a
        dense matrix of the whole network once; from then on read from that matrix. So a
        run over one title stays cheap, and a run over the whole group pays once."""
        cells = len(origins) * len(destinations)
        if self._matrix is None and self._lookups + cells <= max(len(self._courier), 4096):
            self._lookups += cells
            courier = self.courier
            return np.array(
                [[courier(a, b) for b in destinations] for a in origins], dtype=np.float64
            ).reshape(len(origins), len(destinations))
        rows = self.branch_indices(origins)
        cols = self.branch_indices(destinations)
        return self.courier_matrix()[np.ix_(rows, cols)]

    def branch_indices(self, branch_ids: Iterable[int]) -> np.ndarray:
        """Rows of `courier_matrix()` for these branches (added to it when new)."""
        if self._matrix is None:
            self._build_matrix()
        index = self._index
        out = []
        for b in branch_ids:
            i = index.get(b)
            if i is None:
                i = self._add_branch(b)
            out.append(i)
        return np.asarray(out, dtype=np.intp)

    def courier_matrix(self) -> np.ndarray:
        """Courier days from row branch to column branch (0 on the diagonal)."""
        if self._matrix is None:
            self._build_matrix()
        assert self._matrix is not None
        return self._matrix

    def _build_matrix(self) -> None:
        ids: set[int] = set(self.network.branch_library)
        ids.update(self._pull)
        for a, b in self._courier:
            ids.add(a)
            ids.add(b)
        self._index = {b: i for i, b in enumerate(sorted(ids))}
        n = len(self._index)
        matrix = np.full((n, n), self._unknown, dtype=np.float64)
        if self._courier:
            index = self._index
            keys = list(self._courier)
            rows = np.fromiter((index[a] for a, _ in keys), dtype=np.intp, count=len(keys))
            cols = np.fromiter((index[b] for _, b in keys), dtype=np.intp, count=len(keys))
            days = np.fromiter((self._courier[k] for k in keys), dtype=np.float64, count=len(keys))
            matrix[rows, cols] = days
        np.fill_diagonal(matrix, 0.0)
        self._matrix = matrix

    def _add_branch(self, branch_id: int) -> int:
        # A branch the network does not know: unknown routes to and from it, none to itself.
        assert self._matrix is not None
        i = len(self._index)
        self._index[branch_id] = i
        grown = np.full((i + 1, i + 1), self._unknown, dtype=np.float64)
        grown[:i, :i] = self._matrix
        grown[i, i] = 0.0
        self._matrix = grown
        return i
