"""Money at the desk, the actions: one test (or more) named for each MONEY id in
docs/circulation/money.md."""

from __future__ import annotations

from decimal import Decimal

import pytest

from onelibrary.catalog.models import Item
from onelibrary.circulation import actions, money
from onelibrary.circulation.lookup import CirculationError, out_and_owed
from onelibrary.circulation.models import Charge, ChargeEntry, Event, Payment
from onelibrary.core.refusals import Refusal
from tests.circulation.money_world import charge, counts

pytestmark = pytest.mark.django_db
D = Decimal


def refused(call, *args, **kwargs) -> Refusal:
    before = counts()
    with pytest.raises(Refusal) as caught:
        call(*args, **kwargs)
    assert counts() == before, "a refusal must write nothing"
    return caught.value


def owed_on(c: Charge) -> Decimal:
    c.refresh_from_db()
    return money.balances([c])[c.pk].owed


# --- MONEY-1: take a payment ---------------------------------------------------------------


def test_it_money_1_splits_a_partial_payment_over_the_oldest_charges_first(world, rules):
    old = charge(world.ada, world.dune_riv, "3.00", days_ago=5)
    new = charge(world.ada, world.dune_riv, "5.00", days_ago=1)
    taken = money.take_payment(world.desk_riv, world.riv_main, world.ada, "4.00", "cash")
    assert not taken.repeated
    assert [
        (e.charge_id, e.amount, e.owed_after) for e in taken.payment.entries.order_by("pk")
    ] == [
        (old.pk, D("3.00"), D("0.00")),
        (new.pk, D("1.00"), D("4.00")),
    ]
    assert taken.payment.owed_after == D("4.00")
    old.refresh_from_db()
    new.refresh_from_db()
    assert old.settled_at is not None and new.settled_at is None
    event = Event.objects.get(kind="payment")
    assert (event.decision, event.patron_id, event.staff) == (
        "MONEY-1",
        world.ada.pk,
        world.desk_riv,
    )


def test_it_money_1_pays_only_the_charges_chosen(world, rules):
    old = charge(world.ada, world.dune_riv, "3.00", days_ago=5)
    new = charge(world.ada, world.dune_riv, "5.00", days_ago=1)
    money.take_payment(
        world.desk_riv, world.riv_main, world.ada, "5.00", "card", charge_ids=[new.pk]
    )
    assert owed_on(old) == D("3.00")
    assert owed_on(new) == D("0.00")


def test_it_money_1_pays_in_two_parts(world, rules):
    fine = charge(world.ada, world.dune_riv, "12.00")
    money.take_payment(world.desk_riv, world.riv_main, world.ada, "5.00", "cash")
    assert owed_on(fine) == D("7.00")
    second = money.take_payment(world.desk_riv, world.riv_main, world.ada, "7.00", "card")
    assert second.payment.owed_after == D("0.00")
    fine.refresh_from_db()
    assert fine.settled_at is not None
    assert list(fine.entries.values_list("amount", flat=True)) == [D("5.00"), D("7.00")]


# --- MONEY-2, MONEY-3, MONEY-4: refusals --------------------------------------------------


@pytest.mark.parametrize(
    "amount",
    ["-1.00", "0", "0.00", "1.005", "abc", "", "NaN", "Infinity", "1e9", "100000.00", None],
)
def test_it_money_2_refuses_an_amount_that_is_not_money(world, rules, amount):
    charge(world.ada, world.dune_riv, "12.00")
    error = refused(money.take_payment, world.desk_riv, world.riv_main, world.ada, amount, "cash")
    assert (error.decision, error.code) == ("MONEY-2", "invalid_input")
    assert "amount" in error.message.lower()


def test_it_money_2_refuses_a_way_to_pay_that_is_not_offered(world, rules):
    charge(world.ada, world.dune_riv, "12.00")
    error = refused(money.take_payment, world.desk_riv, world.riv_main, world.ada, "1.00", "gold")
    assert error.decision == "MONEY-2"
    assert "cash, card or other" in error.message


def test_it_money_3_refuses_more_than_is_owed(world, rules):
    charge(world.ada, world.dune_riv, "12.00")
    error = refused(money.take_payment, world.desk_riv, world.riv_main, world.ada, "12.01", "cash")
    assert (error.decision, error.code) == ("MONEY-3", "more_than_owed")
    assert "$12.00" in error.message


def test_it_money_3_refuses_a_payment_from_a_patron_who_owes_nothing(world, rules):
    error = refused(money.take_payment, world.desk_riv, world.riv_main, world.ada, "1.00", "cash")
    assert error.decision == "MONEY-3"
    assert "owes nothing" in error.message


