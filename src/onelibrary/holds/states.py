"""The hold's states and its transition table, with who may make each move.

docs/holds/states.md is this table in words (HOLD-1 … 17); tests/holds/test_states.py
has a test per id and checks that the page and the table agree. `holds.actions.claim`
and `move` are the only code that moves a hold, and they ask `TABLE` with the actor's
real role:

- the patron themself (`PATRON`), through their account: cancel, suspend, resume or
  change the pickup branch of their own hold;
- staff, in their role (`holds.actions.role_of`, `check_staff_at`): the same for any
  patron, and what happens at a desk (pull, not on the shelf, capture and arrival at
  checkin, pickup at checkout, a copy declared missing in transit);
- `SYSTEM`: routing, the background expiry and missed pull deadlines, and the capture
  for the next hold when a copy leaves the hold shelf.

A copy in hand fills its hold here or elsewhere, so capture and pull have two moves each:
`…_to_shelf` (its pickup branch is here) and `…_to_send` (into transit to it).
"""

from __future__ import annotations

from onelibrary.core.states import PATRON, STAFF, SYSTEM, StateTable, Transition, TransitionError
from onelibrary.holds.models import OPEN_STATES, Hold

__all__ = ["TABLE", "TransitionError"]

S = Hold.State
STAFF_OR_SYSTEM = STAFF | {SYSTEM}
STAFF_OR_PATRON = STAFF | {PATRON}

TABLE = StateTable(
    "hold",
    {s.value: str(s.label) for s in S},
    [
        # HOLD-1: routing chooses a copy on a shelf; it joins its branch's pick list.
        Transition(S.WAITING, "route", S.ROUTED, frozenset({SYSTEM})),
        # HOLD-2, HOLD-3: a copy checked in is captured for it (CHECKIN-17/18), or the copy
        # of a hold leaving the hold shelf is captured for the next (SHELF-1/2).
        Transition(S.WAITING, "capture_to_shelf", S.ON_SHELF, STAFF_OR_SYSTEM),
        Transition(S.WAITING, "capture_to_send", S.IN_TRANSIT, STAFF_OR_SYSTEM),
        # HOLD-4, HOLD-5: its copy pulled from the pick list, or scanned at checkin.
        Transition(S.ROUTED, "pull_to_shelf", S.ON_SHELF, STAFF),
        Transition(S.ROUTED, "pull_to_send", S.IN_TRANSIT, STAFF),
        # HOLD-6: the copy is not on the shelf (PICK-3).
        Transition(S.ROUTED, "not_on_shelf", S.WAITING, STAFF),
        # HOLD-7: not pulled within the group's pull deadline (the background run).
        Transition(S.ROUTED, "pull_deadline_missed", S.WAITING, frozenset({SYSTEM})),
        # HOLD-8: gives up its copy: suspended, pickup changed, or the copy lent at a desk.
        Transition(S.ROUTED, "release", S.WAITING, STAFF_OR_PATRON),
        # HOLD-9: its copy checked in at the pickup branch (CHECKIN-19).
        Transition(S.IN_TRANSIT, "arrive_to_shelf", S.ON_SHELF, STAFF),
        # HOLD-10: its copy declared missing in transit: it waits again.
        Transition(S.IN_TRANSIT, "lost_in_transit", S.WAITING, STAFF),
        # HOLD-11: picked up: checked out to its patron (CHECKOUT-16).
        Transition(S.ON_SHELF, "fulfil", S.FULFILLED, STAFF),
        # HOLD-12: not picked up by its pickup deadline (the background run).
        Transition(S.ON_SHELF, "expire", S.EXPIRED, frozenset({SYSTEM})),
        # HOLD-13: cancelled while open, by staff or the patron.
        *(Transition(before, "cancel", S.CANCELLED, STAFF_OR_PATRON) for before in OPEN_STATES),
        # HOLD-14, HOLD-15: suspended until a date, and resumed, while it waits.
        Transition(S.WAITING, "suspend", S.WAITING, STAFF_OR_PATRON),
        Transition(S.WAITING, "resume", S.WAITING, STAFF_OR_PATRON),
        # HOLD-16, HOLD-17: a new pickup branch, while it waits or its copy travels.
        Transition(S.WAITING, "change_pickup", S.WAITING, STAFF_OR_PATRON),
        Transition(S.IN_TRANSIT, "change_pickup", S.IN_TRANSIT, STAFF_OR_PATRON),
    ],
)
