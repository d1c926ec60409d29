"""Checkin actions, one test per CHECKIN-n case in docs/circulation/checkin.md."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import connection

from onelibrary.catalog.models import Item
from onelibrary.circulation import actions, scans
from onelibrary.circulation.models import Charge, Event, Loan, UnprocessedScan
from onelibrary.core.refusals import Refusal


def lend(world, item=None, patron=None, now=None):
    return actions.check_out(
        world.central, world.riv_main, patron or world.ada, item or world.dune_riv, now=now
    ).loan


def back(world, item=None, branch=None, staff=None, now=None):
    return actions.check_in(
        staff or world.central, branch or world.riv_main, item or world.dune_riv, now=now
    )


def status(item):
    item.refresh_from_db()
    return item.status


def test_it_checkin_1_shelves_an_item_returned_home(world, rules):
    loan = lend(world)
    outcome = back(world)
    assert (outcome.decision, outcome.instruction) == ("CHECKIN-1", "SHELVE")
    loan.refresh_from_db()
    assert loan.state == Loan.State.RETURNED and loan.checkin_branch == world.riv_main
    assert status(world.dune_riv) == Item.Status.AVAILABLE


def test_it_checkin_2_sends_a_returned_item_home(world, rules):
    lend(world)
    outcome = back(world, branch=world.elk_main)
    assert outcome.decision == "CHECKIN-2"
    assert outcome.instruction == "SEND TO RIVERTON MAIN (RIV-MAIN)"
    world.dune_riv.refresh_from_db()
    assert world.dune_riv.status == Item.Status.IN_TRANSIT
    assert world.dune_riv.current_branch == world.elk_main


def test_it_checkin_3_lets_a_floating_item_stay_where_it_is_returned(world, rules):
    Item.objects.filter(pk=world.dune_riv.pk).update(floating=True)
    lend(world)
    outcome = back(world, branch=world.elk_main)
    assert outcome.decision == "CHECKIN-3"
    world.dune_riv.refresh_from_db()
    assert world.dune_riv.home_branch == world.elk_main
    assert world.dune_riv.status == Item.Status.AVAILABLE


def test_it_checkin_4_recognises_a_repeated_scan(world, rules):
    lend(world)
    back(world)
    again = back(world)
    assert again.decision == "CHECKIN-4" and again.repeated
    assert "not counted again" in again.message
    assert Event.objects.filter(kind="checkin").count() == 1


def test_it_checkin_4_says_an_item_not_on_loan_needs_nothing(world, rules):
    outcome = back(world)
    assert outcome.decision == "CHECKIN-4" and not outcome.repeated
    assert not Event.objects.exists()


def test_it_checkin_5_receives_an_item_arriving_home(world, rules):
    lend(world)
    back(world, branch=world.elk_main)
    arrived = back(world, branch=world.riv_main)
    assert (arrived.decision, arrived.instruction) == ("CHECKIN-5", "SHELVE")
    assert status(world.dune_riv) == Item.Status.AVAILABLE


def test_it_checkin_6_sends_on_an_item_arriving_at_the_wrong_branch(world, rules):
    lend(world)
    back(world, branch=world.elk_main)
    outcome = back(world, branch=world.pine_main)
    assert outcome.decision == "CHECKIN-6"
    assert outcome.instruction.startswith("SEND TO RIVERTON MAIN")
    world.dune_riv.refresh_from_db()
    assert world.dune_riv.current_branch == world.pine_main


def test_it_checkin_7_cancels_the_lost_charge_when_a_lost_item_returns(world, rules):
    Item.objects.filter(pk=world.dune_riv.pk).update(price=Decimal("18.00"))
    loan = lend(world)
    actions.mark_lost(world.central, world.riv_main, loan)
    charge = Charge.objects.get(kind=Charge.Kind.LOST)
    outcome = back(world)
    assert outcome.decision == "CHECKIN-7"
    charge.refresh_from_db()
    assert charge.settled_at is not None
    assert status(world.dune_riv) == Item.Status.AVAILABLE


def test_it_checkin_8_resolves_a_claims_returned_loan(world, rules):
    loan = lend(world)
    actions.mark_claims_returned(world.central, world.riv_main, loan)
    outcome = back(world)
    assert outcome.decision == "CHECKIN-8"
    loan.refresh_from_db()
    assert loan.state == Loan.State.RETURNED


def test_it_checkin_9_makes_a_found_missing_item_available(world, rules):
    Item.objects.filter(pk=world.dune_riv.pk).update(status="missing")
    outcome = back(world)
    assert outcome.decision == "CHECKIN-9"
    assert status(world.dune_riv) == Item.Status.AVAILABLE


def test_it_checkin_10_sets_a_damaged_item_aside_unchanged(world, rules):
    Item.objects.filter(pk=world.dune_riv.pk).update(status="damaged")
    outcome = back(world)
    assert (outcome.decision, outcome.instruction) == ("CHECKIN-10", "SET ASIDE: DAMAGED")
    assert status(world.dune_riv) == Item.Status.DAMAGED


def test_it_checkin_11_fines_a_late_return_up_to_the_cap(world, rules, monday_noon):
    # Pine Creek's rule: 25 cents a day, capped at $5.
    lend(world, item=world.dune_pine, now=monday_noon)
    loan = Loan.objects.get()
    three_days_late = monday_noon + dt.timedelta(days=(loan.due_date - monday_noon.date()).days + 3)
    outcome = back(world, item=world.dune_pine, branch=world.pine_main, now=three_days_late)
    assert outcome.decision == "CHECKIN-11"
    fine = Charge.objects.get(kind=Charge.Kind.OVERDUE)
    assert (fine.amount, fine.library, fine.patron) == (Decimal("0.75"), world.pine, world.ada)
    lend(world, item=world.dune_pine, now=monday_noon)
    back(
        world,
        item=world.dune_pine,
        branch=world.pine_main,
        now=monday_noon + dt.timedelta(days=200),
    )
    assert Charge.objects.order_by("pk").last().amount == Decimal("5.00")


def test_it_charges_nothing_late_under_a_fine_free_rule(world, rules, monday_noon):
    lend(world, now=monday_noon)
    back(world, now=monday_noon + dt.timedelta(days=60))
    assert not Charge.objects.exists()


def test_it_checkin_12_keeps_an_unknown_barcode_as_an_unprocessed_scan(world, rules):
    with pytest.raises(Refusal, match="No item in the group"):
        scans.checkin_scan(world.desk_riv, world.riv_main, "31000000009999")
    kept = UnprocessedScan.objects.get()
    assert (kept.screen, kept.barcode, kept.staff) == ("checkin", "31000000009999", world.desk_riv)


def test_it_checkin_13_says_a_library_card_is_not_an_item(world, rules):
    with pytest.raises(Refusal, match="patron's library card"):
        scans.checkin_scan(world.desk_riv, world.riv_main, world.ada.card)
    assert UnprocessedScan.objects.get().code == "patron_card_as_item"


@pytest.mark.django_db(transaction=True)
def test_it_checkin_14_processes_one_of_two_simultaneous_checkins(world, rules):
    lend(world)
    barrier = threading.Barrier(2)
    outcomes, errors = [], []

    def desk():
        try:
            barrier.wait()
            outcomes.append(back(world))
        except Refusal as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=desk) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert Event.objects.filter(kind="checkin").count() == 1
    assert Loan.objects.get().state == Loan.State.RETURNED
    decisions = sorted(o.decision for o in outcomes) + [e.decision for e in errors]
    assert sorted(decisions) == ["CHECKIN-1", "CHECKIN-4"] or sorted(decisions) == [
        "CHECKIN-1",
        "CHECKIN-14",
    ]


def test_it_checkin_15_takes_back_an_item_found_out_of_place(world, rules):
    outcome = back(world, branch=world.elk_main)
    assert outcome.decision == "CHECKIN-15"
    assert outcome.instruction.startswith("SEND TO RIVERTON MAIN")


def test_it_checkin_16_leaves_a_hold_shelf_item_alone(world, rules):
    Item.objects.filter(pk=world.dune_riv.pk).update(status="on_hold_shelf")
    outcome = back(world)
    assert (outcome.decision, outcome.instruction) == ("CHECKIN-16", "HOLD SHELF")
    assert status(world.dune_riv) == Item.Status.ON_HOLD_SHELF


def test_it_cuts_the_patron_link_at_checkin_without_opt_in(world, rules):
    loan = lend(world)
    back(world)
    loan.refresh_from_db()
    assert loan.patron is None
    assert not Event.objects.filter(patron=world.ada).exists()
    assert Event.objects.filter(kind="checkout").count() == 1  # the count remains


def test_it_keeps_loan_history_for_a_patron_who_opted_in(world, rules):
    world.ada.keep_loan_history = True
    world.ada.save()
    loan = lend(world)
    back(world)
    loan.refresh_from_db()
    assert loan.patron == world.ada


def test_it_checkin_4_does_not_double_a_repeated_scan_of_an_item_sent_home(world, rules):
    lend(world)
    back(world, branch=world.elk_main)
    again = back(world, branch=world.elk_main)
    assert (again.decision, again.repeated) == ("CHECKIN-4", True)
    assert again.instruction.startswith("SEND TO RIVERTON MAIN")
    assert Event.objects.filter(kind="checkin").count() == 1


def test_it_checkin_10_sets_a_withdrawn_item_aside_unchanged(world, rules):
    Item.objects.filter(pk=world.dune_riv.pk).update(status="withdrawn")
    outcome = back(world)
    assert (outcome.decision, outcome.instruction) == ("CHECKIN-10", "SET ASIDE: WITHDRAWN")
    assert status(world.dune_riv) == Item.Status.WITHDRAWN


def test_it_checkin_15_sends_home_an_item_shelved_away_from_home(world, rules):
    Item.objects.filter(pk=world.dune_riv.pk).update(current_branch=world.elk_main)
    outcome = back(world, branch=world.elk_main)
    assert outcome.decision == "CHECKIN-15"
    assert status(world.dune_riv) == Item.Status.IN_TRANSIT
