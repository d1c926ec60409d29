"""Posting: each case of the policy table, booked from what the desk and transit recorded."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from onelibrary.catalog.models import Item
from onelibrary.circulation import actions, item_desk, transit_desk
from onelibrary.circulation.holds_desk import pull_copy
from onelibrary.holds.actions import place_hold
from onelibrary.holds.models import Hold
from onelibrary.ledger import policies, posting, rules
from onelibrary.ledger.models import Entry, PostingCursor
from onelibrary.transit import crates
from onelibrary.transit.models import Transit, TransitSettings

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)
R = rules


def terms(case: str, **changes) -> R.Terms:
    usual = {t.case: t for t in policies.usual_terms()}
    return dataclasses.replace(usual[case], **changes)


def adopt(*changed: R.Terms, flat=None):
    cases = {t.case: t for t in policies.usual_terms()} | {t.case: t for t in changed}
    return policies.create("Test", list(cases.values()), flat_amounts=flat, adopt=True)


def ben_loses_dune(lw, monday):
    """Ben (Pine Creek) borrows Riverton's Dune and loses it."""
    loan = actions.check_out(lw.desk_riv, lw.riv_main, lw.ben, lw.dune_riv, now=monday).loan
    item_desk.declare_lost(lw.desk_pine, lw.pine_main, lw.dune_riv, note="", now=monday + DAY)
    return loan


def booked() -> list[tuple[str, str, str, Decimal, str]]:
    return [
        (
            e.kind,
            e.debtor.code if e.debtor else "GROUP",
            e.creditor.code if e.creditor else "GROUP",
            e.amount,
            e.decision,
        )
        for e in Entry.objects.select_related("debtor", "creditor").order_by("pk")
    ]


def test_ledger_1_a_patron_of_one_member_loses_anothers_copy(lw, usual, monday):
    loan = ben_loses_dune(lw, monday)
    report = posting.catch_up()
    assert report.booked == 2
    assert booked() == [
        ("replacement", "PINE", "RIV", Decimal("24.99"), "LEDGER-1"),
        ("processing_fee", "PINE", "RIV", Decimal("5.00"), "LEDGER-1"),
    ]
    entry = Entry.objects.get(kind="replacement")
    assert entry.loan == loan and entry.item == lw.dune_riv
    assert entry.policy["price_at_loss"] == "24.99"
    assert (entry.policy["policy"], entry.policy["version"], entry.policy["case"]) == (
        "Usual",
        1,
        "lost_by_patron",
    )


def test_ledger_1_snapshots_the_price_when_the_copy_was_lost(lw, usual, monday):
    ben_loses_dune(lw, monday)
    Item.objects.filter(pk=lw.dune_riv.pk).update(price=Decimal("40.00"))
    posting.catch_up()
    assert Entry.objects.get(kind="replacement").amount == Decimal("24.99")


def test_ledger_13_the_poster_books_each_fact_once_however_often_it_runs(lw, usual, monday):
    ben_loses_dune(lw, monday)
    posting.catch_up()
    again = posting.catch_up()
    assert (again.booked, Entry.objects.count()) == (0, 2)
    assert again.already == 1  # the loss, read again inside the overlap, found booked
    PostingCursor.objects.update(last_id=0)
    assert posting.catch_up().booked == 0 and Entry.objects.count() == 2


def test_ledger_8_a_members_own_patron_owes_nothing_between_members(lw, usual, monday):
    actions.check_out(lw.desk_riv, lw.riv_main, lw.ada, lw.dune_riv, now=monday)
    item_desk.declare_lost(lw.desk_riv, lw.riv_main, lw.dune_riv, note="", now=monday + DAY)
    assert posting.catch_up().nothing == 1
    assert Entry.objects.count() == 0


def test_ledger_9_no_price_and_no_flat_amount_books_nothing(lw, monday):
    adopt()
    Item.objects.filter(pk=lw.dune_riv.pk).update(price=None)
    ben_loses_dune(lw, monday)
    assert posting.catch_up().nothing == 1
    assert Entry.objects.count() == 0


