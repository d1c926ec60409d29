"""Capture at checkin: the open hold a copy just checked in should fill, if any.

The same rules as `route` (holds/routing_title.py) for a title with this one copy; see
docs/holds/routing.md, "Capture at checkin".
"""

from __future__ import annotations

from collections.abc import Sequence

from onelibrary.holds import routing_text as text
from onelibrary.holds.routing_data import Candidate, Copy, CostParts, Explanation, HoldRequest
from onelibrary.holds.routing_rules import RoutingRules


def capture(copy: Copy, holds: Sequence[HoldRequest], rules: RoutingRules) -> Explanation:
    """Route one checked-in copy over its title's open holds: the oldest hold it may fill.

    This is `route` with this copy as the title's only available copy: one copy fills one
    hold, and queue fairness gives it to the oldest hold it may fill. A hold for pickup at
    this branch therefore wins only over holds no older than itself (then at no trip).
    """
    why = rules.blocked(copy)
    if why is not None:
        cand = Candidate(copy.id, copy.owner, copy.branch_id, None, why)
        return Explanation(0, None, (cand,), f"Copy {copy.id} fills no hold: it is {why}.")
    until = rules.window_until(copy)
    best: HoldRequest | None = None
    of_title = other_item = other_library = local = 0
    title, here_id, owner, copy_id = copy.title_id, copy.branch_id, copy.owner, copy.id
    for h in holds:
        if h.title_id != title:
            continue
        of_title += 1
        if h.item_id is not None and h.item_id != copy_id:
            other_item += 1
        elif until is not None and h.patron_library != owner:
            other_library += 1
        else:
            local += h.pickup_branch_id == here_id
            # Queue order, placed time then id, compared without building a key per hold.
            if (
                best is None
                or h.placed_at < best.placed_at
                or (h.placed_at == best.placed_at and h.id < best.id)
            ):
                best = h
    here = rules.branch_name(copy.branch_id)
    if best is None:
        return _captures_nothing(copy, rules, of_title, other_item, other_library, until)
    parts = CostParts(
        rules.pull(copy.branch_id),
        rules.courier(copy.branch_id, best.pickup_branch_id),
        rules.load(copy.owner, best.patron_library),
    )
    pickup = (
        "here"
        if best.pickup_branch_id == copy.branch_id
        else "at " + rules.branch_name(best.pickup_branch_id)
    )
    reason = (
        f"Copy {copy.id}, checked in at {here}, fills hold {best.id} for pickup {pickup},"
        f" the oldest hold it can fill: {text.sum_of(parts)}."
    )
    # The best hold is the oldest the copy may fill: every local one is newer.
    if best.pickup_branch_id != copy.branch_id and local:
        wait = "hold here waits its" if local == 1 else "holds here wait their"
        reason += (
            f" {local} newer {wait} turn: a hold for pickup here goes first only when no older"
            " hold can take the copy."
        )
    cand = Candidate(copy.id, copy.owner, copy.branch_id, parts)
    return Explanation(best.id, copy.id, (cand,), reason)


def _captures_nothing(
    copy: Copy,
    rules: RoutingRules,
    of_title: int,
    other_item: int,
    other_library: int,
    until: object,
) -> Explanation:
    if not of_title:
        why = "there is no open hold for this title"
    else:
        parts = []
        if other_library:
            window = text.window_label(
                rules.library_name(copy.owner), rules.window_days(copy.owner)
            )
            parts.append(
                f"{other_library} {'is' if other_library == 1 else 'are'} for patrons of other"
                f" libraries while the copy is {window} (until {until})"
            )
        if other_item:
            parts.append(f"{other_item} {'asks' if other_item == 1 else 'ask'} for another copy")
        why = f"of the {of_title} open holds for this title, " + " and ".join(parts)
    cand = Candidate(copy.id, copy.owner, copy.branch_id, None, why)
    return Explanation(0, None, (cand,), f"Copy {copy.id} fills no hold: {why}.")
