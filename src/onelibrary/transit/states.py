"""Transit and crate states: one transition table each, enforced by `transit.actions` and
`transit.crates`, with who may make each move.

Pure Python (no Django): docs/transit.md is these tables in words (TRANSIT-1 … 8,
CRATE-1 … 6), and tests/transit/test_states.py checks every (state, trigger, role)
against them. Staff move transits and crates in their role at the branch they work at;
`SYSTEM` moves a transit when no staff acts (a copy sent home by the hold shelf's
background expiry, re-routed by holds).
"""

from __future__ import annotations

from onelibrary.core.states import STAFF, SYSTEM, StateTable, Transition, TransitionError

__all__ = ["CRATE_TABLE", "TRANSIT_TABLE", "TransitionError"]

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

STAFF_OR_SYSTEM = STAFF | {SYSTEM}

TRANSIT_TABLE = StateTable(
    "transit",
    TRANSIT_LABELS,
    [
        # TRANSIT-1: an item starts travelling (checkin, a hold, float balancing, expiry).
        Transition(None, "open", WAITING, STAFF_OR_SYSTEM),
        # TRANSIT-2: scanned into an open crate at its sender.
        Transition(WAITING, "pack", PACKED, STAFF),
        # TRANSIT-3: taken out of a crate before it left (or moved to another crate).
        Transition(PACKED, "unpack", WAITING, STAFF),
        # TRANSIT-4: handed to the courier, loose or in its crate.
        Transition(WAITING, "ship", SHIPPED, STAFF),
        Transition(PACKED, "ship", SHIPPED, STAFF),
        # TRANSIT-5: scanned in at a branch (or turned up before leaving, or re-routed).
        Transition(WAITING, "receive", RECEIVED, STAFF_OR_SYSTEM),
        Transition(PACKED, "receive", RECEIVED, STAFF_OR_SYSTEM),
        Transition(SHIPPED, "receive", RECEIVED, STAFF_OR_SYSTEM),
        # TRANSIT-6: found after it was declared missing: only a desk scan finds it.
        Transition(MISSING, "receive", RECEIVED, STAFF),
        # TRANSIT-7: it never left: lent or kept at the sender, or re-routed.
        Transition(WAITING, "cancel", CANCELLED, STAFF_OR_SYSTEM),
        Transition(PACKED, "cancel", CANCELLED, STAFF_OR_SYSTEM),
        # TRANSIT-8: past the second threshold: declared missing by staff at either end.
        Transition(SHIPPED, "declare_missing", MISSING, STAFF),
    ],
)

CRATE_TABLE = StateTable(
    "crate",
    CRATE_LABELS,
    [
        # CRATE-1: opened at the sending branch for a branch or a hub.
        Transition(None, "open", CRATE_OPEN, STAFF),
        # CRATE-2: closed once packed (refused when empty).
        Transition(CRATE_OPEN, "close", CRATE_CLOSED, STAFF),
        # CRATE-3: reopened to add or take out an item before the courier comes.
        Transition(CRATE_CLOSED, "reopen", CRATE_OPEN, STAFF),
        # CRATE-4: collected by the courier.
        Transition(CRATE_CLOSED, "ship", CRATE_SHIPPED, STAFF),
        # CRATE-5: its label scanned at its destination.
        Transition(CRATE_SHIPPED, "receive", CRATE_RECEIVED, STAFF),
        # CRATE-6: unpacked and checked against its manifest.
        Transition(CRATE_RECEIVED, "reconcile", CRATE_RECONCILED, STAFF),
    ],
)
