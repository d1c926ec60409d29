"""The membership lifecycle table (members/lifecycle.py, docs/members.md MEMBER-1 … 10)
and its effects where holds and the desk read it."""

from __future__ import annotations

import pytest

from onelibrary.circulation.actions import check_out
from onelibrary.circulation.lookup import CirculationError
from onelibrary.holds import actions as holds
from onelibrary.holds.actions import HoldError
from onelibrary.holds.models import Hold
from onelibrary.members import lifecycle
from onelibrary.members.models import Library
from onelibrary.members.pickup import may_be_pickup, pickup_branches

S = Library.Status


def set_status(library: Library, status: str) -> None:
    Library.objects.filter(pk=library.pk).update(status=status)
    library.refresh_from_db()


# --- the table, as a specification ---------------------------------------------------


def test_member_1_an_applicant_takes_part_in_nothing():
    allowed = lifecycle.allowed(lifecycle.APPLICANT)
    assert not (allowed.pickup or allowed.lending or allowed.borrowing or allowed.new_holds)
    assert lifecycle.decision_for("applicant") == "MEMBER-1"


def test_member_2_an_onboarding_member_is_not_yet_live():
    allowed = lifecycle.allowed(lifecycle.ONBOARDING)
    assert not (allowed.pickup or allowed.lending or allowed.borrowing or allowed.new_holds)


def test_member_3_an_active_member_does_everything():
    allowed = lifecycle.allowed(lifecycle.ACTIVE)
    assert allowed.pickup and allowed.lending and allowed.borrowing and allowed.new_holds
    assert lifecycle.PICKUP_STATUSES == ("active",) == lifecycle.LENDING_STATUSES


def test_member_4_a_leaving_member_starts_nothing_new():
    allowed = lifecycle.allowed(lifecycle.LEAVING)
    assert not (allowed.pickup or allowed.lending or allowed.new_holds or allowed.borrowing)
    assert "leaving" in allowed.why_not


def test_member_5_a_member_that_left_and_an_unknown_status_do_nothing():
    assert lifecycle.allowed("left") == lifecycle.TABLE["left"]
    assert not lifecycle.allowed("nonsense").lending


def test_the_table_speaks_for_every_status_of_the_model():
    assert set(lifecycle.STATUSES) == set(S.values) == set(lifecycle.TABLE)


def test_its_own_copies_to_its_own_patrons_are_never_refused():
    assert lifecycle.group_loan_refusal("leaving", "leaving", same_library=True) == ""
    assert lifecycle.group_loan_refusal("leaving", "active", same_library=False) == "owner"
    assert lifecycle.group_loan_refusal("active", "onboarding", same_library=False) == "home"
    assert lifecycle.group_loan_refusal("active", "active", same_library=False) == ""


def test_moves_are_refused_from_the_wrong_status():
    assert lifecycle.move_refusal("accept", "applicant") == ""
    assert "from applicant only" in lifecycle.move_refusal("accept", "active")
    assert "no membership step" in lifecycle.move_refusal("fly", "active")
    assert lifecycle.MOVES["remove"].board_only


# --- its effects -----------------------------------------------------------------------


@pytest.mark.django_db
def test_an_applicants_branch_is_refused_as_pickup(hw):
    set_status(hw.elk, S.APPLICANT)
    assert not may_be_pickup(hw.elk_main)
    assert hw.elk_main not in pickup_branches()
    with pytest.raises(HoldError) as refused:
        holds.place_hold(hw.desk_riv, hw.ada, hw.elk_main, title=hw.dune)
    assert refused.value.decision == "HOLD-18"
    assert "has applied to join the group" in refused.value.message
    assert not Hold.objects.exists()


@pytest.mark.django_db
def test_a_leaving_members_copy_is_not_routed(hw):
    """Ada (RIV) holds Dune; Riverton's copy is out, so the only copy on a shelf is Pine
    Creek's, and Pine Creek is leaving: the hold waits (MEMBER-4)."""
    hw.dune_riv.status = "checked_out"
    hw.dune_riv.save(update_fields=["status"])
    set_status(hw.pine, S.LEAVING)
    placed = holds.place_hold(hw.desk_riv, hw.ada, hw.riv_main, title=hw.dune)
    assert placed.hold.state == Hold.State.WAITING
    assert placed.hold.assigned_item is None


@pytest.mark.django_db
def test_an_active_members_copy_is_routed_as_before(hw):
    hw.dune_riv.status = "checked_out"
    hw.dune_riv.save(update_fields=["status"])
    placed = holds.place_hold(hw.desk_riv, hw.ada, hw.riv_main, title=hw.dune)
    assert placed.hold.assigned_item == hw.dune_pine


@pytest.mark.django_db
def test_member_4_a_leaving_members_patrons_place_no_new_holds(hw):
    set_status(hw.pine, S.LEAVING)
    with pytest.raises(HoldError) as refused:
        holds.place_hold(hw.desk_riv, hw.ben, hw.riv_main, title=hw.dune)
    assert refused.value.code == "member_no_new_holds"
    assert refused.value.decision == "MEMBER-4"


@pytest.mark.django_db
def test_member_4_a_leaving_members_copy_does_not_go_out_to_another_members_patron(hw):
    set_status(hw.pine, S.LEAVING)
    with pytest.raises(CirculationError) as refused:
        check_out(hw.desk_pine, hw.pine_main, hw.ada, hw.dune_pine)
    assert refused.value.code == "member_not_lending"
    assert refused.value.decision == "MEMBER-4"
    hw.dune_pine.refresh_from_db()
    assert hw.dune_pine.status == "available"


@pytest.mark.django_db
def test_member_2_an_onboarding_members_patron_borrows_only_its_own_copies(hw):
    set_status(hw.pine, S.ONBOARDING)
    with pytest.raises(CirculationError) as refused:
        check_out(hw.desk_riv, hw.riv_main, hw.ben, hw.dune_riv)
    assert refused.value.code == "member_not_borrowing"
    assert refused.value.decision == "MEMBER-2"
    # Its own copy to its own patron at its own desk: its own business.
    outcome = check_out(hw.desk_pine, hw.pine_main, hw.ben, hw.dune_pine)
    assert outcome.loan is not None
