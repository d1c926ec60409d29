"""A self-check machine's day, end to end: the `sip2` client package against a real server.

SIP-n cases from docs/sip2.md.
"""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.utils import timezone

from onelibrary.account.actions import set_pin_by_staff
from onelibrary.account.models import LoginAttempt
from onelibrary.catalog.models import Item
from onelibrary.circulation import actions as circulation
from onelibrary.circulation.models import Charge, Event, Loan, Payment, UnprocessedScan
from onelibrary.holds import actions as holds
from onelibrary.patrons.models import PatronAudit
from onelibrary.policy.models import GroupPolicy
from onelibrary.sip2.accounts import create_account
from tests.holds.conftest import A_YEAR_AGO, fill_courier_days

from .conftest import LOGIN, PIN, client, logged_in

pytestmark = pytest.mark.django_db(transaction=True)


def renew_all_request(sip) -> str:
    """65 as the spec has it. The `sip2` package's own 65 leaves out the transaction date
    (its sip_renew_all_request), which the server rightly cannot read (SIP-3)."""
    sip._request_new("65")
    sip._request_addOpt_fixed(sip._datestamp(), 18)
    sip._request_addOpt_var("AO", sip.institutionId)
    sip._request_addOpt_var("AA", sip.patron)
    sip._request_addOpt_var("AD", sip.patronpwd, True)
    return sip._request_return()


def test_it_runs_a_self_check_conversation(world, server):
    fine = Charge.objects.create(
        patron=world.ada,
        item=world.dune_riv,
        library=world.riverton,
        kind=Charge.Kind.OVERDUE,
        amount=Decimal("0.75"),
    )
    sip = logged_in(server, card=world.ada.card, pin=PIN)
    status = sip.sip_sc_status_response(sip.get_response(sip.sip_sc_status_request()))
    assert status["fixed"]["OnlineStatus"] == "Y"
    assert status["variable"]["AO"] == ["RIV"] and status["variable"]["AN"] == ["RIV-MAIN"]

    info = sip.sip_patron_information_response(
        sip.get_response(sip.sip_patron_information_request("fine"))
    )
    assert info["variable"]["AE"] == ["Ada Lindqvist"] and info["variable"]["CQ"] == ["Y"]
    assert info["fixed"]["FineItemsCount"] == "0001" and info["variable"]["BV"] == ["0.75"]
    assert info["variable"]["AV"] == [f"#{fine.pk} 0.75 Overdue fine: Dune (31000000000011)"]
    paid = sip.sip_fee_paid_response(
        sip.get_response(
            sip.sip_fee_paid_request(4, 0, "0.75", transactionId="T-1", currencyType="USD")
        )
    )
    assert paid["fixed"]["PaymentAccepted"] == "Y" and paid["variable"]["BK"] == ["T-1"]
    assert "Still owed: 0.00" in paid["variable"]["AF"][0]

    out = sip.sip_checkout_response(sip.get_response(sip.sip_checkout_request("31000000000011")))
    due = Loan.objects.get(item=world.dune_riv).due_date
    assert out["fixed"]["Ok"] == "1" and out["variable"]["AH"] == [f"{due:%Y-%m-%d}"]
    assert out["variable"]["AJ"] == ["Dune"]

    info = sip.sip_patron_information_response(
        sip.get_response(sip.sip_patron_information_request("charged"))
    )
    assert info["fixed"]["ChargedItemsCount"] == "0001"
    assert info["variable"]["AU"] == ["31000000000011"]

    renewed = sip.sip_renew_response(sip.get_response(sip.sip_renew_request("31000000000011")))
    assert renewed["fixed"]["Ok"] == "1"
    assert Loan.objects.get(item=world.dune_riv).renewals == 1

    back = sip.sip_checkin_response(sip.get_response(sip.sip_checkin_request("31000000000011")))
    assert back["fixed"]["Ok"] == "1" and back["fixed"]["Alert"] == "N"
    assert back["variable"]["CL"] == ["SHELVE"]

    done = sip.get_response(sip.sip_end_patron_session_request())
    assert done.startswith("36Y")
    sip.disconnect()
    kinds = [e.kind for e in Event.objects.order_by("at", "pk")]
    assert kinds == ["payment", "checkout", "renew", "checkin"]
    fine.refresh_from_db()
    assert fine.settled_at is not None


