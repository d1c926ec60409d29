"""The hold's state table (docs/holds/states.md): a test per id, and the page is the table."""

from __future__ import annotations

import pytest

from onelibrary.core.states import CENTRAL_OFFICE, DESK, LIBRARY_ADMIN, PATRON, SYSTEM
from onelibrary.holds import states
from onelibrary.holds.models import OPEN_STATES, Hold
from tests.state_docs import check_every_move, check_page_is_the_table

S = Hold.State
PAGE = "holds/states.md"
STAFF_ROLES = (DESK, LIBRARY_ADMIN, CENTRAL_OFFICE)


def after(before: str, trigger: str, role: str) -> str:
    return states.TABLE.next_state(before, trigger, role)


def refused(before: str, trigger: str, role: str, words: str | None = None) -> None:
    with pytest.raises(states.TransitionError, match=words):
        after(before, trigger, role)


def test_it_hold_1_routes_a_waiting_hold_only_as_the_system():
    assert after(S.WAITING, "route", SYSTEM) == S.ROUTED
    for role in (*STAFF_ROLES, PATRON):
        refused(S.WAITING, "route", role, f"Your role \\({role}\\) may not route a hold")


def test_it_hold_2_and_hold_3_capture_for_the_shelf_here_or_to_send():
    for role in (*STAFF_ROLES, SYSTEM):
        assert after(S.WAITING, "capture_to_shelf", role) == S.ON_SHELF
        assert after(S.WAITING, "capture_to_send", role) == S.IN_TRANSIT
    refused(S.WAITING, "capture_to_shelf", PATRON)
    refused(S.ROUTED, "capture_to_send", DESK, "'Copy to be pulled' cannot be given")


def test_it_hold_4_and_hold_5_pull_a_routed_copy_at_a_desk():
    assert after(S.ROUTED, "pull_to_shelf", DESK) == S.ON_SHELF
    assert after(S.ROUTED, "pull_to_send", LIBRARY_ADMIN) == S.IN_TRANSIT
    for role in (SYSTEM, PATRON):
        refused(S.ROUTED, "pull_to_shelf", role)
    refused(S.WAITING, "pull_to_send", DESK)


def test_it_hold_6_sends_a_hold_back_to_wait_when_its_copy_is_not_on_the_shelf():
    assert after(S.ROUTED, "not_on_shelf", DESK) == S.WAITING
    refused(S.ROUTED, "not_on_shelf", PATRON)


def test_it_hold_7_reroutes_a_missed_pull_as_the_system_only():
    assert after(S.ROUTED, "pull_deadline_missed", SYSTEM) == S.WAITING
    refused(S.ROUTED, "pull_deadline_missed", CENTRAL_OFFICE)


def test_it_hold_8_releases_a_routed_copy_for_staff_or_the_patron():
    for role in (*STAFF_ROLES, PATRON):
        assert after(S.ROUTED, "release", role) == S.WAITING
    refused(S.ROUTED, "release", SYSTEM)
    refused(S.IN_TRANSIT, "release", PATRON, "'Copy on its way' cannot be given 'release'")


def test_it_hold_9_puts_an_arriving_copy_on_the_shelf():
    assert after(S.IN_TRANSIT, "arrive_to_shelf", DESK) == S.ON_SHELF
    refused(S.IN_TRANSIT, "arrive_to_shelf", PATRON)


def test_it_hold_10_waits_again_when_its_copy_is_lost_in_transit():
    assert after(S.IN_TRANSIT, "lost_in_transit", DESK) == S.WAITING
    refused(S.IN_TRANSIT, "lost_in_transit", PATRON)


def test_it_hold_11_is_fulfilled_at_a_desk_only():
    assert after(S.ON_SHELF, "fulfil", DESK) == S.FULFILLED
    for role in (PATRON, SYSTEM):
        refused(S.ON_SHELF, "fulfil", role, "may not fulfil a hold")


def test_it_hold_12_expires_only_by_the_background_run():
    assert after(S.ON_SHELF, "expire", SYSTEM) == S.EXPIRED
    for role in (*STAFF_ROLES, PATRON):
        refused(S.ON_SHELF, "expire", role)


def test_it_hold_13_cancels_an_open_hold_for_staff_or_the_patron():
    for before in OPEN_STATES:
        for role in (*STAFF_ROLES, PATRON):
            assert after(before, "cancel", role) == S.CANCELLED
        refused(before, "cancel", SYSTEM)
    for closed in (S.FULFILLED, S.CANCELLED, S.EXPIRED):
        refused(closed, "cancel", PATRON, "cannot be given 'cancel'")


def test_it_hold_14_and_hold_15_suspend_and_resume_a_waiting_hold():
    for role in (DESK, PATRON):
        assert after(S.WAITING, "suspend", role) == S.WAITING
        assert after(S.WAITING, "resume", role) == S.WAITING
    refused(S.WAITING, "suspend", SYSTEM)
    refused(S.ON_SHELF, "suspend", PATRON)


def test_it_hold_16_and_hold_17_change_the_pickup_branch_before_the_shelf():
    for role in (CENTRAL_OFFICE, PATRON):
        assert after(S.WAITING, "change_pickup", role) == S.WAITING
        assert after(S.IN_TRANSIT, "change_pickup", role) == S.IN_TRANSIT
    refused(S.ON_SHELF, "change_pickup", PATRON, "'Ready for pickup' cannot be given")
    refused(S.ROUTED, "change_pickup", PATRON)  # it gives up its copy first (HOLD-8)


def test_the_page_is_the_table():
    check_page_is_the_table(states.TABLE, PAGE, "HOLD")


def test_every_state_trigger_and_role_answers_as_the_page_says():
    check_every_move(states.TABLE, PAGE, "HOLD")


def test_a_closed_hold_never_moves_again():
    closed = {S.FULFILLED, S.CANCELLED, S.EXPIRED}
    assert all(t.before not in closed for t in states.TABLE.transitions)
