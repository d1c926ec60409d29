"""Transit and crate states: one transition table each, enforced by `transit.actions`.

Pure Python (no Django): docs/transit/transit-states.md is this table in words, and
tests/transit/test_states.py checks every (state, trigger) pair against it.
"""

from __future__ import annotations

from dataclasses import dataclass

from onelibrary.core.states import TransitionError

# --- transit: one item's journey from one branch to another -------------------------

WAITING = "waiting"  # opened at the sender, on the "to send" shelf, in no crate
PACKED = "packed"  # in a crate at the sender, not yet collected
SHIPPED = "shipped"  # collected by the courier: on its way
RECEIVED = "received"  # scanned in at a branch (the receiver, or elsewhere)
CANCELLED = "cancelled"  # never left: lent, captured or re-routed at the sender
MISSING = "missing"  # declared missing in transit after the second threshold

TRANSIT_LABELS = {
    WAITING: "Waiting to be sent",
    PACKED: "In a crate",
    SHIPPED: "On its way",
    RECEIVED: "Received",
    CANCELLED: "Cancelled",
    MISSING: "Missing in transit",
}
OPEN = (WAITING, PACKED, SHIPPED)

# --- crate: a box of items from one branch to one destination (or hub) ---------------

CRATE_OPEN = "open"
CRATE_CLOSED = "closed"
CRATE_SHIPPED = "shipped"
CRATE_RECEIVED = "received"
CRATE_RECONCILED = "reconciled"

CRATE_LABELS = {
    CRATE_OPEN: "Open: being packed",
    CRATE_CLOSED: "Closed: waiting for the courier",
    CRATE_SHIPPED: "Shipped",
    CRATE_RECEIVED: "Received: being unpacked",
    CRATE_RECONCILED: "Reconciled",
}

# What a scan on a crate screen did (CrateScan.outcome), in the words the screen shows.
SCAN_LABELS = {
    "added": "In the crate",
    "moved": "Moved to this crate",
    "repeat": "Repeat scan",
    "refused": "Refused",
    "received": "Crate received",
    "arrived": "Arrived",
    "extra": "Not on the manifest",
    "other_branch": "For another branch",
}

DESK = frozenset({"desk", "library_admin", "central_office"})


@dataclass(frozen=True)
class Transition:
    before: str | None
    trigger: str
    after: str
    who: frozenset[str] = DESK


TRANSIT_TABLE = (
    Transition(None, "open", WAITING),
    Transition(WAITING, "pack", PACKED),
    Transition(PACKED, "unpack", WAITING),  # taken out of a crate before it left
    Transition(WAITING, "ship", SHIPPED),  # handed to the courier loose
    Transition(PACKED, "ship", SHIPPED),
    Transition(WAITING, "receive", RECEIVED),  # turned up at another branch before leaving
    Transition(PACKED, "receive", RECEIVED),
    Transition(SHIPPED, "receive", RECEIVED),
    Transition(MISSING, "receive", RECEIVED),  # found after being declared missing
    Transition(WAITING, "cancel", CANCELLED),
    Transition(PACKED, "cancel", CANCELLED),
    Transition(SHIPPED, "declare_missing", MISSING),
)

CRATE_TABLE = (
    Transition(None, "open", CRATE_OPEN),
    Transition(CRATE_OPEN, "close", CRATE_CLOSED),
    Transition(CRATE_CLOSED, "reopen", CRATE_OPEN),
    Transition(CRATE_CLOSED, "ship", CRATE_SHIPPED),
    Transition(CRATE_SHIPPED, "receive", CRATE_RECEIVED),
    Transition(CRATE_RECEIVED, "reconcile", CRATE_RECONCILED),
)

_TRANSIT = {(t.before, t.trigger): t for t in TRANSIT_TABLE}
_CRATE = {(t.before, t.trigger): t for t in CRATE_TABLE}


def _next(
    table: dict, labels: dict, thing: str, before: str | None, trigger: str, role: str
) -> str:
    transition = table.get((before, trigger))
    words = trigger.replace("_", " ")
    if transition is None:
        shown = labels.get(before or "", f"no {thing}")
        raise TransitionError(f"A {thing} that is '{shown}' cannot be given '{words}'.")
    if role not in transition.who:
        raise TransitionError(f"Your role ({role}) may not {words} a {thing}.")
    return transition.after


def next_transit_state(before: str | None, trigger: str, role: str) -> str:
    return _next(_TRANSIT, TRANSIT_LABELS, "transit", before, trigger, role)


def next_crate_state(before: str | None, trigger: str, role: str) -> str:
    return _next(_CRATE, CRATE_LABELS, "crate", before, trigger, role)