def test_it_sip_6_names_the_account_and_branch_in_every_event(world, server):
    sip = logged_in(server, card=world.ada.card, pin=PIN)
    sip.get_response(sip.sip_patron_status_request())
    sip.get_response(sip.sip_checkout_request("31000000000011"))
    sip.get_response(sip.sip_checkin_request("31000000000011"))
    sip.get_response(sip.sip_checkin_request("no-such-item"))
    sip.disconnect()
    events = Event.objects.all()
    assert {(e.staff.username, e.branch.code) for e in events} == {("sip2:sc-riv-1", "RIV-MAIN")}
    kept = UnprocessedScan.objects.get()
    assert (kept.staff.username, kept.branch.code, kept.code) == (
        "sip2:sc-riv-1",
        "RIV-MAIN",
        "unknown_item",
    )
    # The patron's record was read (23) as a desk read, audited, naming the machine.
    read = PatronAudit.objects.get(staff__username="sip2:sc-riv-1")
    assert read.patron == world.ada and "sc-riv-1 at RIV-MAIN" in str(read.detail)


def test_it_sip_11_says_send_to_the_home_branch(world, server):
    create_account("ELK", "sc-elk", "elk-self-check")
    sip = logged_in(server, card=world.ada.card, pin=PIN)
    sip.get_response(sip.sip_checkout_request("31000000000011"))
    sip.disconnect()
    elk = client(server)
    assert elk.get_response(elk.sip_login_request("sc-elk", "elk-self-check")).startswith("941")
    back = elk.sip_checkin_response(elk.get_response(elk.sip_checkin_request("31000000000011")))
    assert back["variable"]["CL"] == ["SEND TO RIVERTON MAIN (RIV-MAIN)"]
    assert back["variable"]["AF"][0] == "SEND TO RIVERTON MAIN (RIV-MAIN)"
    assert back["fixed"]["Alert"] == "Y"
    assert Event.objects.get(kind="checkin").branch == world.elk_main


def test_it_sip_11_says_hold_shelf(world, server):
    """Both copies out to Ada; Ben waits for Dune at RIV-MAIN (as tests/holds sets it up)."""
    Item.objects.update(created_at=A_YEAR_AGO)
    fill_courier_days()
    GroupPolicy.objects.create()
    sip = logged_in(server, card=world.ada.card, pin=PIN)
    sip.get_response(sip.sip_checkout_request("31000000000011"))
    sip.get_response(sip.sip_checkout_request("32000000000019"))
    holds.place_hold(world.desk_riv, world.ben, world.riv_main, title=world.dune)
    back = sip.sip_checkin_response(sip.get_response(sip.sip_checkin_request("31000000000011")))
    sip.disconnect()
    assert back["variable"]["CL"] == ["HOLD SHELF"] and back["fixed"]["Alert"] == "Y"
    assert Item.objects.get(pk=world.dune_riv.pk).status == Item.Status.ON_HOLD_SHELF


def test_it_sip_9_refuses_a_checkout_as_the_desk_does_and_keeps_the_scan(world, server):
    world.ada.expires_on = dt.date.today() - dt.timedelta(days=1)
    world.ada.save()
    sip = logged_in(server, card=world.ada.card, pin=PIN)
    out = sip.sip_checkout_request("31000000000011")
    answer = sip.sip_checkout_response(sip.get_response(out))
    sip.disconnect()
    assert answer["fixed"]["Ok"] == "0" and "expired" in answer["variable"]["AF"][0]
    assert not Loan.objects.exists()
    assert UnprocessedScan.objects.get().code == "card_expired"


def test_it_sip_7_refuses_a_wrong_pin_and_counts_it(world, server):
    sip = logged_in(server, card=world.ada.card, pin="0000")
    info = sip.sip_patron_information_response(
        sip.get_response(sip.sip_patron_information_request("charged"))
    )
    assert info["variable"]["CQ"] == ["N"] and info["variable"]["AE"] == [""]
    assert "not right" in info["variable"]["AF"][0]
    out = sip.sip_checkout_response(sip.get_response(sip.sip_checkout_request("31000000000011")))
    sip.disconnect()
    assert out["fixed"]["Ok"] == "0" and not Loan.objects.exists()
    failures = LoginAttempt.objects.filter(ok=False, address=f"sip2:{LOGIN}")
    assert failures.count() == 2


