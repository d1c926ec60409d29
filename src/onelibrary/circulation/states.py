"""The loan's states and its transition table (docs/circulation/README.md, LOAN-1 … 8).

Pure Python. The circulation actions are the only code that moves a loan, and each move
asks `TABLE` with the actor's real role: staff's role at the desk's library, or `PATRON`
for a patron renewing their own loan through their account. Overriding a block is a
separate permission (`lookup.may_override`).
"""

from __future__ import annotations

from onelibrary.core.states import PATRON, STAFF, StateTable, Transition, TransitionError

__all__ = ["TABLE", "TransitionError"]

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

TABLE = StateTable(
    "loan",
    STATE_LABELS,
    [
        # LOAN-1: lent at a desk.
        Transition(None, "checkout", ACTIVE, STAFF),
        # LOAN-2: renewed at a desk, or by the patron through their account.
        Transition(ACTIVE, "renew", ACTIVE, STAFF | {PATRON}),
        # LOAN-3: checked in.
        Transition(ACTIVE, "checkin", RETURNED, STAFF),
        # LOAN-4: the patron says they returned it (CLAIMS-1).
        Transition(ACTIVE, "claims_returned", CLAIMS_RETURNED, STAFF),
        # LOAN-5: lost by its borrower (LOST-1).
        Transition(ACTIVE, "mark_lost", LOST, STAFF),
        # LOAN-6: a claimed-returned copy found and checked in.
        Transition(CLAIMS_RETURNED, "checkin", RETURNED, STAFF),
        # LOAN-7: a claimed-returned copy never found: lost.
        Transition(CLAIMS_RETURNED, "mark_lost", LOST, STAFF),
        # LOAN-8: a lost copy found and checked in.
        Transition(LOST, "checkin", RETURNED, STAFF),
    ],
)
