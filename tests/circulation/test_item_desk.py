"""The desk's actions on one copy (circulation/item_desk.py, docs/circulation/item-desk.md
and renew-and-more.md): each writes an event with staff, branch, decision id and note,
and a refusal changes nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from onelibrary.catalog.models import Item
from onelibrary.circulation import actions, item_desk, money
from onelibrary.circulation.models import Charge, Event, Loan
from onelibrary.core.refusals import Refusal
from onelibrary.holds import actions as holds_actions
from onelibrary.holds.models import Hold
from onelibrary.patrons.models import Patron
from tests.conftest import make_staff

S = Item.Status


@pytest.fixture
def loan(world, rules, monday_noon) -> Loan:
    return actions.check_out(
        world.desk_riv, world.riv_main, world.ada, world.dune_riv, now=monday_noon
    ).loan


def status(item: Item) -> str:
    return Item.objects.get(pk=item.pk).status


def counts() -> tuple[int, ...]:
    return (Event.objects.count(), Charge.objects.filter(settled_at=None).count())


def refused(call, decision: str, code: str | None = None) -> Refusal:
    before = counts()
    with pytest.raises(Refusal) as error:
        call()
    assert error.value.decision == decision, error.value.message
    if code is not None:
        assert error.value.code == code, error.value.message
    assert counts() == before
    return error.value


def test_it_missing_1_marks_a_copy_on_the_shelf_missing_with_a_note(world, rules):
    done = item_desk.declare_missing(
        world.desk_riv, world.riv_main, world.dune_riv, note="Not on the shelf twice"
    )
    assert done.decision == "MISSING-1" and status(world.dune_riv) == S.MISSING
    event = Event.objects.get(kind="missing")
    assert (event.staff, event.branch, event.decision) == (
        world.desk_riv,
        world.riv_main,
        "MISSING-1",
    )
    assert event.detail == {"note": "Not on the shelf twice", "status_before": "available"}


def test_it_missing_1_routes_a_hold_on_the_copy_to_another_one(world, rules):
    hold = holds_actions.place_hold(
        world.desk_riv, world.ada, world.riv_main, title=world.dune
    ).hold
    hold.refresh_from_db()
    routed_to = hold.assigned_item
    assert hold.state == Hold.State.ROUTED and routed_to is not None
    staff, branch = (
        (world.desk_riv, world.riv_main)
        if routed_to.pk == world.dune_riv.pk
        else (world.desk_pine, world.pine_main)
    )
    done = item_desk.declare_missing(staff, branch, routed_to, note="Gone")
    hold.refresh_from_db()
    assert hold.assigned_item_id != routed_to.pk
    assert "hold routed to it" in done.message


def test_it_missing_2_refuses_without_a_note_on_loan_or_twice(world, loan):
    refused(
        lambda: item_desk.declare_missing(world.desk_riv, world.riv_main, world.dune_pine, note=""),
        "MISSING-2",
        "not_your_library",
    )
    refused(
        lambda: item_desk.declare_missing(
            world.desk_pine, world.pine_main, world.dune_pine, note=" "
        ),
        "MISSING-2",
        "note_required",
    )
    error = refused(
        lambda: item_desk.declare_missing(world.desk_riv, world.riv_main, world.dune_riv, note="x"),
        "MISSING-2",
        "wrong_state",
    )
    assert "Claims returned" in error.message
    item_desk.declare_missing(world.desk_pine, world.pine_main, world.dune_pine, note="Gone")
    refused(
        lambda: item_desk.declare_missing(
            world.desk_pine, world.pine_main, world.dune_pine, note="x"
        ),
        "MISSING-2",
        "wrong_state",
    )


def test_it_claims_1_needs_a_note_and_keeps_it(world, loan):
    refused(
        lambda: item_desk.claim_returned(world.desk_riv, world.riv_main, world.dune_riv, note=""),
        "CLAIMS-2",
        "note_required",
    )
    done = item_desk.claim_returned(
        world.desk_riv, world.riv_main, world.dune_riv, note="Says it went in the book drop"
    )
    assert done.decision == "CLAIMS-1" and status(world.dune_riv) == S.MISSING
    assert Event.objects.get(kind="claims_returned").detail["note"].startswith("Says it")


def test_it_claims_2_refuses_a_copy_not_on_an_active_loan(world, loan):
    refused(
        lambda: item_desk.claim_returned(
            world.desk_pine, world.pine_main, world.dune_pine, note="x"
        ),
        "CLAIMS-2",
        "not_on_loan",
    )
    item_desk.claim_returned(world.desk_riv, world.riv_main, world.dune_riv, note="Says so")
    refused(  # a repeat
        lambda: item_desk.claim_returned(world.desk_riv, world.riv_main, world.dune_riv, note="x"),
        "CLAIMS-2",
        "not_on_loan",
    )


def test_it_lost_1_also_follows_claims_returned(world, loan):
    Item.objects.filter(pk=world.dune_riv.pk).update(price=Decimal("20.00"))
    item_desk.claim_returned(world.desk_riv, world.riv_main, world.dune_riv, note="Says so")
    done = item_desk.declare_lost(world.desk_riv, world.riv_main, world.dune_riv, note="")
    loan.refresh_from_db()
    assert done.decision == "LOST-1" and loan.state == Loan.State.LOST
    assert Charge.objects.get().amount == Decimal("20.00")


def test_it_lost_2_writes_off_a_missing_copy_without_a_charge(world, rules):
    item_desk.declare_missing(world.desk_riv, world.riv_main, world.dune_riv, note="Gone")
    done = item_desk.declare_lost(world.desk_riv, world.riv_main, world.dune_riv, note="A year")
    assert done.decision == "LOST-2" and status(world.dune_riv) == S.LOST
    assert not Charge.objects.exists()
    assert Event.objects.get(decision="LOST-2").detail["note"] == "A year"


def test_it_lost_3_refuses_a_copy_on_the_shelf_or_already_lost(world, loan):
    refused(
        lambda: item_desk.declare_lost(world.desk_pine, world.pine_main, world.dune_pine, note=""),
        "LOST-3",
        "wrong_state",
    )
    item_desk.declare_lost(world.desk_riv, world.riv_main, world.dune_riv, note="")
    refused(
        lambda: item_desk.declare_lost(world.desk_riv, world.riv_main, world.dune_riv, note=""),
        "LOST-3",
        "wrong_state",
    )


def test_it_lets_the_borrowers_library_mark_a_loan_lost_but_not_a_stranger(world, rules):
    ben_loan = actions.check_out(world.desk_riv, world.riv_main, world.ben, world.dune_riv).loan
    assert ben_loan.borrower_library == world.pine
    elk = make_staff("desk.elk", "desk", world.elk)
    refused(
        lambda: item_desk.declare_lost(elk, world.elk_main, world.dune_riv, note=""),
        "LOST-3",
        "not_your_library",
    )
    assert (
        item_desk.declare_lost(world.desk_pine, world.pine_main, world.dune_riv, note="").decision
        == "LOST-1"
    )


def test_it_found_1_checks_a_missing_copy_in_and_shelves_it(world, rules):
    item_desk.declare_missing(world.desk_riv, world.riv_main, world.dune_riv, note="Gone")
    done = item_desk.declare_found(world.desk_riv, world.riv_main, world.dune_riv, note="Behind")
    assert (done.decision, done.instruction) == ("FOUND-1", "SHELVE")
    assert status(world.dune_riv) == S.AVAILABLE
    assert Event.objects.get(kind="checkin").decision == "CHECKIN-9"
    found = Event.objects.get(kind="found")
    assert found.detail["checkin"] == "CHECKIN-9" and found.detail["note"] == "Behind"


def test_it_found_1_at_another_library_sends_the_copy_home(world, rules):
    item_desk.declare_missing(world.desk_riv, world.riv_main, world.dune_riv, note="Gone")
    done = item_desk.declare_found(world.desk_pine, world.pine_main, world.dune_riv, note="")
    assert done.instruction.startswith("SEND TO RIVERTON")
    assert status(world.dune_riv) == S.IN_TRANSIT


def test_it_found_1_cancels_the_unpaid_lost_charge(world, loan):
    Item.objects.filter(pk=world.dune_riv.pk).update(price=Decimal("24.99"))
    item_desk.declare_lost(world.desk_riv, world.riv_main, world.dune_riv, note="")
    done = item_desk.declare_found(world.desk_riv, world.riv_main, world.dune_riv, note="")
    charge = Charge.objects.get()
    assert charge.settled_at is not None
    assert "the unpaid $24.99 is cancelled" in done.message
    loan.refresh_from_db()
    assert loan.state == Loan.State.RETURNED and loan.patron is None
    assert Event.objects.get(kind="checkin").decision == "CHECKIN-7"
    assert Event.objects.get(kind="found").detail["money"] == [
        "Lost-item charge: the unpaid $24.99 is cancelled."
    ]


def test_it_found_1_refunds_what_was_paid_for_the_lost_copy(world, loan):
    Item.objects.filter(pk=world.dune_riv.pk).update(price=Decimal("24.99"))
    item_desk.declare_lost(world.desk_riv, world.riv_main, world.dune_riv, note="")
    charge = Charge.objects.get()
    money.take_payment(
        world.desk_riv, world.riv_main, charge.patron, Decimal("10.00"), method="cash"
    )
    done = item_desk.declare_found(world.desk_riv, world.riv_main, world.dune_riv, note="")
    assert "refund $10.00 to the patron ($10.00 by cash)" in done.message
    assert "the unpaid $14.99 is cancelled" in done.message
    kinds = sorted(charge.entries.values_list("kind", flat=True))
    assert kinds == ["cancel", "payment", "refund"]


def test_it_found_2_refuses_a_copy_that_is_not_missing_or_lost(world, loan):
    for item in (world.dune_riv, world.dune_pine):  # on loan; on the shelf
        refused(
            lambda item=item: item_desk.declare_found(
                world.desk_riv, world.riv_main, item, note=""
            ),
            "FOUND-2",
            "wrong_state",
        )


def test_it_damaged_3_names_the_last_borrowers_library_after_the_patron_link_is_cut(world, rules):
    loan = actions.check_out(world.desk_riv, world.riv_main, world.ben, world.dune_riv).loan
    actions.check_in(world.desk_riv, world.riv_main, world.dune_riv)
    loan.refresh_from_db()
    assert loan.patron is None  # Ben does not keep his history
    item_desk.declare_damaged(world.desk_riv, world.riv_main, world.dune_riv, note="Coffee")
    event = Event.objects.get(kind="damaged")
    assert event.detail["last_borrower_library"] == "PINE"
    assert event.detail["last_loan"] == loan.pk
    assert (event.staff, event.branch, event.decision) == (
        world.desk_riv,
        world.riv_main,
        "DAMAGED-1",
    )


def test_it_damaged_3_says_nothing_of_a_copy_never_lent(world, rules):
    item_desk.declare_damaged(world.desk_riv, world.riv_main, world.dune_riv, note="Spine")
    assert "last_borrower_library" not in Event.objects.get(kind="damaged").detail


def test_it_lets_the_library_where_a_copy_is_mark_it_damaged(world, rules):
    elk = make_staff("desk.elk", "desk", world.elk)
    refused(
        lambda: item_desk.declare_damaged(elk, world.elk_main, world.dune_riv, note="Torn"),
        "DAMAGED-2",
        "not_your_library",
    )
    visiting = Item.objects.create(  # a Riverton copy on Pine Creek's shelf (it floats)
        barcode="31000000000099",
        title=world.dune,
        owning_library=world.riverton,
        home_branch=world.pine_main,
        current_branch=world.pine_main,
        floating=True,
    )
    done = item_desk.declare_damaged(world.desk_pine, world.pine_main, visiting, note="Torn")
    assert done.decision == "DAMAGED-1" and status(visiting) == S.DAMAGED
    refused(  # but only its own library puts it back
        lambda: item_desk.back_on_shelf(world.desk_pine, world.pine_main, visiting, note=""),
        "DAMAGED-4",
        "not_your_library",
    )


def test_it_damaged_4_puts_a_repaired_copy_back_on_the_shelf(world, rules):
    item_desk.declare_damaged(world.desk_riv, world.riv_main, world.dune_riv, note="Spine")
    refused(
        lambda: item_desk.declare_damaged(world.desk_riv, world.riv_main, world.dune_riv, note="x"),
        "DAMAGED-2",
    )
    done = item_desk.back_on_shelf(world.desk_riv, world.riv_main, world.dune_riv, note="Glued")
    assert done.decision == "DAMAGED-4" and status(world.dune_riv) == S.AVAILABLE
    refused(
        lambda: item_desk.back_on_shelf(world.desk_riv, world.riv_main, world.dune_riv, note=""),
        "DAMAGED-4",
        "wrong_state",
    )


def test_it_withdraw_1_is_for_the_owning_librarys_admin(world, rules):
    done = item_desk.withdraw(world.admin_riv, world.riv_main, world.dune_riv, note="Worn out")
    assert done.decision == "WITHDRAW-1" and status(world.dune_riv) == S.WITHDRAWN
    event = Event.objects.get(kind="withdrawn")
    assert (event.staff, event.detail["note"]) == (world.admin_riv, "Worn out")


def test_it_withdraw_2_reinstates_a_withdrawn_copy(world, rules):
    item_desk.withdraw(world.central, world.riv_main, world.dune_riv, note="Duplicate")
    done = item_desk.reinstate(world.admin_riv, world.riv_main, world.dune_riv, note="")
    assert done.decision == "WITHDRAW-2" and status(world.dune_riv) == S.AVAILABLE
    assert Event.objects.get(kind="reinstated").staff == world.admin_riv


def test_it_withdraw_3_refuses_desk_staff_strangers_a_missing_note_and_a_loan(world, loan):
    pine_admin = make_staff("admin.pine", "library_admin", world.pine)
    refused(
        lambda: item_desk.withdraw(world.desk_pine, world.pine_main, world.dune_pine, note="x"),
        "WITHDRAW-3",
        "not_your_library",
    )
    refused(
        lambda: item_desk.withdraw(pine_admin, world.pine_main, world.dune_riv, note="x"),
        "WITHDRAW-3",
        "not_your_library",
    )
    refused(
        lambda: item_desk.withdraw(world.admin_riv, world.riv_main, world.dune_riv, note=""),
        "WITHDRAW-3",
        "note_required",
    )
    refused(
        lambda: item_desk.withdraw(world.admin_riv, world.riv_main, world.dune_riv, note="x"),
        "WITHDRAW-3",
        "wrong_state",
    )
    refused(
        lambda: item_desk.reinstate(pine_admin, world.pine_main, world.dune_pine, note=""),
        "WITHDRAW-3",
        "wrong_state",
    )
    assert status(world.dune_pine) == S.AVAILABLE


def test_it_keeps_the_borrowers_library_on_the_loan_after_return(world, rules):
    loan = actions.check_out(world.desk_riv, world.riv_main, world.ben, world.dune_riv).loan
    actions.check_in(world.desk_riv, world.riv_main, world.dune_riv)
    loan.refresh_from_db()
    assert (loan.patron, loan.borrower_library) == (None, world.pine)
    assert Patron.objects.filter(pk=world.ben.pk).exists()


def test_the_migration_fills_the_borrowers_library_where_the_patron_is_still_linked(world, loan):
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "onelibrary.circulation.migrations.0002_loan_borrower_library"
    )
    returned = actions.check_out(world.desk_pine, world.pine_main, world.ben, world.dune_pine).loan
    actions.check_in(world.desk_pine, world.pine_main, world.dune_pine)  # Ben's link is cut
    Loan.objects.update(borrower_library=None)
    migration.backfill(apps, None)
    assert Loan.objects.get(pk=loan.pk).borrower_library == world.riverton
    assert Loan.objects.get(pk=returned.pk).borrower_library is None
