"""The transit and crate state tables, checked for every (state, trigger, role)."""

import itertools

import pytest

from onelibrary.transit import states

TRANSIT_STATES = [None, *states.TRANSIT_LABELS]
CRATE_STATES = [None, *states.CRATE_LABELS]
TRANSIT_TRIGGERS = sorted({t.trigger for t in states.TRANSIT_TABLE} | {"shelve"})
CRATE_TRIGGERS = sorted({t.trigger for t in states.CRATE_TABLE} | {"shelve"})
ROLES = ["desk", "library_admin", "central_office", "patron"]

TRANSIT_EXPECTED = {
    (None, "open"): "waiting",
    ("waiting", "pack"): "packed",
    ("packed", "unpack"): "waiting",
    ("waiting", "ship"): "shipped",
    ("packed", "ship"): "shipped",
    ("waiting", "receive"): "received",
    ("packed", "receive"): "received",
    ("shipped", "receive"): "received",
    ("missing", "receive"): "received",
    ("waiting", "cancel"): "cancelled",
    ("packed", "cancel"): "cancelled",
    ("shipped", "declare_missing"): "missing",
}
CRATE_EXPECTED = {
    (None, "open"): "open",
    ("open", "close"): "closed",
    ("closed", "reopen"): "open",
    ("closed", "ship"): "shipped",
    ("shipped", "receive"): "received",
    ("received", "reconcile"): "reconciled",
}


@pytest.mark.parametrize(
    ("before", "trigger", "role"), list(itertools.product(TRANSIT_STATES, TRANSIT_TRIGGERS, ROLES))
)
def test_it_follows_the_transit_table_exactly(before, trigger, role):
    expected = TRANSIT_EXPECTED.get((before, trigger))
    if expected is None or role == "patron":
        with pytest.raises(states.TransitionError):
            states.next_transit_state(before, trigger, role)
    else:
        assert states.next_transit_state(before, trigger, role) == expected


@pytest.mark.parametrize(
    ("before", "trigger", "role"), list(itertools.product(CRATE_STATES, CRATE_TRIGGERS, ROLES))
)
def test_it_follows_the_crate_table_exactly(before, trigger, role):
    expected = CRATE_EXPECTED.get((before, trigger))
    if expected is None or role == "patron":
        with pytest.raises(states.TransitionError):
            states.next_crate_state(before, trigger, role)
    else:
        assert states.next_crate_state(before, trigger, role) == expected


def test_it_closes_every_journey_only_by_receipt_cancel_or_loss():
    closed = set(states.TRANSIT_LABELS) - set(states.OPEN)
    assert closed == {"received", "cancelled", "missing"}
    assert all(t.before not in ("received", "cancelled") for t in states.TRANSIT_TABLE)


def test_it_says_what_state_refused_a_move():
    with pytest.raises(states.TransitionError, match="'Received' cannot be given 'ship'"):
        states.next_transit_state("received", "ship", "desk")
