"""The loan's states and transitions: one table, enforced by the actions."""

from __future__ import annotations

from dataclasses import dataclass

from onelibrary.core.states import TransitionError

ACTIVE = "active"
RETURNED = "returned"
CLAIMS_RETURNED = "claims_returned"
LOST = "lost"

STATE_LABELS = {
    ACTIVE: "On loan",
    RETURNED: "Returned",
    CLAIMS_RETURNED: "Claims returned",
    LOST: "Lost",
}

# Who may trigger a transition: desk staff, library admins and the central office alike,
# except where noted. Overriding a block is a separate permission (see actions.may_override).
DESK = frozenset({"desk", "library_admin", "central_office"})


@dataclass(frozen=True)
class Transition:
    before: str | None
    trigger: str
    after: str
    who: frozenset[str] = DESK


TABLE = (
    Transition(None, "checkout", ACTIVE),
    Transition(ACTIVE, "renew", ACTIVE),
    Transition(ACTIVE, "checkin", RETURNED),
    Transition(ACTIVE, "claims_returned", CLAIMS_RETURNED),
    Transition(ACTIVE, "mark_lost", LOST),
    Transition(CLAIMS_RETURNED, "checkin", RETURNED),
    Transition(CLAIMS_RETURNED, "mark_lost", LOST),
    Transition(LOST, "checkin", RETURNED),
)

_BY_KEY = {(t.before, t.trigger): t for t in TABLE}


def next_state(before: str | None, trigger: str, role: str) -> str:
    transition = _BY_KEY.get((before, trigger))
    if transition is None:
        shown = STATE_LABELS.get(before or "", "no loan")
        raise TransitionError(f"A loan that is '{shown}' cannot be {trigger.replace('_', ' ')}.")
    if role not in transition.who:
        raise TransitionError(f"Your role ({role}) may not {trigger.replace('_', ' ')} a loan.")
    return transition.after
