"""Who may move a hold (docs/holds/states.md, "Who may"): the actor's real role reaches
the table, and a move the role may not make is refused with nothing changed."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from onelibrary.account import actions as account
from onelibrary.circulation import holds_desk
from onelibrary.core.states import CENTRAL_OFFICE, DESK, LIBRARY_ADMIN, PATRON, SYSTEM
from onelibrary.holds import actions
from onelibrary.holds.actions import HoldError
from onelibrary.holds.models import Hold, HoldEvent
from tests.holds.conftest import fresh


def ada_holds_dune(hw) -> Hold:
    return actions.load_hold(
        actions.place_hold(hw.desk_riv, hw.ada, hw.riv_main, title=hw.dune).hold
    )


def test_it_changes_a_hold_in_the_actors_role(hw):
    hold = ada_holds_dune(hw)
    assert actions.role_of(None, hold) == PATRON
    assert actions.role_of(hw.desk_riv, hold) == DESK
    assert actions.role_of(hw.admin_riv, hold) == LIBRARY_ADMIN
    assert actions.role_of(hw.central, hold) == CENTRAL_OFFICE
    # Pine's desk serves Ada too, as desk staff: she may ask at any desk of the group.
    assert actions.role_of(hw.desk_pine, hold) == DESK


def test_it_refuses_a_change_by_an_account_that_is_not_staff(hw):
    hold = ada_holds_dune(hw)
    nobody = User.objects.create_user("visitor")
    with pytest.raises(HoldError) as refused:
        holds_desk.cancel_hold(nobody, hold)
    assert refused.value.code == "not_staff"
    assert fresh(hold).state == Hold.State.ROUTED


def test_a_patron_may_not_pull_a_copy_and_nothing_changes(hw):
    hold = ada_holds_dune(hw)
    with pytest.raises(HoldError, match=r"Your role \(patron\) may not pull to shelf a hold"):
        actions.move(hold, "pull_to_shelf", PATRON, assigned_item=hw.dune_riv)
    assert fresh(hold).state == Hold.State.ROUTED


def test_staff_may_not_expire_a_hold_only_the_background_run_may(hw):
    hold = ada_holds_dune(hw)
    Hold.objects.filter(pk=hold.pk).update(state=Hold.State.ON_SHELF)
    with pytest.raises(HoldError, match=r"Your role \(desk\) may not expire a hold"):
        actions.claim(hold.pk, Hold.State.ON_SHELF, "expire", DESK)
    assert fresh(hold).state == Hold.State.ON_SHELF
    assert actions.claim(hold.pk, Hold.State.ON_SHELF, "expire", SYSTEM)
    assert fresh(hold).state == Hold.State.EXPIRED


def test_a_patron_suspends_and_changes_pickup_of_their_own_hold_as_the_patron(hw):
    hold = ada_holds_dune(hw)
    account.change_pickup(hw.ada, hold.pk, hw.riv_east.code)
    hold = fresh(hold)
    assert hold.pickup_branch == hw.riv_east
    events = HoldEvent.objects.filter(hold=hold, kind__in=("release", "pickup_changed"))
    assert {(e.kind, e.staff) for e in events} == {("release", None), ("pickup_changed", None)}