def test_it_sip_7_stops_at_the_pin_rate_limit(world, server):
    sip = logged_in(server, card=world.ada.card, pin="0000")
    for _ in range(5):
        sip.get_response(sip.sip_patron_status_request())
    sip.patronpwd = PIN  # right, but the card is locked now (RATE-1)
    answer = sip.sip_patron_status_response(sip.get_response(sip.sip_patron_status_request()))
    sip.disconnect()
    assert answer["variable"]["CQ"] == ["N"] and "paused" in answer["variable"]["AF"][0]


def test_it_sip_7_refuses_a_checkout_without_a_pin(world, server):
    sip = logged_in(server, card=world.ada.card)
    out = sip.sip_checkout_response(sip.get_response(sip.sip_checkout_request("31000000000011")))
    sip.disconnect()
    assert out["fixed"]["Ok"] == "0" and out["variable"]["AF"] == ["Type your PIN."]


def test_it_sip_8_checks_a_pin_once_per_patron_session(world, server):
    sip = logged_in(server, card=world.ada.card, pin=PIN)
    for _ in range(3):
        sip.get_response(sip.sip_patron_status_request())
    assert LoginAttempt.objects.filter(address=f"sip2:{LOGIN}").count() == 1
    sip.get_response(sip.sip_end_patron_session_request())
    sip.get_response(sip.sip_patron_status_request())
    sip.disconnect()
    assert LoginAttempt.objects.filter(address=f"sip2:{LOGIN}").count() == 2


def test_it_sip_12_renews_all_and_refuses_what_is_not_yours(world, server):
    sip = logged_in(server, card=world.ada.card, pin=PIN)
    sip.get_response(sip.sip_checkout_request("31000000000011"))
    everything = sip.get_response(renew_all_request(sip))
    assert everything.startswith("6610001000")
    assert "BM31000000000011|" in everything
    not_mine = sip.sip_renew_response(sip.get_response(sip.sip_renew_request("32000000000019")))
    sip.disconnect()
    assert not_mine["fixed"]["Ok"] == "0"
    assert "not on loan to you" in not_mine["variable"]["AF"][0]


def test_it_answers_item_information(world, server):
    sip = logged_in(server)
    answer = sip.sip_item_information_response(
        sip.get_response(sip.sip_item_information_request("32000000000019"))
    )
    sip.disconnect()
    assert answer["fixed"]["CirculationStatus"] == "03"
    assert answer["variable"]["AJ"] == ["Dune"] and answer["variable"]["BG"] == ["PINE"]


def owe(world, library, amount: str = "2.00") -> Charge:
    return Charge.objects.create(
        patron=world.ada,
        item=world.dune_riv,
        library=library,
        kind=Charge.Kind.OVERDUE,
        amount=Decimal(amount),
    )


def pay(sip, amount: str, **fields: str) -> dict:
    fields.setdefault("currencyType", "USD")
    return sip.sip_fee_paid_response(
        sip.get_response(sip.sip_fee_paid_request(4, 2, amount, **fields))
    )


def test_it_sip_10_takes_a_payment_through_the_desk_and_once_per_transaction(world, server):
    fine = owe(world, world.riverton)
    sip = logged_in(server, card=world.ada.card, pin=PIN)
    first = pay(sip, "1.50", transactionId="SC-0042", feeIdentifier=str(fine.pk))
    again = pay(sip, "1.50", transactionId="SC-0042", feeIdentifier=str(fine.pk))  # MONEY-5
    sip.disconnect()
    assert first["fixed"]["PaymentAccepted"] == again["fixed"]["PaymentAccepted"] == "Y"
    payment = Payment.objects.get()
    assert (payment.amount, payment.method, payment.owed_after) == (
        Decimal("1.50"),
        "card",
        Decimal("0.50"),
    )
    assert (payment.staff.username, payment.branch) == ("sip2:sc-riv-1", world.riv_main)
    assert payment.reference == "SIP2 sc-riv-1 SC-0042"
    assert Event.objects.get(kind="payment").staff.username == "sip2:sc-riv-1"


