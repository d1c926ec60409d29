"""Routing the open holds of one title: which holds are filled, by which copies, and why.

Three steps (docs/holds/routing.md):

1. Fairness: walk the holds oldest first and take each one that can be filled together
   with the holds already taken (`fair_set`). The holds a set of copies can fill form a
   transversal matroid, so this greedy walk gives the largest set of holds, and the one
   that never leaves an older hold unfilled for a newer one.
2. Cost: among the assignments that fill exactly that set, the one with the fewest total
   days (pull + courier + load) — `linear_sum_assignment`, skipped when each hold's
   cheapest copy is a different copy (then that is optimal).
3. Explanations: for each hold, the candidates with their costs and a plain reason.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.optimize import linear_sum_assignment

from onelibrary.holds import routing_text as text
from onelibrary.holds.routing_data import Candidate, Copy, CostParts, Explanation, HoldRequest
from onelibrary.holds.routing_rules import RoutingRules

SHOWN = 10  # candidates listed in one explanation; the rest are counted
VECTOR_MIN = 256  # holds × copies from which costs are computed with numpy
CHUNK_CELLS = 2_000_000  # cost-matrix cells computed at once for a large title
INF = float("inf")

# A hold's cheapest eligible copies: copy indices, then their pull, courier and load parts.
Ranked = tuple[Sequence[int], Sequence[float], Sequence[float], Sequence[float]]


def queue_key(hold: HoldRequest) -> tuple[object, int]:
    return (hold.placed_at, hold.id)


def fair_set(
    holds: Sequence[HoldRequest], usable: Sequence[Copy], windowed: list[bool]
) -> list[int]:
    """Indices of the holds to fill, oldest first: a hold is taken when it can be filled
    together with every older hold already taken.

    The test is exact and O(1) per hold because eligibility has a simple shape: a copy
    outside any local-priority window ("open") fills any hold of the title, a copy in its
    window fills only its owner's patrons' holds, and a hold on one item only that item.
    Item holds take their copy; the other holds are feasible exactly when
    sum over libraries L of max(0, demand[L] - windowed copies of L left) <= open copies left.
    """
    open_left = windowed.count(False)
    own_left: dict[str, int] = {}
    for c, w in zip(usable, windowed, strict=True):
        if w:
            own_left[c.owner] = own_left.get(c.owner, 0) + 1
    index = {c.id: j for j, c in enumerate(usable)}
    claimed: set[int] = set()
    demand: dict[str, int] = {}
    excess = 0  # general holds that must take open copies
    taken: list[int] = []
    room = len(usable)
    for i, h in enumerate(holds):
        if len(taken) == room:
            break
        if h.item_id is None:
            lib = h.patron_library
            d = demand.get(lib, 0)
            step = 1 if d >= own_left.get(lib, 0) else 0
            if excess + step > open_left:
                continue
            demand[lib] = d + 1
            excess += step
        else:
            j = index.get(h.item_id)
            if j is None or j in claimed:
                continue
            if windowed[j]:
                lib = usable[j].owner
                if h.patron_library != lib:
                    continue
                step = 1 if demand.get(lib, 0) >= own_left[lib] else 0
                if excess + step > open_left:
                    continue
                own_left[lib] -= 1
                excess += step
            else:
                if excess > open_left - 1:
                    continue
                open_left -= 1
            claimed.add(j)
        taken.append(i)
    return taken


def assign(costs: np.ndarray) -> list[int]:
    """Column for each row of a rows ≤ columns cost matrix (inf: not allowed), total least."""
    rows, cols = costs.shape
    best = costs.argmin(axis=1)
    if len(set(best.tolist())) == rows:
        return best.tolist()  # every row has its own cheapest column: optimal
    keep = np.arange(cols)
    if cols > 2 * rows:
        # Exact pruning: some optimal assignment uses only each row's `rows` cheapest columns
        # (a row outside them finds one of them free, no dearer).
        keep = np.unique(np.argpartition(costs, rows - 1, axis=1)[:, :rows])
        costs = costs[:, keep]
    r, c = linear_sum_assignment(costs)
    out = [0] * rows
    for row, col in zip(r.tolist(), c.tolist(), strict=True):
        out[row] = int(keep[col])
    return out


def _cheapest(costs: np.ndarray) -> np.ndarray:
    """Per row, the columns of the SHOWN least costs in order, ties to the lower column:
    the same as a stable full sort, in time linear in the row."""
    kth = np.partition(costs, SHOWN - 1, axis=1)[:, SHOWN - 1 : SHOWN]
    below = costs < kth
    tied = costs == kth
    room = SHOWN - below.sum(axis=1, keepdims=True)
    pick = below | (tied & (np.cumsum(tied, axis=1) <= room))
    top = np.nonzero(pick)[1].reshape(len(costs), SHOWN)  # row by row, columns ascending
    order = np.argsort(np.take_along_axis(costs, top, axis=1), axis=1, kind="stable")
    return np.take_along_axis(top, order, axis=1)


class TitleRouting:
    """One title: holds in queue order, copies by id; `run` routes them once."""

    def __init__(
        self, holds: Sequence[HoldRequest], copies: Sequence[Copy], rules: RoutingRules
    ) -> None:
        self.rules = rules
        self.holds = sorted(holds, key=queue_key)
        self.n_copies = len(copies)
        self.usable: list[Copy] = []
        self.blocked: list[tuple[Copy, str]] = []
        for c in sorted(copies, key=lambda c: c.id):
            why = rules.blocked(c)
            if why is None:
                self.usable.append(c)
            else:
                self.blocked.append((c, why))
        self.until = [rules.window_until(c) for c in self.usable]
        self.windowed = [u is not None for u in self.until]
        self.index = {c.id: j for j, c in enumerate(self.usable)}
        self.pull = [rules.pull(c.branch_id) for c in self.usable]
        self.open_js = [j for j, w in enumerate(self.windowed) if not w]
        self.own_js: dict[str, list[int]] = {}
        for j, w in enumerate(self.windowed):
            if w:
                self.own_js.setdefault(self.usable[j].owner, []).append(j)
        self.chosen: list[int | None] = [None] * len(self.holds)
        self.holder: list[int | None] = [None] * len(self.usable)
        # Per hold: its cheapest eligible copies in order (at most SHOWN), with their cost
        # parts, and how many copies may fill it in all.
        self.ranked: list[Ranked] = []
        self.n_eligible: list[int] = []
        self.for_older: list[int] | None = None  # eligible copies filling older holds
        self._totals: dict[int, dict[int, float]] = {}
        self._shown: dict[tuple[int, str], tuple[Candidate, ...]] = {}
        self._excluded: dict[str, tuple[tuple[Candidate, ...], list[str]]] = {}
        self._reasons: dict[object, str] = {}

    # -- routing ----------------------------------------------------------------------------

    def run(self) -> list[tuple[HoldRequest, Explanation]]:
        taken = fair_set(self.holds, self.usable, self.windowed)
        everyone = list(range(len(self.holds)))
        if len(self.holds) * len(self.usable) >= VECTOR_MIN:
            self._prepare_numpy()
            if taken:
                self._choose(taken, assign(self._matrix(taken)[0]))
            self._vector_rank(everyone)
        else:
            self._scalar_rank(everyone, taken)
            if len(taken) == 1:
                self._choose(taken, [self.ranked[taken[0]][0][0]])
            elif taken:
                matrix = np.full((len(taken), len(self.usable)), INF)
                for r, i in enumerate(taken):
                    for j, total in self._totals[i].items():
                        matrix[r, j] = total
                self._choose(taken, assign(matrix))
        return [(h, self._explain(i)) for i, h in enumerate(self.holds)]

    def _choose(self, rows: list[int], columns: list[int]) -> None:
        for i, j in zip(rows, columns, strict=True):
            self.chosen[i] = j
            self.holder[j] = i

    def eligible(self, h: HoldRequest) -> list[int]:
        if h.item_id is None:
            own = self.own_js.get(h.patron_library)
            return self.open_js + own if own else self.open_js
        j = self.index.get(h.item_id)
        if j is None or (self.windowed[j] and self.usable[j].owner != h.patron_library):
            return []
        return [j]

    def _scalar_rank(self, rows: list[int], taken: list[int]) -> None:
        courier, owner_load = self.rules.courier, self.rules.owner_load
        places = [(c.branch_id, c.owner) for c in self.usable]
        pull = self.pull
        keep_totals = set(taken) if len(taken) > 1 else set()
        for i in rows:
            h = self.holds[i]
            to, lib = h.pickup_branch_id, h.patron_library
            entries = []
            for j in self.eligible(h):
                branch, owner = places[j]
                p = pull[j]
                d = courier(branch, to)
                load = 0.0 if owner == lib else owner_load(owner)
                entries.append((p + d + load, j, p, d, load))
            entries.sort()
            if entries:
                _, js, pulls, couriers, loads = zip(*entries[:SHOWN], strict=True)
                self.ranked.append((js, pulls, couriers, loads))
            else:
                self.ranked.append(((), (), (), ()))
            self.n_eligible.append(len(entries))
            if i in keep_totals:
                self._totals[i] = {e[1]: e[0] for e in entries}

    def _prepare_numpy(self) -> None:
        rules = self.rules
        branches = np.asarray([c.branch_id for c in self.usable], dtype=np.int64)
        self._origins, self._copy_branch = np.unique(branches, return_inverse=True)
        self._pull_np = np.asarray(self.pull, dtype=np.float64)
        self._load_np = np.asarray([rules.owner_load(c.owner) for c in self.usable], dtype=float)
        self._codes: dict[str, int] = {}
        self._owner_code = np.asarray(
            [self._codes.setdefault(c.owner, len(self._codes)) for c in self.usable], dtype=int
        )
        self._windowed_np = np.asarray(self.windowed, dtype=bool)

    def _matrix(self, rows: list[int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Costs of rows × usable copies (inf where the copy may not fill the hold), the
        courier days from each copy branch (rows) to each row's pickup (columns), and the
        rows' library codes."""
        holds = [self.holds[i] for i in rows]
        pickups = np.asarray([h.pickup_branch_id for h in holds], dtype=np.int64)
        places, pickup = np.unique(pickups, return_inverse=True)
        grid = self.rules.courier_grid(self._origins.tolist(), places.tolist())
        lib = np.asarray([self._codes.get(h.patron_library, -1) for h in holds], dtype=int)
        own = lib[:, None] == self._owner_code[None, :]
        courier = grid[self._copy_branch[None, :], pickup[:, None]]
        # Summed in the order CostParts.total sums, so that the figures agree to the bit.
        costs = self._pull_np[None, :] + courier
        costs += np.where(own, 0.0, self._load_np[None, :])
        allowed = own | ~self._windowed_np[None, :]
        for r, h in enumerate(holds):
            if h.item_id is not None:
                j = self.index.get(h.item_id)
                keep = j is not None and bool(allowed[r, j])
                allowed[r, :] = False
                if keep:
                    allowed[r, j] = True
        costs[~allowed] = INF
        return costs, grid[:, pickup], lib

    def _vector_rank(self, rows: list[int]) -> None:
        n = len(self.usable)
        holder = np.asarray([len(self.holds) if k is None else k for k in self.holder])
        self.for_older = []
        step = max(1, CHUNK_CELLS // max(n, 1))
        for start in range(0, len(rows), step):
            part = rows[start : start + step]
            costs, courier, lib = self._matrix(part)
            ok = np.isfinite(costs)
            counts = ok.sum(axis=1).tolist()
            self.n_eligible.extend(counts)
            older = ok & (holder[None, :] < np.asarray(part)[:, None])
            self.for_older.extend(older.sum(axis=1).tolist())
            top = _cheapest(costs) if n > SHOWN else np.argsort(costs, axis=1, kind="stable")
            pulls = self._pull_np[top].tolist()
            couriers = np.take_along_axis(courier.T, self._copy_branch[top], axis=1)
            own = lib[:, None] == self._owner_code[top]
            loads = np.where(own, 0.0, self._load_np[top]).tolist()
            for r, (js, count) in enumerate(zip(top.tolist(), counts, strict=True)):
                self.ranked.append(
                    (js[:count], pulls[r][:count], couriers[r, :count].tolist(), loads[r][:count])
                )

    def _older(self, i: int) -> int:
        if self.for_older is not None:
            return self.for_older[i]
        holders = [self.holder[j] for j in self.eligible(self.holds[i])]
        return sum(1 for k in holders if k is not None and k < i)

    # -- explanations -----------------------------------------------------------------------

    def parts(self, h: HoldRequest, j: int) -> CostParts:
        c = self.usable[j]
        return CostParts(
            self.pull[j],
            self.rules.courier(c.branch_id, h.pickup_branch_id),
            self.rules.load(c.owner, h.patron_library),
        )

    def describe(self, j: int) -> str:
        c = self.usable[j]
        return f"copy {c.id} at {self.rules.branch_name(c.branch_id)}"

    def _candidates(self, i: int) -> tuple[Candidate, ...]:
        """The eligible copies (cheapest first, the chosen one always among them), then
        those that may not fill the hold, SHOWN at most. Holds with the same pickup branch
        and patron library share one tuple (their candidates are the same)."""
        h = self.holds[i]
        js, pulls, couriers, loads = self.ranked[i]
        chosen = self.chosen[i]
        key = None
        if h.item_id is None and (chosen is None or chosen in js):
            key = (h.pickup_branch_id, h.patron_library)
            shared = self._shown.get(key)
            if shared is not None:
                return shared
        usable = self.usable
        cands = [
            Candidate(
                usable[j].id,
                usable[j].owner,
                usable[j].branch_id,
                CostParts(pulls[k], couriers[k], loads[k]),
            )
            for k, j in enumerate(js)
        ]
        if chosen is not None and chosen not in js:
            c = usable[chosen]
            cands[SHOWN - 1 :] = [Candidate(c.id, c.owner, c.branch_id, self.parts(h, chosen))]
        if len(cands) < SHOWN:
            cands.extend(self.excluded(h)[0][: SHOWN - len(cands)])
        out = tuple(cands)
        if key is not None:
            self._shown[key] = out
        return out

    def _explain(self, i: int) -> Explanation:
        h = self.holds[i]
        chosen = self.chosen[i]
        cands = self._candidates(i)
        considered = self.n_copies
        if h.item_id is not None:
            considered = 1 if self._item_known(h.item_id) else 0
        return Explanation(
            h.id,
            None if chosen is None else self.usable[chosen].id,
            cands,
            self._reason(i, cands),
            considered - len(cands),  # candidates_not_shown
        )

    def _reason(self, i: int, cands: tuple[Candidate, ...]) -> str:
        h = self.holds[i]
        chosen = self.chosen[i]
        js = self.ranked[i][0]
        n = self.n_eligible[i]
        if chosen is None:
            if not n:
                if h.item_id is not None:
                    return text.nothing_eligible(self.excluded(h)[1], h.item_id)
                key: object = h.patron_library
            else:
                older = self._older(i)
                key = (n, older, js[0] if n == 1 else None)
            reason = self._reasons.get(key)
            if reason is None:
                if not n:
                    reason = text.nothing_eligible(self.excluded(h)[1])
                else:
                    reason = text.waiting(n, older, self.describe(js[0]))
                self._reasons[key] = reason
            return reason
        # The chosen copy is listed at its rank, or last when it ranks below the listing;
        # the next best is listed first or second.
        at = js.index(chosen) if chosen in js else len(cands) - 1
        parts = cands[at].cost
        assert parts is not None
        if h.item_id is not None:
            return text.won(self.describe(chosen), parts, asked_for=True)
        if len(js) < 2:
            return text.won(self.describe(chosen), parts)
        other = js[1] if at == 0 else js[0]
        other_parts = cands[1 if at == 0 else 0].cost
        assert other_parts is not None
        holder = self.holder[other]
        if other_parts.total < parts.total - text.TIE and holder is not None:
            return text.gave_way(
                self.describe(chosen),
                parts,
                self.describe(other),
                other_parts.total,
                self.holds[holder].id,
            )
        return text.won(
            self.describe(chosen),
            parts,
            runner_up=self.describe(other),
            runner_up_parts=other_parts,
            runner_up_owner=self.rules.library_name(self.usable[other].owner),
        )

    def _item_known(self, item_id: int) -> bool:
        return item_id in self.index or any(c.id == item_id for c, _ in self.blocked)

    def excluded(self, h: HoldRequest) -> tuple[tuple[Candidate, ...], list[str]]:
        """The copies that may not fill `h` (the first SHOWN of them) and, for the reason,
        what keeps each one out (all of them)."""
        if h.item_id is not None:
            j = self.index.get(h.item_id)
            if j is not None:
                if self.windowed[j] and self.usable[j].owner != h.patron_library:
                    return (self._window_candidate(j),), [self._window_label(j)]
                return (), []
            for c, why in self.blocked:
                if c.id == h.item_id:
                    return (Candidate(c.id, c.owner, c.branch_id, None, why),), [why]
            return (), []
        # Keyed by the patron's library only when some copy is in a window (it matters then).
        lib = h.patron_library if self.own_js else ""
        cached = self._excluded.get(lib)
        if cached is None:
            cands: list[Candidate] = []
            labels: list[str] = []
            for owner, js in self.own_js.items():
                if owner != lib:
                    labels.extend(self._window_label(j) for j in js)
                    cands.extend(self._window_candidate(j) for j in js[: SHOWN - len(cands)])
            labels.extend(why for _, why in self.blocked)
            cands.extend(
                Candidate(c.id, c.owner, c.branch_id, None, why)
                for c, why in self.blocked[: SHOWN - len(cands)]
            )
            cached = self._excluded[lib] = (tuple(cands), labels)
        return cached

    def _window_label(self, j: int) -> str:
        owner = self.usable[j].owner
        return text.window_label(self.rules.library_name(owner), self.rules.window_days(owner))

    def _window_candidate(self, j: int) -> Candidate:
        c = self.usable[j]
        why = f"{self._window_label(j)} (free for other libraries' holds from {self.until[j]})"
        return Candidate(c.id, c.owner, c.branch_id, None, why)
