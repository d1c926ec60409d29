"""One engine for every state table: loans, holds, transits, crates and items.

A table is a list of `Transition(before, trigger, after, who)`. `next_state` answers the
state after a trigger, or refuses with a sentence when the table has no such move or the
role may not make it. The roles (`who`) are those of `ROLES`: the desk, a library admin,
the central office, the patron themself, and the system (background work and the parts
acting on another part's behalf, such as routing).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from onelibrary.core.refusals import RulesProblem

DESK = "desk"
LIBRARY_ADMIN = "library_admin"
CENTRAL_OFFICE = "central_office"
PATRON = "patron"
SYSTEM = "system"
ROLES = frozenset({DESK, LIBRARY_ADMIN, CENTRAL_OFFICE, PATRON, SYSTEM})

STAFF = frozenset({DESK, LIBRARY_ADMIN, CENTRAL_OFFICE})
ADMINS = frozenset({LIBRARY_ADMIN, CENTRAL_OFFICE})


class TransitionError(RulesProblem):
    code = "bad_transition"


@dataclass(frozen=True)
class Transition:
    before: str | None
    trigger: str
    after: str
    who: frozenset[str] = STAFF


class StateTable:
    """The moves one kind of thing may make, and who may make each."""

    def __init__(self, thing: str, labels: dict[str, str], transitions: Iterable[Transition]):
        self.thing = thing
        self.labels = labels
        self.transitions = tuple(transitions)
        self._by_key: dict[tuple[str | None, str], Transition] = {}
        for t in self.transitions:
            if (t.before, t.trigger) in self._by_key:
                raise ValueError(f"{thing}: two moves for {t.before!r} on {t.trigger!r}")
            unknown = t.who - ROLES
            if unknown:
                raise ValueError(f"{thing}: unknown roles {sorted(unknown)}")
            self._by_key[(t.before, t.trigger)] = t

    def find(self, before: str | None, trigger: str) -> Transition | None:
        return self._by_key.get((before, trigger))

    def allows(self, before: str | None, trigger: str, role: str) -> bool:
        transition = self.find(before, trigger)
        return transition is not None and role in transition.who

    def next_state(self, before: str | None, trigger: str, role: str) -> str:
        transition = self.find(before, trigger)
        words = trigger.replace("_", " ")
        if transition is None:
            shown = self.labels.get(before or "", f"no {self.thing}")
            raise TransitionError(f"A {self.thing} that is '{shown}' cannot be given '{words}'.")
        if role not in transition.who:
            raise TransitionError(f"Your role ({role}) may not {words} a {self.thing}.")
        return transition.after

    def triggers(self) -> set[str]:
        return {t.trigger for t in self.transitions}

    def states(self) -> set[str]:
        found = {t.after for t in self.transitions}
        found |= {t.before for t in self.transitions if t.before is not None}
        return found
