"""What makes a route valid, as plain Python: the staff pages, the admin and the actions
all ask `route_problems` and show its sentences as they are (docs/courier.md)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
CODE = re.compile(r"^[A-Z0-9][A-Z0-9_-]{0,31}$")


@dataclass(frozen=True)
class StopDraft:
    branch_code: str  # as typed, upper-cased by the caller
    days: str  # seven digits, Monday first
    known: bool = True  # the code names a branch
    open_for_good: bool = True  # the branch is active


def names(days: str) -> str:
    return ", ".join(n for n, f in zip(WEEKDAY_NAMES, days, strict=False) if f == "1")


def route_problems(
    *, code: str, name: str, days: str, stops: Sequence[StopDraft], hub_count: int
) -> list[str]:
    """Every problem with the route as drafted, each a sentence that says what to do."""
    problems = []
    if not CODE.match(code):
        problems.append(
            "Give the route a code of 1 to 32 capital letters, digits, '-' or '_' (e.g. NORTH)."
        )
    if not name.strip():
        problems.append("Give the route a name (e.g. North loop).")
    if "1" not in days:
        problems.append("Tick at least one weekday on which the van runs.")
    if not stops and hub_count < 2:
        problems.append(
            "Add at least one stop, or link two hubs for a route that only carries items "
            "between hubs."
        )
    seen: dict[str, int] = {}
    for number, stop in enumerate(stops, start=1):
        label = f"Stop {number} ({stop.branch_code or 'no branch'})"
        if not stop.branch_code:
            problems.append(f"Stop {number}: type the branch code of the stop.")
            continue
        if not stop.known:
            problems.append(
                f"{label}: no branch has the code {stop.branch_code}. Check the code on the "
                "branch's page."
            )
            continue
        if not stop.open_for_good:
            problems.append(f"{label}: the branch is closed for good; remove the stop.")
        if stop.branch_code in seen:
            problems.append(
                f"{stop.branch_code} is on the route twice (stops {seen[stop.branch_code]} and "
                f"{number}): keep one stop and tick all its weekdays there."
            )
        else:
            seen[stop.branch_code] = number
        if "1" not in stop.days:
            problems.append(f"{label}: tick at least one weekday on which the van calls.")
            continue
        extra = "".join(
            "1" if s == "1" and r != "1" else "0" for s, r in zip(stop.days, days, strict=False)
        )
        if "1" in extra and "1" in days:
            problems.append(
                f"{label} is called on {names(extra)}, but the van runs on {names(days)} only: "
                "tick those days on the route, or untick them on the stop."
            )
    return problems


def hub_problems(*, code: str, name: str, transfer_days: int | None, max_days: int) -> list[str]:
    problems = []
    if not CODE.match(code):
        problems.append(
            "Give the hub a code of 1 to 32 capital letters, digits, '-' or '_' (e.g. HUB-C)."
        )
    if not name.strip():
        problems.append("Give the hub a name (e.g. Central sorting depot).")
    if transfer_days is None or not 0 <= transfer_days <= max_days:
        problems.append(
            f"Give the transfer days as a whole number from 0 to {max_days}: the extra days an "
            "item waits at the hub when it changes vans."
        )
    return problems