def test_ledger_1_a_copy_without_a_price_owes_the_flat_amount_for_its_type(lw, monday):
    adopt(flat={"book": Decimal("30.00"), "": Decimal("15.00")})
    Item.objects.filter(pk=lw.dune_riv.pk).update(price=None)
    ben_loses_dune(lw, monday)
    posting.catch_up()
    assert Entry.objects.get(kind="replacement").amount == Decimal("30.00")


def test_ledger_1_the_lower_of_price_and_flat_amount(lw, monday):
    adopt(terms(R.LOST_BY_PATRON, basis="lower"), flat={"book": Decimal("20.00")})
    ben_loses_dune(lw, monday)
    posting.catch_up()
    assert Entry.objects.get(kind="replacement").amount == Decimal("20.00")


def test_ledger_1_a_member_that_owes_only_what_its_patron_pays_owes_nothing_at_the_loss(lw, monday):
    adopt(terms(R.LOST_BY_PATRON, owes_when_unpaid=False))
    ben_loses_dune(lw, monday)
    posting.catch_up()
    assert Entry.objects.count() == 0


def ben_damages_dune(lw, monday, *, found_after=DAY):
    loan = actions.check_out(lw.desk_riv, lw.riv_main, lw.ben, lw.dune_riv, now=monday).loan
    actions.check_in(lw.desk_riv, lw.riv_main, lw.dune_riv, now=monday + DAY)
    item_desk.declare_damaged(
        lw.desk_riv, lw.riv_main, lw.dune_riv, note="Coffee", now=monday + DAY + found_after
    )
    return loan


def test_ledger_2_damaged_by_a_patron_owes_the_replacement(lw, usual, monday):
    loan = ben_damages_dune(lw, monday)
    posting.catch_up()
    assert booked() == [
        ("replacement", "PINE", "RIV", Decimal("24.99"), "LEDGER-2"),
        ("processing_fee", "PINE", "RIV", Decimal("5.00"), "LEDGER-2"),
    ]
    assert Entry.objects.get(kind="replacement").loan == loan


def test_ledger_2_repair_instead_of_replacement(lw, monday):
    adopt(terms(R.DAMAGED_BY_PATRON, repair_instead=True, repair_cost=Decimal("8.00")))
    ben_damages_dune(lw, monday)
    posting.catch_up()
    assert booked()[0] == ("repair", "PINE", "RIV", Decimal("8.00"), "LEDGER-2")


def test_ledger_12_damage_found_after_the_deadline_to_claim_is_not_booked(lw, monday):
    adopt(terms(R.DAMAGED_BY_PATRON, claim_days=30))
    ben_damages_dune(lw, monday, found_after=31 * DAY)
    report = posting.catch_up()
    assert Entry.objects.count() == 0
    assert "30 days to claim" in report.refused[0]


def shipped_and_lost(lw, monday):
    """Ben's hold at Pine Creek on Riverton's Dune: shipped, never arrives."""
    TransitSettings.objects.create(late_after_days=2, missing_after_days=10)
    hold = place_hold(lw.desk_pine, lw.ben, lw.pine_main, title=lw.dune, now=monday).hold
    Hold.objects.filter(pk=hold.pk).update(state="routed", assigned_item=lw.dune_riv)
    pull_copy(lw.desk_riv, lw.riv_main, lw.dune_riv, now=monday)
    crate = crates.open_crate(lw.desk_riv, lw.riv_main, destination=lw.pine_main, now=monday)
    crates.scan_into_crate(lw.desk_riv, lw.riv_main, crate, lw.dune_riv.barcode, now=monday)
    crates.close_crate(lw.desk_riv, lw.riv_main, crate, now=monday)
    crates.ship_crate(lw.desk_riv, lw.riv_main, crate, now=monday)
    transit = Transit.objects.get(item=lw.dune_riv)
    when = dt.datetime.combine(transit.expected_on + 11 * DAY, dt.time(12), monday.tzinfo)
    transit_desk.declare_missing(lw.desk_pine, lw.pine_main, transit, note="", now=when)


def test_ledger_3_lost_in_transit_the_courier_owes_booked_to_the_group(lw, usual, monday):
    shipped_and_lost(lw, monday)
    posting.catch_up()
    assert booked() == [("transit_loss", "GROUP", "RIV", Decimal("24.99"), "LEDGER-3")]


