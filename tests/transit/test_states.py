"""The transit and crate state tables (docs/transit.md): a test per id, every (state,
trigger, role) against the page, and the page is the table."""

from __future__ import annotations

import pytest

from onelibrary.core.states import CENTRAL_OFFICE, DESK, LIBRARY_ADMIN, PATRON, SYSTEM
from onelibrary.transit import states
from tests.state_docs import check_every_move, check_page_is_the_table

PAGE = "transit.md"
STAFF_ROLES = (DESK, LIBRARY_ADMIN, CENTRAL_OFFICE)
TRANSIT, CRATE = states.TRANSIT_TABLE, states.CRATE_TABLE


def refused(table, before: str | None, trigger: str, role: str, words: str | None = None) -> None:  # noqa: ANN001
    with pytest.raises(states.TransitionError, match=words):
        table.next_state(before, trigger, role)


def test_it_transit_1_opens_a_transit_for_staff_or_the_system():
    for role in (*STAFF_ROLES, SYSTEM):
        assert TRANSIT.next_state(None, "open", role) == states.WAITING
    refused(TRANSIT, None, "open", PATRON, "Your role \\(patron\\) may not open a transit")


def test_it_transit_2_and_transit_3_pack_and_unpack_at_a_desk_only():
    assert TRANSIT.next_state(states.WAITING, "pack", DESK) == states.PACKED
    assert TRANSIT.next_state(states.PACKED, "unpack", DESK) == states.WAITING
    refused(TRANSIT, states.WAITING, "pack", SYSTEM)
    refused(TRANSIT, states.PACKED, "unpack", SYSTEM)


def test_it_transit_4_ships_loose_or_in_a_crate_at_a_desk_only():
    for before in (states.WAITING, states.PACKED):
        assert TRANSIT.next_state(before, "ship", LIBRARY_ADMIN) == states.SHIPPED
        refused(TRANSIT, before, "ship", SYSTEM)
    refused(TRANSIT, states.RECEIVED, "ship", DESK, "'Received' cannot be given 'ship'")


def test_it_transit_5_receives_an_open_transit_for_staff_or_the_system():
    for before in states.OPEN:
        for role in (DESK, SYSTEM):
            assert TRANSIT.next_state(before, "receive", role) == states.RECEIVED
        refused(TRANSIT, before, "receive", PATRON)


def test_it_transit_6_finds_a_missing_item_by_a_desk_scan_only():
    assert TRANSIT.next_state(states.MISSING, "receive", DESK) == states.RECEIVED
    refused(TRANSIT, states.MISSING, "receive", SYSTEM, "may not receive a transit")


def test_it_transit_7_cancels_a_transit_that_never_left():
    for before in (states.WAITING, states.PACKED):
        for role in (DESK, SYSTEM):
            assert TRANSIT.next_state(before, "cancel", role) == states.CANCELLED
    refused(TRANSIT, states.SHIPPED, "cancel", DESK, "'On its way' cannot be given 'cancel'")


def test_it_transit_8_declares_missing_by_staff_only():
    assert TRANSIT.next_state(states.SHIPPED, "declare_missing", DESK) == states.MISSING
    for role in (SYSTEM, PATRON):
        refused(TRANSIT, states.SHIPPED, "declare_missing", role)


def test_it_crate_1_opens_a_crate_at_a_desk_only():
    assert CRATE.next_state(None, "open", DESK) == states.CRATE_OPEN
    for role in (SYSTEM, PATRON):
        refused(CRATE, None, "open", role, "may not open a crate")


def test_it_crate_2_and_crate_3_close_and_reopen_a_crate():
    assert CRATE.next_state(states.CRATE_OPEN, "close", DESK) == states.CRATE_CLOSED
    assert CRATE.next_state(states.CRATE_CLOSED, "reopen", DESK) == states.CRATE_OPEN
    refused(CRATE, states.CRATE_SHIPPED, "reopen", CENTRAL_OFFICE, "'Shipped' cannot be given")


def test_it_crate_4_ships_only_a_closed_crate():
    assert CRATE.next_state(states.CRATE_CLOSED, "ship", DESK) == states.CRATE_SHIPPED
    refused(CRATE, states.CRATE_OPEN, "ship", DESK, "'Open: being packed' cannot be given")
    refused(CRATE, states.CRATE_CLOSED, "ship", SYSTEM)


def test_it_crate_5_and_crate_6_receive_and_reconcile_at_a_desk():
    assert CRATE.next_state(states.CRATE_SHIPPED, "receive", DESK) == states.CRATE_RECEIVED
    assert CRATE.next_state(states.CRATE_RECEIVED, "reconcile", DESK) == states.CRATE_RECONCILED
    refused(CRATE, states.CRATE_RECEIVED, "reconcile", SYSTEM)


def test_the_page_is_the_tables():
    check_page_is_the_table(TRANSIT, PAGE, "TRANSIT")
    check_page_is_the_table(CRATE, PAGE, "CRATE")


def test_every_state_trigger_and_role_answers_as_the_page_says():
    check_every_move(TRANSIT, PAGE, "TRANSIT")
    check_every_move(CRATE, PAGE, "CRATE")


def test_it_closes_every_journey_only_by_receipt_cancel_or_loss():
    closed = set(states.TRANSIT_LABELS) - set(states.OPEN)
    assert closed == {"received", "cancelled", "missing"}
    assert all(t.before not in ("received", "cancelled") for t in TRANSIT.transitions)
