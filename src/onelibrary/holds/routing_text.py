"""The plain-language reasons in routing explanations, for librarians.

Every reason names the deciding cost: the part (pull, courier days, load) in which the
chosen copy beat the next best, or the rule that kept a hold from being filled.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from onelibrary.holds.routing_data import CostParts

TIE = 1e-9


def days(value: float) -> str:
    """1 decimal as a rule (1.0, 3.5); 2 when the figure needs them (0.25)."""
    if abs(value * 10 - round(value * 10)) < 1e-6:
        return f"{value:.1f}"
    return f"{value:.2f}"


def sum_of(parts: CostParts) -> str:
    return (
        f"{days(parts.pull_days)} pull + {days(parts.courier_days)} courier days"
        f" + {days(parts.load)} load = {days(parts.total)} days"
    )


def deciding(chosen: CostParts, other: CostParts, other_owner: str) -> str:
    """How `other` differs from `chosen`, largest gap first: "2.0 more courier days", or
    "2.0 more pull days, 1.0 fewer courier days"; empty when the parts are the same."""
    gaps = [
        (other.courier_days - chosen.courier_days, "courier days", "more", "fewer"),
        (other.pull_days - chosen.pull_days, "pull days", "more", "fewer"),
        (other.load - chosen.load, f"load for {other_owner}'s lending", "more", "less"),
    ]
    gaps.sort(key=lambda g: -g[0])
    words = [
        f"{days(abs(gap))} {more if gap > 0 else fewer} {name}"
        for gap, name, more, fewer in gaps
        if abs(gap) > TIE
    ]
    return ", ".join(words)


def won(
    copy: str,
    parts: CostParts,
    *,
    runner_up: str | None = None,
    runner_up_parts: CostParts | None = None,
    runner_up_owner: str = "",
    asked_for: bool = False,
) -> str:
    """A copy filled the hold and was the quickest for it (or the only one)."""
    if asked_for:
        return f"{cap(copy)} is the copy this hold asks for: {sum_of(parts)}."
    if runner_up is None or runner_up_parts is None:
        return f"{cap(copy)} is the only copy that can fill this hold: {sum_of(parts)}."
    gap = deciding(parts, runner_up_parts, runner_up_owner)
    if runner_up_parts.total - parts.total <= TIE or not gap:
        return (
            f"{cap(copy)} won: {sum_of(parts)}; {runner_up} would take the same"
            f" {days(runner_up_parts.total)} days (a tie)."
        )
    return (
        f"{cap(copy)} won: {sum_of(parts)}; the next best, {runner_up}, would take"
        f" {days(runner_up_parts.total)} days ({gap})."
    )


def gave_way(
    copy: str, parts: CostParts, quicker: str, quicker_days: float, other_hold: int
) -> str:
    """A copy filled the hold though a quicker one exists: the quicker one fills another."""
    return (
        f"{cap(copy)} was chosen: {sum_of(parts)}. The quicker {quicker}"
        f" ({days(quicker_days)} days) fills hold {other_hold} instead: routing all of this"
        " title's holds at once, that gives the fewest days in total."
    )


def waiting(eligible: int, for_older: int, only: str = "") -> str:
    """The hold could be filled by some copies, but older holds need them all."""
    if eligible == 1 and for_older == 1:
        return f"Waiting: the only eligible copy, {only}, is filling an older hold."
    if for_older == eligible:
        every = "both" if eligible == 2 else f"all {eligible}"
        return f"Waiting: {every} eligible copies are filling older holds."
    return (
        f"Waiting: the {eligible} eligible copies are all needed: giving one to this hold"
        " would leave an older hold unfilled."
    )


def nothing_eligible(labels: list[str], asked_for: int | None = None) -> str:
    """Why no copy at all may fill the hold; `labels` says, per copy, what keeps it out."""
    if asked_for is not None:
        why = labels[0] if labels else "not among the copies offered for routing"
        return f"No copy can fill this hold: it asks for copy {asked_for}, which is {why}."
    if not labels:
        return "No copy can fill this hold: there is no copy of this title to route."
    return f"No copy can fill this hold: {copies_are(labels)}."


def copies_are(labels: list[str]) -> str:
    """'the 2 copies are in Pine Creek's 30-day local-priority window' or a breakdown."""
    counts = Counter(labels).most_common()
    if len(counts) == 1:
        label, n = counts[0]
        return f"the only copy is {label}" if n == 1 else f"the {n} copies are {label}"
    parts = [f"{n} {'is' if n == 1 else 'are'} {label}" for label, n in counts]
    return f"of the {len(labels)} copies, {', '.join(parts[:-1])} and {parts[-1]}"


def window_label(library: str, window_days: int) -> str:
    return f"in {library}'s {window_days}-day local-priority window"


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]
