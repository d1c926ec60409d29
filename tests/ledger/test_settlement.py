"""Settlement: a period's balances and payments, as a page, PDF, CSV, JSON and the
command; what a member's staff see of it; unknown periods refused."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from onelibrary.ledger import book, settlement
from onelibrary.ledger.models import Entry
from onelibrary.members import tokens
from tests.conftest import PASSWORD
from tests.holds.conftest import Api

pytestmark = pytest.mark.django_db


def at(day: str) -> dt.datetime:
    return timezone.make_aware(dt.datetime.fromisoformat(day + "T10:00"))


@pytest.fixture
def november(world, usual):
    """A hand-worked November (and one December entry that must not count):

    PINE owes RIV 24.99 + 5.00 (Dune lost); RIV owes ELK 12.00 (damaged);
    the group owes RIV 30.00 (lost in transit); ELK owes PINE 7.50, then reversed.
    Balances: RIV +47.99, ELK +12.00, PINE −29.99, GROUP −30.00."""

    def post(kind, debtor, creditor, amount, n, day="2026-11-10"):
        return book.post(
            kind=kind,
            debtor=debtor,
            creditor=creditor,
            amount=Decimal(amount),
            source=("test", n),
            reason=f"case {n}",
            decision="LEDGER-1",
            now=at(day),
        ).entry

    post("replacement", world.pine, world.riverton, "24.99", 1)
    post("processing_fee", world.pine, world.riverton, "5.00", 2, "2026-11-01")
    post("replacement", world.riverton, world.elk, "12.00", 3, "2026-11-30")
    post("transit_loss", None, world.riverton, "30.00", 4)
    wrong = post("repair", world.elk, world.pine, "7.50", 5)
    book.reverse(wrong, "booked against the wrong member", world.central, now=at("2026-11-20"))
    post("replacement", world.elk, world.pine, "99.00", 6, "2026-12-01")
    return world


def test_a_statement_matches_the_hand_worked_example(november):
    s = settlement.settle(settlement.period("2026-11"))
    assert s.balances == {
        "BSP": Decimal("-30.00"),
        "ELK": Decimal("12.00"),
        "PINE": Decimal("-29.99"),
        "RIV": Decimal("47.99"),
    }
    assert [(p.payer, p.payee, p.amount) for p in s.payments] == [
        ("BSP", "RIV", Decimal("30.00")),
        ("PINE", "RIV", Decimal("17.99")),
        ("PINE", "ELK", Decimal("12.00")),
    ]


def test_the_settle_command_prints_json_with_decimal_strings(november):
    out = io.StringIO()
    call_command("settle", "--period", "2026-11", "--json", stdout=out)
    assert json.loads(out.getvalue()) == {
        "balances": {"BSP": "-30.00", "ELK": "12.00", "PINE": "-29.99", "RIV": "47.99"},
        "payments": [
            {"from": "BSP", "to": "RIV", "amount": "30.00"},
            {"from": "PINE", "to": "RIV", "amount": "17.99"},
            {"from": "PINE", "to": "ELK", "amount": "12.00"},
        ],
    }


@pytest.mark.parametrize(
    "bad", ["2026-13", "November", "2026-11-31..2026-12-01", "2026-12-01..2026-11-01", ""]
)
def test_ledger_15_an_unknown_period_is_refused(november, bad):
    before = Entry.objects.count()
    with pytest.raises(CommandError, match="is not a period"):
        call_command("settle", "--period", bad, "--json", stdout=io.StringIO())
    assert Entry.objects.count() == before


def test_a_range_of_days_counts_its_last_day(november):
    s = settlement.settle(settlement.period("2026-11-30..2026-12-01"))
    # RIV owes ELK 12.00 on the 30th; ELK owes PINE 99.00 on the 1st.
    assert s.balances == {
        "ELK": Decimal("-87.00"),
        "PINE": Decimal("99.00"),
        "RIV": Decimal("-12.00"),
    }


def login(client: Client, user) -> Client:
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_ledger_17_a_member_sees_only_its_own_accounts(november):
    pine = login(Client(), november.desk_pine)
    page = pine.get("/ledger/settlement/?period=2026-11").content.decode()
    assert "PINE" in page and "RIV" in page  # its own payments name their payees
    assert "47.99" not in page and "BSP" not in page  # but not others' balances
    entries = pine.get("/ledger/?period=2026-11").content.decode()
    assert "case 1" in entries and "case 3" not in entries and "case 4" not in entries
    other = Entry.objects.get(source_id="3")
    assert pine.get(f"/ledger/entries/{other.pk}/").status_code == 404
    count = Entry.objects.count()
    reversed_ = pine.post(f"/ledger/entries/{other.pk}/reverse", {"reason": "mine now"})
    assert reversed_.status_code == 404 and Entry.objects.count() == count
    own = Entry.objects.get(source_id="1")
    assert pine.post(f"/ledger/entries/{own.pk}/reverse", {"reason": "x"}).status_code == 403
    assert Entry.objects.count() == count
    central = login(Client(), november.central).get("/ledger/?period=2026-11").content.decode()
    assert "case 3" in central and "case 4" in central


def test_ledger_17_over_the_api_a_member_sees_only_its_own_row(november):
    pine = Api(Client(), tokens.issue_token(november.desk_pine, name="t").key)
    got = pine.get("/ledger/settlement", period="2026-11").json()
    assert got["balances"] == {"PINE": "-29.99"}
    assert {(p["from"], p["to"]) for p in got["payments"]} == {("PINE", "RIV"), ("PINE", "ELK")}
    listed = pine.get("/ledger/entries", period="2026-11").json()
    assert {e["reason"] for e in listed} == {
        "case 1",
        "case 2",
        "case 5",
        "booked against the wrong member",
    }
    other = Entry.objects.get(source_id="3")
    assert pine.get(f"/ledger/entries/{other.pk}").status_code == 404
    central = Api(Client(), tokens.issue_token(november.central, name="t").key)
    assert central.get("/ledger/balances", period="2026-11").json()["RIV"] == "47.99"


def test_ledger_15_the_api_refuses_an_unknown_period(november):
    central = Api(Client(), tokens.issue_token(november.central, name="t").key)
    answer = central.get("/ledger/settlement", period="2026-99")
    assert answer.status_code == 422 and answer.json()["code"] == "bad_period"


def test_ledger_14_reversal_over_the_api_is_the_central_offices_and_happens_once(november):
    entry = Entry.objects.get(source_id="1")
    pine = Api(Client(), tokens.issue_token(november.desk_pine, name="t").key)
    central = Api(Client(), tokens.issue_token(november.central, name="t").key)
    count = Entry.objects.count()
    assert pine.post(f"/ledger/entries/{entry.pk}/reverse", {"reason": "x"}).status_code == 403
    assert central.post(f"/ledger/entries/{entry.pk}/reverse", {"reason": ""}).status_code == 422
    assert Entry.objects.count() == count
    done = central.post(f"/ledger/entries/{entry.pk}/reverse", {"reason": "wrong member"})
    assert done.status_code == 201 and done.json()["reverses"] == entry.pk
    again = central.post(f"/ledger/entries/{entry.pk}/reverse", {"reason": "again"})
    assert again.status_code == 409 and again.json()["decision"] == "LEDGER-14"
    assert Entry.objects.count() == count + 1


def test_the_settlement_csv_is_safe_from_formulas_and_the_pdf_renders(november):
    central = login(Client(), november.central)
    body = central.get("/ledger/settlement.csv?period=2026-11").content.decode()
    rows = list(csv.reader(io.StringIO(body)))
    assert ["PINE", "Pine Creek Library", "'-29.99"] in rows
    assert ["BSP", "RIV", "30.00"] in rows
    pdf = central.get("/ledger/settlement.pdf?period=2026-11")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_each_figure_on_the_settlement_page_opens_its_entries(november):
    page = (
        login(Client(), november.central).get("/ledger/settlement/?period=2026-11").content.decode()
    )
    assert "/ledger/?period=2026-11&amp;party=RIV" in page


def test_the_pages_are_for_staff(november):
    from django.contrib.auth.models import User

    User.objects.create_user("nobody", password=PASSWORD)
    assert login(Client(), User.objects.get(username="nobody")).get("/ledger/").status_code == 403
