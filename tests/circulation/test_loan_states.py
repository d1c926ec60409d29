"""The loan's state table (docs/circulation/README.md): a test per id, and the page is the
table."""

from __future__ import annotations

import pytest

from onelibrary.circulation import states
from onelibrary.core.states import CENTRAL_OFFICE, DESK, LIBRARY_ADMIN, PATRON, SYSTEM
from tests.state_docs import check_every_move, check_page_is_the_table

PAGE = "circulation/README.md"
STAFF_ROLES = (DESK, LIBRARY_ADMIN, CENTRAL_OFFICE)


def after(before: str | None, trigger: str, role: str) -> str:
    return states.TABLE.next_state(before, trigger, role)


def refused(before: str | None, trigger: str, role: str, words: str | None = None) -> None:
    with pytest.raises(states.TransitionError, match=words):
        after(before, trigger, role)


def test_it_loan_1_lends_at_a_desk_only():
    for role in STAFF_ROLES:
        assert after(None, "checkout", role) == states.ACTIVE
    for role in (PATRON, SYSTEM):
        refused(None, "checkout", role, f"Your role \\({role}\\) may not checkout a loan")


def test_it_loan_2_renews_for_staff_or_the_patron():
    for role in (*STAFF_ROLES, PATRON):
        assert after(states.ACTIVE, "renew", role) == states.ACTIVE
    refused(states.ACTIVE, "renew", SYSTEM)
    refused(states.LOST, "renew", PATRON, "A loan that is 'Lost' cannot be given 'renew'")


def test_it_loan_3_checks_in_a_loan_at_a_desk():
    assert after(states.ACTIVE, "checkin", DESK) == states.RETURNED
    refused(states.ACTIVE, "checkin", PATRON)


def test_it_loan_4_takes_a_claim_of_return_at_a_desk():
    assert after(states.ACTIVE, "claims_returned", DESK) == states.CLAIMS_RETURNED
    refused(states.ACTIVE, "claims_returned", PATRON, "may not claims returned a loan")


def test_it_loan_5_marks_a_loan_lost_at_a_desk():
    assert after(states.ACTIVE, "mark_lost", LIBRARY_ADMIN) == states.LOST
    refused(states.ACTIVE, "mark_lost", SYSTEM)


def test_it_loan_6_and_loan_7_close_a_claim_of_return_found_or_lost():
    assert after(states.CLAIMS_RETURNED, "checkin", DESK) == states.RETURNED
    assert after(states.CLAIMS_RETURNED, "mark_lost", DESK) == states.LOST
    refused(states.CLAIMS_RETURNED, "renew", DESK, "'Claims returned' cannot be given 'renew'")


def test_it_loan_8_checks_in_a_lost_copy_found():
    assert after(states.LOST, "checkin", CENTRAL_OFFICE) == states.RETURNED
    refused(states.RETURNED, "checkin", DESK, "'Returned' cannot be given 'checkin'")


def test_the_page_is_the_table():
    check_page_is_the_table(states.TABLE, PAGE, "LOAN")


def test_every_state_trigger_and_role_answers_as_the_page_says():
    check_every_move(states.TABLE, PAGE, "LOAN")