def test_it_money_4_refuses_a_charge_owed_to_another_library(world, rules):
    riv = charge(world.ben, world.dune_riv, "4.00")
    charge(world.ben, world.dune_pine, "2.00")
    error = refused(
        money.take_payment,
        world.desk_pine,
        world.pine_main,
        world.ben,
        "4.00",
        "cash",
        charge_ids=[riv.pk],
    )
    assert (error.decision, error.code) == ("MONEY-4", "not_your_library")
    assert "Riverton City Library" in error.message


def test_it_money_4_takes_only_its_own_library_s_charges_by_default(world, rules):
    riv = charge(world.ben, world.dune_riv, "4.00", days_ago=3)
    pine = charge(world.ben, world.dune_pine, "2.00")
    money.take_payment(world.desk_pine, world.pine_main, world.ben, "2.00", "cash")
    assert (owed_on(riv), owed_on(pine)) == (D("4.00"), D("0.00"))
    # Only Riverton's charge is left: Pine Creek's desk may not take it.
    error = refused(money.take_payment, world.desk_pine, world.pine_main, world.ben, "1.00", "cash")
    assert error.decision == "MONEY-4"


def test_it_money_4_refuses_staff_at_another_library_s_desk(world, rules):
    charge(world.ada, world.dune_riv, "4.00")
    error = refused(money.take_payment, world.desk_pine, world.riv_main, world.ada, "1.00", "cash")
    assert error.code == "not_your_branch"


# --- MONEY-5: the same form twice ---------------------------------------------------------


def test_it_money_5_a_second_submit_of_the_same_form_pays_once(world, rules):
    fine = charge(world.ada, world.dune_riv, "12.00")
    first = money.take_payment(
        world.desk_riv, world.riv_main, world.ada, "12.00", "cash", token="t" * 20
    )
    before = counts()
    again = money.take_payment(
        world.desk_riv, world.riv_main, world.ada, "12.00", "cash", token="t" * 20
    )
    assert again.repeated and again.payment.pk == first.payment.pk
    assert counts() == before
    assert owed_on(fine) == D("0.00")


def test_it_money_5_a_second_waiver_with_the_same_token_waives_once(world, rules):
    fine = charge(world.ada, world.dune_riv, "12.00")
    money.waive(world.admin_riv, world.riv_main, fine, "2.00", "first visit", token="w" * 20)
    again = money.waive(
        world.admin_riv, world.riv_main, fine, "2.00", "first visit", token="w" * 20
    )
    assert again.repeated
    assert owed_on(fine) == D("10.00")


# --- MONEY-6, MONEY-7, MONEY-8: waivers ---------------------------------------------------


def test_it_money_6_a_library_admin_of_the_library_owed_waives_any_amount(world, rules):
    fine = charge(world.ada, world.dune_riv, "40.00")
    done = money.waive(world.admin_riv, world.riv_main, fine, "40.00", "hardship")
    assert (done.entry.decision, done.entry.reason, done.entry.owed_after) == (
        "MONEY-6",
        "hardship",
        D("0.00"),
    )
    fine.refresh_from_db()
    assert fine.settled_at is not None
    assert Event.objects.get(kind="waiver").decision == "MONEY-6"


def test_it_money_6_the_central_office_waives_for_any_library(world, rules):
    fine = charge(world.ben, world.dune_pine, "3.00")
    assert (
        money.waive(world.central, world.riv_main, fine, "3.00", "error").entry.decision
        == "MONEY-6"
    )


def test_it_money_7_desk_staff_waive_up_to_their_library_s_limit(world, rules):
    world.riverton.desk_waiver_limit = D("5.00")
    world.riverton.save()
    fine = charge(world.ada, world.dune_riv, "12.00")
    done = money.waive(world.desk_riv, world.riv_main, fine, "3.00", "first time")
    assert done.entry.decision == "MONEY-7"
    # The limit counts what desk staff already waived of this charge.
    error = refused(money.waive, world.desk_riv, world.riv_main, fine, "2.01", "again")
    assert (error.decision, error.code) == ("MONEY-7", "over_waiver_limit")
    assert "library admin of Riverton City Library" in error.message
    assert "$5.00" in error.message
    assert money.waive(world.desk_riv, world.riv_main, fine, "2.00", "again").entry.owed_after == D(
        "7.00"
    )


def test_it_money_7_desk_staff_waive_nothing_by_default(world, rules):
    fine = charge(world.ada, world.dune_riv, "1.00")
    error = refused(money.waive, world.desk_riv, world.riv_main, fine, "0.50", "small")
    assert error.decision == "MONEY-7"


def test_it_money_4_refuses_a_waiver_of_another_library_s_charge(world, rules):
    fine = charge(world.ben, world.dune_riv, "1.00")
    error = refused(money.waive, world.desk_pine, world.pine_main, fine, "1.00", "nice")
    assert (error.decision, error.code) == ("MONEY-4", "not_your_library")


