"""The nearest-copy baseline that routing is judged against (DESIGN.md, "Routing holds").

First come, first served across all titles: each hold in turn, oldest first, takes the
nearest (fewest pull + courier days) copy it may take that no earlier hold took; ties are
broken at random. No load term, no look-ahead. Same eligibility rules as `route`.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence

from onelibrary.holds import routing_text as text
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
from onelibrary.holds.routing_title import TitleRouting, queue_key

TIE = 1e-9


def nearest_copy(
    holds: Sequence[HoldRequest],
    copies: Sequence[Copy],
    network: Network,
    *,
    today: dt.date,
    seed: int = 0,
) -> Routing:
    rules = RoutingRules(network, lending_load={}, load_weight=0.0, today=today)
    rng = random.Random(seed)
    wanted: dict[int, list[Copy]] = {h.title_id: [] for h in holds}
    for c in copies:
        of_title = wanted.get(c.title_id)
        if of_title is not None:
            of_title.append(c)
    shelves = {t: _Shelf(TitleRouting((), cs, rules)) for t, cs in wanted.items()}
    assignments: dict[int, int] = {}
    explanations: dict[int, Explanation] = {}
    for h in sorted(holds, key=queue_key):
        shelf = shelves[h.title_id]
        nearest: list[int] = []
        best = float("inf")
        to = h.pickup_branch_id
        for j in shelf.free_for(h):
            d = shelf.title.pull[j] + rules.courier(shelf.title.usable[j].branch_id, to)
            if d < best - TIE:
                nearest, best = [j], d
            elif d <= best + TIE:
                nearest.append(j)
        if not nearest:
            explanations[h.id] = _unfilled(shelf.title, h)
            continue
        j = nearest[0] if len(nearest) == 1 else rng.choice(nearest)
        shelf.take(j)
        c = shelf.title.usable[j]
        parts = CostParts(shelf.title.pull[j], rules.courier(c.branch_id, h.pickup_branch_id), 0.0)
        reason = (
            f"Nearest copy, first come first served: {shelf.title.describe(j)},"
            f" {text.days(parts.pull_days)} pull + {text.days(parts.courier_days)} courier days"
            f" = {text.days(parts.total)} days."
        )
        if len(nearest) > 1:
            reason += f" Picked at random among {len(nearest)} equally near copies."
        assignments[h.id] = c.id
        cand = Candidate(c.id, c.owner, c.branch_id, parts)
        explanations[h.id] = Explanation(h.id, c.id, (cand,), reason)
    return Routing(assignments=assignments, explanations=explanations)


class _Shelf:
    """A title's copies as the baseline uses them up, with counts of those left, so that a
    hold finds at once when no copy it may take is left."""

    def __init__(self, title: TitleRouting) -> None:
        self.title = title
        self.used = [False] * len(title.usable)
        self.open_left = len(title.open_js)
        self.own_left = {owner: len(js) for owner, js in title.own_js.items()}

    def free_for(self, h: HoldRequest) -> list[int]:
        """The copies left that `h` may take."""
        title, used = self.title, self.used
        if h.item_id is not None:
            return [j for j in title.eligible(h) if not used[j]]
        js = [j for j in title.open_js if not used[j]] if self.open_left else []
        if self.own_left.get(h.patron_library):
            js += [j for j in title.own_js[h.patron_library] if not used[j]]
        return js

    def take(self, j: int) -> None:
        self.used[j] = True
        if self.title.windowed[j]:
            self.own_left[self.title.usable[j].owner] -= 1
        else:
            self.open_left -= 1


def _unfilled(title: TitleRouting, h: HoldRequest) -> Explanation:
    if h.item_id is None:
        eligible = len(title.open_js) + len(title.own_js.get(h.patron_library, ()))
    else:
        eligible = len(title.eligible(h))
    if eligible:
        n = "the copy" if eligible == 1 else f"the {eligible} copies"
        reason = f"Waiting: {n} that could fill it went to earlier holds."
        return Explanation(h.id, None, (), reason)
    cands, labels = title.excluded(h)
    reason = text.nothing_eligible(labels, h.item_id)
    return Explanation(h.id, None, cands, reason)
