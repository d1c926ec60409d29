"""Checkout and checkin as pure decisions (circulation/decide.py): one test per case of
docs/circulation/checkout.md and checkin.md, with no database.

The cases decided before any facts exist (a barcode or card that is not one: CHECKOUT-2,
-3, -14, CHECKIN-12, -13), by the access module (CHECKOUT-15), by the database (two desks
at once: CHECKIN-14) and by the due-date arithmetic (CHECKOUT-13: tests/circulation/
test_duedates.py) are tested where they are decided.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from onelibrary.catalog.models import Item
from onelibrary.circulation import decide
from onelibrary.circulation.decide import (
    Block,
    Captured,
    CheckinFacts,
    CheckoutFacts,
    Copy,
    Place,
    after_capture,
    decide_checkin,
    decide_checkout,
)
from onelibrary.circulation.models import Loan

DUNE = Copy("Dune", "31000000000011", decide.AVAILABLE, "Available", here=True)
EXPIRED = Block("CHECKOUT-6", "card_expired", "Ada's card expired on 01 Jan 2026.")
TOO_MANY = Block("CHECKOUT-7", "too_many_items", "Ada has 10 items out; the limit is 10.")
OWES = Block("CHECKOUT-8", "fines_over_threshold", "Ada owes $12.00.")
STAFF_BLOCK = Block("CHECKOUT-17", "staff_block", "Ada's record is blocked by staff.")


def out(**changes: object) -> CheckoutFacts:
    return replace(CheckoutFacts(copy=DUNE, patron_name="Ada", blocks=()), **changes)


def status(value: str, label: str) -> Copy:
    return replace(DUNE, status=value, status_label=label)


def test_the_statuses_are_spelled_as_the_models_spell_them():
    for name in ("AVAILABLE", "CHECKED_OUT", "IN_TRANSIT", "ON_HOLD_SHELF", "IN_PROCESSING"):
        assert getattr(decide, name) == getattr(Item.Status, name)
    for name in ("MISSING", "LOST", "DAMAGED", "WITHDRAWN"):
        assert getattr(decide, name) == getattr(Item.Status, name)
    assert decide.LOAN_LOST == Loan.State.LOST
    assert decide.LOAN_CLAIMS_RETURNED == Loan.State.CLAIMS_RETURNED


# --- checkout ----------------------------------------------------------------------------


def test_it_checkout_1_lends_an_available_copy_to_a_patron_in_good_standing():
    answer = decide_checkout(out())
    assert (answer.decision, answer.lends, answer.refused) == ("CHECKOUT-1", True, None)


def test_it_asks_the_patrons_blocks_only_once_the_copy_may_be_lent():
    assert decide_checkout(out(blocks=None)).needs_blocks
    refused = decide_checkout(out(blocks=None, loan="another"))
    assert refused.refused is not None and not refused.needs_blocks


def test_it_checkout_4_changes_nothing_for_a_repeat_to_the_same_patron():
    answer = decide_checkout(out(loan="this_patron"))
    assert answer.decision == "CHECKOUT-4" and answer.repeated and not answer.lends


def test_it_checkout_5_refuses_a_copy_out_to_another_patron():
    refused = decide_checkout(out(loan="another")).refused
    assert refused is not None and refused.code == "checked_out_to_another"
    assert refused.decision == "CHECKOUT-5" and "Check it in first" in refused.message


def test_it_checkout_6_7_8_17_block_with_every_reason_and_say_who_may_override():
    for block in (EXPIRED, TOO_MANY, OWES, STAFF_BLOCK):
        refused = decide_checkout(out(blocks=(block,), may_override=True)).refused
        assert refused is not None and refused.decision == block.decision
        assert refused.overridable
    both = decide_checkout(out(blocks=(EXPIRED, OWES))).refused
    assert both is not None and both.code == "card_expired" and not both.overridable
    assert "$12.00" in both.message


def test_it_checkout_9_lends_past_a_block_only_for_an_admin_with_a_reason():
    blocked = out(blocks=(OWES,), override_reason="paid at the other desk")
    refused = decide_checkout(blocked).refused
    assert refused is not None and refused.code == "override_not_allowed"
    lent = decide_checkout(replace(blocked, may_override=True))
    assert (
        lent.decision == "CHECKOUT-9"
        and lent.lends
        and lent.overridden == ("fines_over_threshold",)
    )
    blank = decide_checkout(out(blocks=(OWES,), override_reason="   ", may_override=True))
    assert blank.refused is not None and blank.refused.decision == "CHECKOUT-8"


def test_it_checkout_10_refuses_a_copy_marked_lost_missing_withdrawn_damaged_or_in_processing():
    for value, label in (
        ("lost", "Lost"),
        ("missing", "Missing"),
        ("withdrawn", "Withdrawn"),
        ("damaged", "Damaged"),
        ("in_processing", "In processing"),
    ):
        refused = decide_checkout(out(copy=status(value, label))).refused
        assert refused is not None and refused.decision == "CHECKOUT-10"
        assert f"marked {label.lower()}" in refused.message


def test_it_checkout_11_refuses_a_copy_on_the_hold_shelf_for_someone_else():
    refused = decide_checkout(out(copy=status("on_hold_shelf", "On hold shelf"))).refused
    assert refused is not None and refused.decision == "CHECKOUT-11"


def test_it_checkout_12_refuses_a_copy_in_transit_that_left_or_travels_for_a_hold():
    travelling = status("in_transit", "In transit")
    gone = decide_checkout(out(copy=travelling, transit=decide.GONE)).refused
    assert gone is not None and (gone.decision, gone.code) == ("CHECKOUT-12", "in_transit")
    for_hold = decide_checkout(
        out(copy=travelling, transit=decide.WAITING_FOR_HOLD, transit_to="Pine Creek (PINE)")
    ).refused
    assert for_hold is not None and for_hold.code == "in_transit_for_hold"
    assert "Pine Creek (PINE)" in for_hold.message


def test_it_checkout_16_lends_the_hold_shelf_copy_to_its_patron_and_fills_the_hold():
    answer = decide_checkout(
        out(copy=status("on_hold_shelf", "On hold shelf"), on_shelf_for_patron=True)
    )
    assert (answer.decision, answer.fills_hold, answer.lends) == ("CHECKOUT-16", True, True)


def test_it_checkout_18_releases_a_transit_that_has_not_left_this_branch():
    answer = decide_checkout(out(copy=status("in_transit", "In transit"), transit=decide.WAITING))
    assert answer.decision == "CHECKOUT-1" and answer.release_transit and answer.lends


def test_a_blocked_patron_is_refused_before_a_transit_is_released():
    answer = decide_checkout(
        out(copy=status("in_transit", "In transit"), transit=decide.WAITING, blocks=(OWES,))
    )
    assert answer.refused is not None and not answer.release_transit


# --- checkin -----------------------------------------------------------------------------

SHELVE = Place("CHECKIN-1", "SHELVE")
HOME = Place("CHECKIN-2", "SEND TO RIVERTON MAIN (RIV-MAIN)")
FLOATS = Place("CHECKIN-3", "SHELVE HERE (FLOATS)")
ON_LOAN = replace(DUNE, status="checked_out", status_label="Checked out")


def returned(place: Place = SHELVE, **changes: object) -> CheckinFacts:
    return replace(CheckinFacts(copy=ON_LOAN, place=place, loan_state="active"), **changes)


def found(value: str, label: str, place: Place = SHELVE, **changes: object) -> CheckinFacts:
    copy = replace(DUNE, status=value, status_label=label, here=False)
    return replace(CheckinFacts(copy=copy, place=place), **changes)


def test_it_checkin_1_2_3_returns_the_loan_and_gives_the_copy_its_place():
    for place in (SHELVE, HOME, FLOATS):
        answer = decide_checkin(returned(place))
        assert answer.decision == place.decision and answer.instruction == place.instruction
        assert answer.closes_loan and answer.moves


def test_it_checkin_20_21_22_take_floatings_answer():
    for decision in ("CHECKIN-20", "CHECKIN-21", "CHECKIN-22"):
        place = Place(decision, "SEND OR SHELVE")
        assert decide_checkin(returned(place)).decision == decision


def test_it_checkin_4_changes_nothing_for_a_copy_already_where_it_belongs():
    on_shelf = replace(DUNE, here=True)
    assert decide.already_here(on_shelf, SHELVE)
    assert not decide.already_here(on_shelf, HOME)
    waiting = replace(DUNE, status="in_transit", status_label="In transit", here=True)
    assert decide.already_here(waiting, HOME)
    answer = decide_checkin(CheckinFacts(copy=on_shelf, place=SHELVE, recently_here=True))
    assert (answer.decision, answer.moves, answer.repeated) == ("CHECKIN-4", False, True)
    assert "not counted again" in answer.message
    again = decide_checkin(CheckinFacts(copy=on_shelf, place=SHELVE))
    assert not again.repeated and "already checked in here" in again.message


def test_it_checkin_5_and_6_receive_a_copy_in_transit_home_or_elsewhere():
    home = decide_checkin(found("in_transit", "In transit", SHELVE))
    elsewhere = decide_checkin(found("in_transit", "In transit", HOME))
    assert (home.decision, elsewhere.decision) == ("CHECKIN-5", "CHECKIN-6")
    assert home.moves and elsewhere.moves and "not for this branch" in elsewhere.message


def test_it_checkin_7_returns_a_lost_loan_and_settles_its_charge():
    answer = decide_checkin(returned(loan_state="lost"))
    assert (answer.decision, answer.settle_lost, answer.closes_loan) == ("CHECKIN-7", True, True)


def test_it_checkin_8_resolves_a_claim_that_it_was_returned():
    answer = decide_checkin(returned(loan_state="claims_returned"))
    assert answer.decision == "CHECKIN-8" and "claim" in " ".join(answer.notes)


def test_it_checkin_9_puts_a_found_copy_back():
    for value, label in (("lost", "Lost"), ("missing", "Missing")):
        answer = decide_checkin(found(value, label))
        assert answer.decision == "CHECKIN-9" and answer.moves
        assert f"marked {value}" in answer.message


def test_it_checkin_10_sets_aside_a_damaged_or_withdrawn_copy():
    for value, label in (("damaged", "Damaged"), ("withdrawn", "Withdrawn")):
        answer = decide_checkin(found(value, label, claimable=True))
        assert (
            answer.decision == "CHECKIN-10" and answer.instruction == f"SET ASIDE: {label.upper()}"
        )
        assert not (answer.moves or answer.offer_to_holds)


def test_it_checkin_11_fines_a_late_return_and_says_how_much():
    answer = decide_checkin(returned(days_late=3, fine=Decimal("0.75")))
    assert answer.decision == "CHECKIN-11" and answer.fine == Decimal("0.75")
    assert "3 days late: a fine of $0.75" in " ".join(answer.notes)
    assert decide.overdue_fine({"fine_per_day": {"value": "0.25"}}, 3) == Decimal("0.75")
    assert decide.overdue_fine(
        {"fine_per_day": {"value": "0.25"}, "fine_cap": {"value": "0.50"}}, 3
    ) == Decimal("0.50")
    assert decide.overdue_fine({"fine_per_day": {"value": "0"}}, 30) == Decimal("0")
    assert decide.overdue_fine({"fine_per_day": {"value": "0.25"}}, 0) == Decimal("0")


def test_it_checkin_15_puts_a_copy_found_out_of_place_where_it_belongs():
    answer = decide_checkin(found("available", "Available", HOME))
    assert answer.decision == "CHECKIN-15" and answer.moves


def test_it_checkin_16_leaves_a_copy_on_the_hold_shelf_there():
    answer = decide_checkin(found("on_hold_shelf", "On hold shelf", claimable=True))
    assert answer.decision == "CHECKIN-16" and not (answer.moves or answer.offer_to_holds)


def test_it_checkin_17_18_19_takes_the_holds_answer_for_a_copy_not_on_loan():
    for decision in ("CHECKIN-17", "CHECKIN-18", "CHECKIN-19"):
        first = decide_checkin(found("in_transit", "In transit", claimable=True))
        assert first.holds_first and first.offer_to_holds
        answer = after_capture(first, Captured(decision, "HOLD SHELF", "For Ada's hold."))
        assert (answer.decision, answer.instruction, answer.message) == (
            decision,
            "HOLD SHELF",
            "For Ada's hold.",
        )


def test_it_offers_a_returned_copy_to_holds_and_keeps_the_loans_own_case():
    plain = decide_checkin(returned(claimable=True))
    assert plain.offer_to_holds and not plain.holds_first
    captured = after_capture(plain, Captured("CHECKIN-17", "HOLD SHELF", "For Ben's hold."))
    assert captured.decision == "CHECKIN-17" and captured.notes == ("For Ben's hold.",)
    late = decide_checkin(returned(claimable=True, days_late=2, fine=Decimal("0.50")))
    kept = after_capture(late, Captured("CHECKIN-18", "SEND TO PINE", "For Ben's hold."))
    assert kept.decision == "CHECKIN-11" and kept.instruction == "SEND TO PINE"
    assert kept.fine == Decimal("0.50") and kept.notes[0] == "For Ben's hold."