def test_it_money_8_refuses_a_waiver_without_a_reason(world, rules):
    fine = charge(world.ada, world.dune_riv, "10.00")
    error = refused(money.waive, world.admin_riv, world.riv_main, fine, "1.00", "   ")
    assert (error.decision, error.code) == ("MONEY-8", "reason_required")


def test_it_money_3_refuses_a_waiver_of_more_than_is_owed(world, rules):
    fine = charge(world.ada, world.dune_riv, "10.00")
    error = refused(money.waive, world.admin_riv, world.riv_main, fine, "10.01", "x")
    assert error.decision == "MONEY-3"


# --- MONEY-9: refunds ---------------------------------------------------------------------


def test_it_money_9_refunds_what_was_paid_and_the_charge_is_owed_again(world, rules):
    fine = charge(world.ada, world.dune_riv, "6.00")
    money.take_payment(world.desk_riv, world.riv_main, world.ada, "6.00", "card")
    fine.refresh_from_db()
    assert fine.settled_at is not None
    done = money.refund(world.desk_riv, world.riv_main, fine, "2.00", "card", "charged twice")
    assert (done.entry.decision, done.entry.method, done.entry.owed_after) == (
        "MONEY-9",
        "card",
        D("2.00"),
    )
    fine.refresh_from_db()
    assert fine.settled_at is None  # MONEY-13: owed again
    error = refused(money.refund, world.desk_riv, world.riv_main, fine, "4.01", "card", "more")
    assert (error.decision, error.code) == ("MONEY-9", "more_than_paid")
    assert "$4.00" in error.message


def test_it_money_8_refuses_a_refund_without_a_reason(world, rules):
    fine = charge(world.ada, world.dune_riv, "6.00")
    money.take_payment(world.desk_riv, world.riv_main, world.ada, "6.00", "cash")
    error = refused(money.refund, world.desk_riv, world.riv_main, fine, "1.00", "cash", "")
    assert error.decision == "MONEY-8"


# --- MONEY-10: a lost item found ----------------------------------------------------------


def lost_charge(world) -> Charge:
    Item.objects.filter(pk=world.dune_riv.pk).update(price=D("20.00"))
    world.dune_riv.refresh_from_db()
    loan = actions.check_out(world.desk_riv, world.riv_main, world.ada, world.dune_riv).loan
    assert loan is not None
    actions.mark_lost(world.desk_riv, world.riv_main, loan)
    return Charge.objects.get(kind=Charge.Kind.LOST)


def test_it_money_10_a_found_lost_item_refunds_what_was_paid_and_cancels_the_rest(world, rules):
    lost = lost_charge(world)
    money.take_payment(world.desk_riv, world.riv_main, world.ada, "5.00", "cash")
    money.take_payment(world.desk_riv, world.riv_main, world.ada, "3.00", "card")
    done = money.settle_found_lost(world.dune_riv, world.desk_riv, world.riv_main)
    assert len(done) == 1
    found = done[0]
    assert (found.unpaid_cancelled, found.refunded) == (D("12.00"), D("8.00"))
    assert sorted((r.method, r.amount) for r in found.refunds) == [
        ("card", D("3.00")),
        ("cash", D("5.00")),
    ]
    assert "refund $8.00" in found.message and "unpaid $12.00 is cancelled" in found.message
    balance = money.balances([lost])[lost.pk]
    assert (balance.owed, balance.kept) == (D("0.00"), D("0.00"))
    lost.refresh_from_db()
    assert lost.settled_at is not None
    assert ChargeEntry.objects.filter(charge=lost, decision="MONEY-10").count() == 3
    # Found twice (the desk's action, then a checkin): nothing more happens.
    before = counts()
    assert money.settle_found_lost(world.dune_riv, world.desk_riv, world.riv_main) == []
    assert counts() == before


def test_it_money_10_a_found_lost_item_paid_in_full_is_refunded_in_full(world, rules):
    lost = lost_charge(world)
    money.take_payment(world.desk_riv, world.riv_main, world.ada, "20.00", "card")
    [found] = money.settle_found_lost(world.dune_riv, world.desk_riv, world.riv_main)
    assert (found.unpaid_cancelled, found.refunded) == (D("0.00"), D("20.00"))
    assert money.balances([lost])[lost.pk].owed == D("0.00")


def test_it_money_10_a_lost_item_checked_in_is_refunded_too(world, rules):
    lost = lost_charge(world)
    money.take_payment(world.desk_riv, world.riv_main, world.ada, "5.00", "cash")
    outcome = actions.check_in(world.desk_riv, world.riv_main, world.dune_riv)
    assert outcome.decision == "CHECKIN-7"
    assert "refund $5.00" in outcome.message
    lost.refresh_from_db()
    assert lost.settled_at is not None
    assert money.balances([lost])[lost.pk].kept == D("0.00")