@pytest.mark.parametrize(
    "amount, fields, says",
    [
        ("abc", {}, "must be a number of dollars and cents"),
        ("5.00", {}, "more than"),
        ("1.00", {"currencyType": "EUR"}, "takes payments in USD, not EUR"),
        ("1.00", {"feeIdentifier": "fine-1"}, "not a charge number"),
    ],
)
def test_it_sip_10_refuses_a_payment_as_the_desk_does(world, server, amount, fields, says):
    owe(world, world.riverton)
    sip = logged_in(server, card=world.ada.card, pin=PIN)
    answer = pay(sip, amount, **fields)
    sip.disconnect()
    assert answer["fixed"]["PaymentAccepted"] == "N" and says in answer["variable"]["AF"][0]
    assert not Payment.objects.exists()


def test_it_sip_10_takes_no_payment_for_another_library_or_without_a_pin(world, server):
    owe(world, world.pine)
    sip = logged_in(server, card=world.ada.card, pin=PIN)
    elsewhere = pay(sip, "1.00")
    sip.get_response(sip.sip_end_patron_session_request())
    sip.patronpwd = ""
    no_pin = pay(sip, "1.00")
    sip.disconnect()
    assert "owed to Pine Creek Library" in elsewhere["variable"]["AF"][0]  # MONEY-4
    assert no_pin["variable"]["AF"] == ["Type your PIN."]
    assert not Payment.objects.exists()


def test_it_serves_several_machines_at_once(world, server):
    """Eight machines, each lending and taking back its own copy, at the same time."""
    items = [
        Item.objects.create(
            barcode=f"3100000000{n:04d}",
            title=world.dune,
            owning_library=world.riverton,
            home_branch=world.riv_main,
            current_branch=world.riv_main,
            item_type="book",
            collection="ADULT",
        )
        for n in range(8)
    ]
    answers: dict[str, list[str]] = {}
    start = threading.Barrier(len(items))

    def machine(barcode: str) -> None:
        sip = logged_in(server, card=world.ada.card, pin=PIN)
        start.wait()
        out = sip.get_response(sip.sip_checkout_request(barcode))
        back = sip.get_response(sip.sip_checkin_request(barcode))
        sip.disconnect()
        answers[barcode] = [out[:3], back[:3]]

    threads = [threading.Thread(target=machine, args=(i.barcode,)) for i in items]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert answers == {i.barcode: ["121", "101"] for i in items}
    assert Event.objects.filter(kind="checkout").count() == 8
    assert not Loan.objects.filter(state=Loan.State.ACTIVE).exists()


def test_it_lists_holds_and_overdue_items_in_patron_information(world, server):
    """Ada has both copies, one overdue; Ben waits for Dune at RIV-MAIN, then it is his."""
    Item.objects.update(created_at=A_YEAR_AGO)
    fill_courier_days()
    GroupPolicy.objects.create()
    long_ago = timezone.now() - dt.timedelta(days=40)
    circulation.check_out(world.desk_riv, world.riv_main, world.ada, world.dune_riv, now=long_ago)
    circulation.check_out(world.desk_riv, world.riv_main, world.ada, world.dune_pine)
    holds.place_hold(world.desk_riv, world.ben, world.riv_main, title=world.dune)
    set_pin_by_staff(world.desk_pine, world.ben.card, "7391", "7391")

    ada = logged_in(server, card=world.ada.card, pin=PIN)
    overdue = ada.sip_patron_information_response(
        ada.get_response(ada.sip_patron_information_request("overdue"))
    )
    assert overdue["fixed"]["OverdueItemsCount"] == "0001"
    assert overdue["fixed"]["ChargedItemsCount"] == "0002"
    assert overdue["variable"]["AT"] == ["31000000000011"]
    ada.disconnect()

    ben = logged_in(server, card=world.ben.card, pin="7391")
    waiting = ben.sip_patron_information_response(
        ben.get_response(ben.sip_patron_information_request("unavail"))
    )
    assert waiting["fixed"]["UnavailableHoldsCount"] == "0001"
    assert waiting["variable"]["CD"] == ["Dune"]
    circulation.check_in(world.desk_riv, world.riv_main, world.dune_riv)
    ready = ben.sip_patron_information_response(
        ben.get_response(ben.sip_patron_information_request("hold"))
    )
    ben.disconnect()
    assert ready["fixed"]["HoldItemsCount"] == "0001" and ready["variable"]["AS"] == ["Dune"]
    assert ready["fixed"]["UnavailableHoldsCount"] == "0000"
