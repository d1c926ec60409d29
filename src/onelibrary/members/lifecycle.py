"""What a member may do in each membership status, and how its status may change.

The ONE place that says it (docs/governance.md, "Membership lifecycle", MEMBER-1 … 10). Pure
data and functions, no ORM: holds (pickup, routing, placing a hold), circulation
(checkout) and governance (the lifecycle's own moves) all read this table.

    applicant → onboarding → active → leaving → left
    (applicant → left: declined; any → left: removed by a recorded board decision)

What a status allows:
- pickup     its branches are pickup branches for group holds (HOLD-18);
- lending    its copies fill group holds and go out to other members' patrons;
- borrowing  its patrons borrow other members' copies;
- new holds  its patrons place new group holds.
A member's own copies lent to its own patrons at its own desk are its own business and
are never refused here.
"""

from __future__ import annotations

from dataclasses import dataclass

APPLICANT = "applicant"
ONBOARDING = "onboarding"
ACTIVE = "active"
LEAVING = "leaving"
LEFT = "left"
STATUSES = (APPLICANT, ONBOARDING, ACTIVE, LEAVING, LEFT)


@dataclass(frozen=True)
class Allowed:
    """What a member in one status may do in the group, and why not, in words."""

    pickup: bool
    lending: bool
    borrowing: bool
    new_holds: bool
    why_not: str  # completes "<Library> …": "has applied to join the group and …"


TABLE: dict[str, Allowed] = {
    # MEMBER-1: an applicant takes part in nothing yet.
    APPLICANT: Allowed(
        False,
        False,
        False,
        False,
        "has applied to join the group and does not serve its patrons yet",
    ),
    # MEMBER-2: onboarding: training and setting up; not yet lending, borrowing or holding.
    ONBOARDING: Allowed(
        False, False, False, False, "is joining the group and does not serve its patrons yet"
    ),
    # MEMBER-3: active: everything.
    ACTIVE: Allowed(True, True, True, True, ""),
    # MEMBER-4: leaving: winding down; its copies come home, its holds go, nothing new.
    LEAVING: Allowed(
        False, False, False, False, "is leaving the group and takes part in nothing new"
    ),
    # MEMBER-5: left: nothing.
    LEFT: Allowed(False, False, False, False, "has left the group"),
}

NOTHING = Allowed(False, False, False, False, "is not a member of the group")


def allowed(status: str) -> Allowed:
    """What a member in `status` may do; an unknown status may do nothing."""
    return TABLE.get(status, NOTHING)


DECISIONS = {APPLICANT: "MEMBER-1", ONBOARDING: "MEMBER-2", ACTIVE: "MEMBER-3", LEAVING: "MEMBER-4"}


def decision_for(status: str) -> str:
    """The id of the row of TABLE that answers for `status` (a refusal names it)."""
    return DECISIONS.get(status, "MEMBER-5")


def group_loan_refusal(owner_status: str, home_status: str, *, same_library: bool) -> str:
    """Why a copy of a member in `owner_status` may not go out to a patron of a member in
    `home_status` (a checkout, or a hold), or "". A member's own copy to its own patron
    is never refused here."""
    if same_library:
        return ""
    if not lends(owner_status):
        return "owner"
    if not allowed(home_status).borrowing:
        return "home"
    return ""


def may_be_pickup(status: str) -> bool:
    return allowed(status).pickup


def lends(status: str) -> bool:
    return allowed(status).lending


PICKUP_STATUSES = tuple(s for s in STATUSES if TABLE[s].pickup)
LENDING_STATUSES = tuple(s for s in STATUSES if TABLE[s].lending)


# --- the moves between statuses ------------------------------------------------------


@dataclass(frozen=True)
class Move:
    before: tuple[str, ...]
    after: str
    needs_decision: bool  # a recorded decision must be named (its body checked by governance)
    board_only: bool = False  # the decision must be the board's (or a vote's)


MOVES: dict[str, Move] = {
    # MEMBER-6: the group accepts an applicant whose requirements are all met.
    "accept": Move((APPLICANT,), ONBOARDING, needs_decision=True),
    # MEMBER-7: the group declines an applicant.
    "decline": Move((APPLICANT,), LEFT, needs_decision=True),
    # MEMBER-8: onboarding is done when every module and step is done.
    "activate": Move((ONBOARDING,), ACTIVE, needs_decision=False),
    # MEMBER-9: a member gives notice; leaving ends only when the reconciliation is clear.
    "give_notice": Move((ACTIVE, ONBOARDING), LEAVING, needs_decision=False),
    "leave": Move((LEAVING,), LEFT, needs_decision=False),
    # MEMBER-10: the board removes a member, by a recorded decision, from any status.
    "remove": Move(
        (APPLICANT, ONBOARDING, ACTIVE, LEAVING), LEFT, needs_decision=True, board_only=True
    ),
}


def move_refusal(trigger: str, status: str) -> str:
    """Why `trigger` cannot be made from `status`, or "" when it can."""
    move = MOVES.get(trigger)
    if move is None:
        return f"There is no membership step called “{trigger}”."
    if status not in move.before:
        allowed_from = ", ".join(move.before)
        return (
            f"A member that is {status} cannot {trigger.replace('_', ' ')}: "
            f"that step is taken from {allowed_from} only."
        )
    return ""
