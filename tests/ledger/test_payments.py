"""The patron's money between members: payments passed on, partial ones, refunds when a
paid-for copy is found, and the group's share of overdue fines."""

from __future__ import annotations

from decimal import Decimal

import pytest

from onelibrary.circulation import actions, item_desk, money
from onelibrary.circulation.models import Charge
from onelibrary.ledger import book, policies, posting
from onelibrary.ledger import rules as R
from onelibrary.ledger.models import Entry

from .test_posting import DAY, adopt, ben_loses_dune, booked, terms

pytestmark = pytest.mark.django_db


def test_ledger_7_partial_payments_are_passed_on_to_the_member_that_paid(lw, usual, monday):
    """Pine Creek owes Riverton for Ben's loss whether or not Ben pays; Ben pays Riverton's
    desk (the library owed) in two parts: each is passed on to Pine Creek as it comes."""
    ben_loses_dune(lw, monday)
    money.take_payment(lw.desk_riv, lw.riv_main, lw.ben, "10.00", "cash", now=monday + 2 * DAY)
    posting.catch_up()
    assert booked()[-1] == ("patron_payment", "RIV", "PINE", Decimal("10.00"), "LEDGER-7")
    money.take_payment(lw.desk_riv, lw.riv_main, lw.ben, "14.99", "cash", now=monday + 3 * DAY)
    posting.catch_up()
    assert [b[3] for b in booked() if b[0] == "patron_payment"] == [
        Decimal("10.00"),
        Decimal("14.99"),
    ]
    assert book.balances(Entry.objects.all())[lw.riverton.pk] == Decimal("5.00")  # the fee


def test_ledger_7_when_the_member_owes_only_what_is_paid_the_owner_keeps_it(lw, monday):
    adopt(terms(R.LOST_BY_PATRON, owes_when_unpaid=False))
    ben_loses_dune(lw, monday)
    money.take_payment(lw.desk_riv, lw.riv_main, lw.ben, "10.00", "cash", now=monday + 2 * DAY)
    posting.catch_up()
    assert Entry.objects.count() == 0  # paid to the library owed: nothing between members
    # taken by the central office at Pine Creek's desk: Pine Creek passes it on
    money.take_payment(lw.central, lw.pine_main, lw.ben, "14.99", "cash", now=monday + 3 * DAY)
    posting.catch_up()
    assert booked() == [("patron_payment", "PINE", "RIV", Decimal("14.99"), "LEDGER-7")]


def test_ledger_5_found_after_payment_everyone_is_made_whole_but_the_fee(lw, usual, monday):
    """Pine Creek paid Riverton 24.99 + 5 for Ben's loss; Ben paid Riverton 24.99, passed
    on to Pine Creek. Found at Riverton: Riverton refunds Ben at its desk (money at the
    desk), which Pine Creek makes good, and refunds Pine Creek's 24.99 (LEDGER-5). Pine
    Creek is left out of pocket by the fee alone."""
    ben_loses_dune(lw, monday)
    money.take_payment(lw.desk_riv, lw.riv_main, lw.ben, "24.99", "cash", now=monday + 2 * DAY)
    posting.catch_up()
    item_desk.declare_found(lw.desk_riv, lw.riv_main, lw.dune_riv, note="", now=monday + 9 * DAY)
    posting.catch_up()
    assert ("refund", "RIV", "PINE", Decimal("24.99"), "LEDGER-5") in booked()
    assert ("refund", "PINE", "RIV", Decimal("24.99"), "LEDGER-7") in booked()
    balances = book.balances(Entry.objects.all())
    assert balances == {lw.pine.pk: Decimal("-5.00"), lw.riverton.pk: Decimal("5.00")}


def test_ledger_18_the_groups_share_of_an_overdue_fine_on_another_members_copy(lw, monday):
    policies.create("Shared fines", policies.usual_terms(), adopt=True, overdue_share_percent=50)
    loan = actions.check_out(lw.desk_riv, lw.riv_main, lw.ben, lw.dune_riv, now=monday).loan
    Charge.objects.create(
        patron=lw.ben,
        loan=loan,
        item=lw.dune_riv,
        library=lw.riverton,
        kind="overdue",
        amount=Decimal("3.00"),
        created_at=monday + 30 * DAY,
    )
    money.take_payment(lw.central, lw.pine_main, lw.ben, "3.00", "cash", now=monday + 31 * DAY)
    posting.catch_up()
    assert booked() == [("overdue_share", "PINE", "RIV", Decimal("1.50"), "LEDGER-18")]


def test_payments_are_booked_once(lw, usual, monday):
    ben_loses_dune(lw, monday)
    money.take_payment(lw.desk_riv, lw.riv_main, lw.ben, "5.00", "cash", now=monday + 2 * DAY)
    posting.catch_up()
    posting.catch_up()
    assert Entry.objects.count() == 3