def test_ledger_3_lost_in_transit_the_receiver_owes_when_the_policy_says(lw, monday):
    adopt(terms(R.LOST_IN_TRANSIT, payer="receiver"))
    shipped_and_lost(lw, monday)
    posting.catch_up()
    assert booked() == [("transit_loss", "PINE", "RIV", Decimal("24.99"), "LEDGER-3")]


def test_ledger_8_lost_in_transit_the_sender_that_owns_it_carries_it(lw, monday):
    adopt(terms(R.LOST_IN_TRANSIT, payer="sender"))
    shipped_and_lost(lw, monday)
    assert posting.catch_up().nothing == 1 and Entry.objects.count() == 0


def test_ledger_5_found_after_payment_the_owner_refunds_all_but_the_fee(lw, usual, monday):
    ben_loses_dune(lw, monday)
    posting.catch_up()
    item_desk.declare_found(lw.desk_pine, lw.pine_main, lw.dune_riv, note="", now=monday + 9 * DAY)
    posting.catch_up()
    assert booked()[-1] == ("refund", "RIV", "PINE", Decimal("24.99"), "LEDGER-5")
    assert posting.catch_up().booked == 0


def test_ledger_5_found_after_payment_refunds_the_fee_too_when_the_policy_says(lw, monday):
    adopt(terms(R.FOUND_AFTER_PAYMENT, keep_fee_when_found=False))
    ben_loses_dune(lw, monday)
    posting.catch_up()
    actions.check_in(lw.desk_riv, lw.riv_main, lw.dune_riv, now=monday + 9 * DAY)  # CHECKIN-7
    posting.catch_up()
    assert booked()[-1] == ("refund", "RIV", "PINE", Decimal("29.99"), "LEDGER-5")


def test_ledger_5_found_after_a_reversed_charge_refunds_nothing(lw, usual, monday):
    from onelibrary.ledger import book

    ben_loses_dune(lw, monday)
    posting.catch_up()
    for entry in Entry.objects.all():
        book.reverse(entry, "Pine Creek showed the patron returned it", lw.central)
    actions.check_in(lw.desk_riv, lw.riv_main, lw.dune_riv, now=monday + 9 * DAY)
    posting.catch_up()
    assert not Entry.objects.filter(kind="refund").exists()


def test_ledger_6_claims_returned_is_owed_once_still_missing_after_the_days(lw, usual, monday):
    actions.check_out(lw.desk_riv, lw.riv_main, lw.ben, lw.dune_riv, now=monday)
    item_desk.claim_returned(lw.desk_pine, lw.pine_main, lw.dune_riv, note="says so", now=monday)
    posting.catch_up(now=monday + 59 * DAY)
    assert Entry.objects.count() == 0
    posting.catch_up(now=monday + 61 * DAY)
    assert booked()[0] == ("replacement", "PINE", "RIV", Decimal("24.99"), "LEDGER-6")
    # then marked lost: the same loss is not owed twice
    item_desk.declare_lost(lw.desk_pine, lw.pine_main, lw.dune_riv, note="", now=monday + 62 * DAY)
    posting.catch_up(now=monday + 63 * DAY)
    assert Entry.objects.filter(kind="replacement").count() == 1


def test_it_waits_for_a_policy_and_then_books_the_backlog(lw, monday):
    ben_loses_dune(lw, monday)
    assert "No replacement policy" in posting.catch_up().waiting
    assert Entry.objects.count() == 0
    adopt()
    assert posting.catch_up().booked == 2


def test_ledger_4_damaged_in_transit_the_sender_owes_under_the_usual_policy():
    policy = R.Policy("P", 1, {t.case: t for t in policies.usual_terms()})
    loss = R.Loss(
        R.DAMAGED_IN_TRANSIT, "RIV", Decimal("12.00"), "book", sender="ELK", receiver="RIV"
    )
    decided = R.decide(policy, loss)
    assert [(d.kind, d.debtor, d.creditor, d.amount) for d in decided.debts] == [
        ("transit_loss", "ELK", "RIV", Decimal("12.00"))
    ]
    assert decided.decision == "LEDGER-4"
