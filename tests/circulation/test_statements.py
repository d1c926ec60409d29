"""What a checkout and a checkin cost the database, and the shortcuts that keep it low:
the locking statement (circulation/locks.py), the caller's loaded rows carried over, and
one statement for loans out and money owed. Benchmarks in bench/ give the times; these
tests pin the number of statements, so a change that adds one is seen."""

from __future__ import annotations

import threading
import time
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from onelibrary.catalog.models import Item
from onelibrary.circulation import actions, scans
from onelibrary.circulation.lookup import out_and_owed
from onelibrary.circulation.models import Charge, Event, Loan
from onelibrary.patrons.lookup import find_item

pytestmark = pytest.mark.django_db

# Beyond BEGIN and COMMIT, once the kept rules, roles and closed dates are loaded:
# tokens, lock the item, loans out and owed, insert loan, update item, insert event.
CHECKOUT_STATEMENTS = 6
# tokens, lock the item, lock the loan, close it, update item, unlink events, insert event.
CHECKIN_STATEMENTS = 7


def _statements(run) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        run()
    return [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].split()[0].upper() not in ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE")
    ]


def test_a_desk_checkout_and_checkin_take_a_fixed_number_of_statements(world, rules):
    warm = find_item(world.dune_pine.barcode)
    actions.check_out(world.desk_riv, world.riv_main, world.ada, warm)
    actions.check_in(world.desk_riv, world.riv_main, find_item(warm.barcode))
    item = find_item(world.dune_riv.barcode)
    out = _statements(lambda: actions.check_out(world.desk_riv, world.riv_main, world.ada, item))
    assert len(out) == CHECKOUT_STATEMENTS, out
    assert "version" in out[0]  # every kept value's token, in one statement
    item = find_item(world.dune_riv.barcode)
    back = _statements(lambda: actions.check_in(world.desk_riv, world.riv_main, item))
    assert len(back) == CHECKIN_STATEMENTS, back


def test_it_uses_the_locked_row_not_a_stale_copy_from_the_caller(world, rules):
    """A desk page loaded the item; before the scan its home moved to Elk Valley."""
    actions.check_out(world.central, world.riv_main, world.ada, world.dune_riv)
    stale = find_item(world.dune_riv.barcode)
    Item.objects.filter(pk=stale.pk).update(home_branch=world.elk_main)
    outcome = actions.check_in(world.central, world.riv_main, stale)
    assert outcome.decision == "CHECKIN-2"
    assert outcome.instruction == "SEND TO ELK VALLEY (ELK)"
    assert outcome.item.home_branch == world.elk_main


def test_it_works_from_an_item_with_nothing_loaded(world, rules):
    bare = Item.objects.only("pk").get(pk=world.dune_riv.pk)
    outcome = actions.check_out(world.central, world.riv_main, world.ada, bare)
    assert outcome.decision == "CHECKOUT-1" and "Dune" in outcome.message
    outcome = scans.checkin_scan(world.central, world.riv_main, world.dune_riv.barcode)
    assert outcome.decision == "CHECKIN-1" and outcome.item.status == Item.Status.AVAILABLE


def test_loans_out_and_money_owed_come_to_the_cent(world, rules):
    assert out_and_owed(world.ada) == (0, Decimal("0.00"))
    loan = actions.check_out(world.central, world.riv_main, world.ada, world.dune_riv).loan
    for amount in ("0.10", "0.20", "0.70"):  # 0.1 + 0.2 is not 0.3 in floating point
        Charge.objects.create(
            patron=world.ada,
            loan=loan,
            item=world.dune_riv,
            library=world.riverton,
            kind=Charge.Kind.OVERDUE,
            amount=Decimal(amount),
        )
    Charge.objects.create(
        patron=world.ben,
        item=world.dune_riv,
        library=world.riverton,
        kind=Charge.Kind.OVERDUE,
        amount=Decimal("3"),
    )
    assert out_and_owed(world.ada) == (1, Decimal("1.00"))
    assert out_and_owed(world.ben) == (0, Decimal("3.00"))


def test_an_opted_in_patron_keeps_the_link_on_every_event(world, rules):
    world.ada.keep_loan_history = True
    world.ada.save()
    loan = actions.check_out(world.central, world.riv_main, world.ada, world.dune_riv).loan
    actions.check_in(world.central, world.riv_main, world.dune_riv)
    events = Event.objects.filter(loan=loan)
    assert sorted(events.values_list("kind", flat=True)) == ["checkin", "checkout"]
    assert set(events.values_list("patron_id", flat=True)) == {world.ada.pk}
    assert Loan.objects.get(pk=loan.pk).patron_id == world.ada.pk


def test_without_opt_in_no_event_keeps_the_patron(world, rules):
    loan = actions.check_out(world.central, world.riv_main, world.ada, world.dune_riv).loan
    actions.check_in(world.central, world.riv_main, world.dune_riv)
    assert set(Event.objects.filter(loan=loan).values_list("patron_id", flat=True)) == {None}


def _wait_until_blocked(started: float) -> None:
    """On PostgreSQL, until another session waits for a row lock; SQLite cannot say, so
    there the checkin is given a moment to reach its BEGIN IMMEDIATE."""
    if connection.vendor != "postgresql":
        time.sleep(0.5)
        return
    with connection.cursor() as cursor:
        while time.monotonic() - started < 10:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                "AND datname = current_database()"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.02)
    raise AssertionError("the checkin never waited for the checkout's lock")


@pytest.mark.django_db(transaction=True)
def test_a_checkin_that_waited_for_a_checkout_returns_the_loan_it_made(world, rules):
    """The checkin's statement began before the checkout committed: what it reads of the
    loan must be what the checkout left, not what it saw before the wait."""
    lent, release = threading.Event(), threading.Event()
    results: dict[str, object] = {}

    def checkout_desk():
        try:
            with transaction.atomic():
                actions.check_out(world.central, world.riv_main, world.ada, world.dune_riv)
                lent.set()
                release.wait(10)
        finally:
            connection.close()

    def checkin_desk():
        try:
            lent.wait(10)
            results["in"] = actions.check_in(world.central, world.riv_main, world.dune_riv)
        except Exception as error:  # noqa: BLE001 - the assertion below shows it
            results["in"] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=checkout_desk), threading.Thread(target=checkin_desk)]
    for thread in threads:
        thread.start()
    assert lent.wait(10)
    _wait_until_blocked(time.monotonic())
    release.set()
    for thread in threads:
        thread.join()
    outcome = results["in"]
    assert getattr(outcome, "decision", outcome) == "CHECKIN-1"
    loan = Loan.objects.get()
    assert loan.state == Loan.State.RETURNED
    assert Item.objects.get(pk=world.dune_riv.pk).status == Item.Status.AVAILABLE