# --- MONEY-11: a desk override of a fines block ----------------------------------------------


def test_it_money_11_desk_staff_override_a_fines_block_where_their_library_allows(world, rules):
    charge(world.ada, world.dune_riv, "12.00")  # more than the $10.00 that blocks
    with pytest.raises(CirculationError) as caught:
        actions.check_out(
            world.desk_riv, world.riv_main, world.ada, world.dune_riv, override_reason="ok"
        )
    assert caught.value.decision == "CHECKOUT-9"  # Riverton does not allow it yet
    world.riverton.desk_may_override_fines = True
    world.riverton.save()
    with pytest.raises(CirculationError) as caught:
        actions.check_out(world.desk_riv, world.riv_main, world.ada, world.dune_riv)
    assert (caught.value.decision, caught.value.overridable) == ("CHECKOUT-8", True)
    outcome = actions.check_out(
        world.desk_riv, world.riv_main, world.ada, world.dune_riv, override_reason="pays Friday"
    )
    assert outcome.decision == "MONEY-11"
    event = Event.objects.get(kind="checkout")
    assert (event.decision, event.detail["override_reason"]) == ("MONEY-11", "pays Friday")


def test_it_money_11_does_not_let_desk_staff_override_other_blocks(world, rules):
    charge(world.ada, world.dune_riv, "12.00")
    world.riverton.desk_may_override_fines = True
    world.riverton.save()
    world.ada.block_reason = "Ask the manager"
    world.ada.save()
    with pytest.raises(CirculationError) as caught:
        actions.check_out(
            world.desk_riv, world.riv_main, world.ada, world.dune_riv, override_reason="x"
        )
    assert caught.value.decision == "CHECKOUT-9"


# --- MONEY-13: settled -----------------------------------------------------------------------


def test_it_money_13_a_charge_is_settled_exactly_when_nothing_is_owed(world, rules):
    fine = charge(world.ada, world.dune_riv, "12.00")
    money.take_payment(world.desk_riv, world.riv_main, world.ada, "11.99", "cash")
    fine.refresh_from_db()
    assert fine.settled_at is None
    assert out_and_owed(world.ada)[1] == money.owed(world.ada) == D("0.01")
    money.waive(world.admin_riv, world.riv_main, fine, "0.01", "a cent")
    fine.refresh_from_db()
    assert fine.settled_at is not None
    assert out_and_owed(world.ada)[1] == money.owed(world.ada) == D("0.00")


def test_it_money_13_a_partial_payment_lowers_the_fines_block(world, rules):
    charge(world.ada, world.dune_riv, "12.00")
    with pytest.raises(CirculationError) as caught:
        actions.check_out(world.desk_riv, world.riv_main, world.ada, world.dune_riv)
    assert caught.value.decision == "CHECKOUT-8"
    assert "$12.00" in caught.value.message
    money.take_payment(world.desk_riv, world.riv_main, world.ada, "2.00", "cash")
    assert actions.check_out(
        world.desk_riv, world.riv_main, world.ada, world.dune_riv
    ).decision == ("CHECKOUT-1")


def test_it_keeps_a_payment_row_for_each_payment(world, rules):
    charge(world.ada, world.dune_riv, "12.00")
    money.take_payment(
        world.desk_riv, world.riv_main, world.ada, "1.00", "other", reference="IOU 7"
    )
    payment = Payment.objects.get()
    assert (payment.method, payment.reference, payment.branch, payment.staff) == (
        "other",
        "IOU 7",
        world.riv_main,
        world.desk_riv,
    )


def test_it_counts_what_is_still_owed_when_a_record_may_not_be_erased(world, rules):
    from onelibrary.records.privacy import erasure_blockers

    charge(world.ada, world.dune_riv, "12.00")
    money.take_payment(world.desk_riv, world.riv_main, world.ada, "5.00", "cash")
    assert any("$7.00 is owed" in reason for reason in erasure_blockers(world.ada))


def test_a_merge_moves_the_duplicate_s_payments_with_its_charges(world, rules):
    from onelibrary.patrons.models import Patron
    from onelibrary.records.merge import merge_patrons

    twin = Patron.objects.create(
        card="29000000000099",
        first_name="Ada",
        last_name="Lindqvist",
        home_library=world.riverton,
        expires_on=world.ada.expires_on,
    )
    charge(twin, world.dune_riv, "3.00")
    money.take_payment(world.desk_riv, world.riv_main, twin, "3.00", "cash")
    merged = merge_patrons(world.central, world.ada.pk, twin.pk)
    assert merged.moved["payments"] == 1
    assert Payment.objects.get().patron == world.ada
