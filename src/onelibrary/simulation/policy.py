"""A policy the group could vote for: one variant of a simulation run."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Policy:
    """One variant: what the group could vote for."""

    routing: str = "optimal"  # or "nearest": first come, first served, nearest copy
    load_weight: float = 1.0
    floating: str | frozenset[str] = "members"  # none, all, members, or collection codes
    local_window: int = 30  # days a new copy fills only its owner's patrons' holds
    label: str = ""
    # Another draw of nearest copy's random tie-breaks: the same policy, so the difference
    # between two such runs shows how large a difference chance alone makes.
    tie_seed: int = 0

    def floats(self, collection: str, member_floats_it: bool) -> bool:
        if self.floating == "none":
            return False
        if self.floating == "all":
            return True
        if self.floating == "members":
            return member_floats_it
        return collection in self.floating

    @property
    def name(self) -> str:
        if self.label:
            return self.label
        if self.routing == "nearest":
            return "nearest"
        return f"optimal w={self.load_weight:g}"
