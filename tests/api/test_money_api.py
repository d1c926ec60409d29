"""Money over the API: /api/v1/circulation/patrons/{card}/charges and /payments,
/payments/{id}, /charges/{id}/waivers and /refunds."""

from __future__ import annotations

from decimal import Decimal

import pytest

from onelibrary.circulation.models import Payment
from onelibrary.patrons.models import PatronAudit
from tests.api.conftest import api_for
from tests.circulation.money_world import charge, counts
from tests.conftest import make_staff

pytestmark = pytest.mark.django_db


def test_it_takes_a_payment_and_answers_with_the_receipt(desk_riv, world):
    fine = charge(world.ada, world.dune_riv, "12.00")
    response = desk_riv.post(
        f"/circulation/patrons/{world.ada.card}/payments",
        {"branch": "RIV-MAIN", "amount": "5.00", "method": "card", "token": "api-token-1"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["amount"], body["owed_after"], body["repeated"]) == ("5.00", "7.00", False)
    assert body["paid"][0]["charge_id"] == fine.pk
    assert body["paid"][0]["decision"] == "MONEY-1"
    receipt = desk_riv.get(f"/circulation/payments/{body['payment_id']}")
    assert receipt.status_code == 200
    assert receipt.json()["paid"] == body["paid"]


def test_it_money_5_answers_a_repeated_token_with_the_first_receipt(desk_riv, world):
    charge(world.ada, world.dune_riv, "12.00")
    body = {"branch": "RIV-MAIN", "amount": "12.00", "method": "cash", "token": "api-token-2"}
    first = desk_riv.post(f"/circulation/patrons/{world.ada.card}/payments", body)
    before = counts()
    again = desk_riv.post(f"/circulation/patrons/{world.ada.card}/payments", body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["payment_id"] == first.json()["payment_id"]
    assert again.json()["repeated"] is True
    assert counts() == before


@pytest.mark.parametrize(
    ("amount", "status", "code"),
    [
        ("-1", 422, "invalid_input"),
        ("0.001", 422, "invalid_input"),
        ("lots", 422, "invalid_input"),
        ("12.01", 409, "more_than_owed"),
        (12, 422, "invalid_input"),  # a JSON number is a float: amounts are strings
    ],
)
def test_it_refuses_bad_amounts_and_writes_nothing(desk_riv, world, amount, status, code):
    charge(world.ada, world.dune_riv, "12.00")
    before = counts()
    response = desk_riv.post(
        f"/circulation/patrons/{world.ada.card}/payments",
        {"branch": "RIV-MAIN", "amount": amount, "method": "cash"},
    )
    assert response.status_code == status, response.content
    assert response.json()["code"] == code
    assert counts() == before


def test_it_lists_a_patron_s_charges_with_their_history_and_audits_it(desk_riv, world):
    fine = charge(world.ada, world.dune_riv, "12.00")
    desk_riv.post(
        f"/circulation/patrons/{world.ada.card}/payments",
        {"branch": "RIV-MAIN", "amount": "2.50", "method": "cash"},
    )
    response = desk_riv.get(f"/circulation/patrons/{world.ada.card}/charges")
    assert response.status_code == 200
    body = response.json()
    assert body["owed"] == "9.50"
    [line] = body["charges"]
    assert (line["charge_id"], line["paid"], line["owed"]) == (fine.pk, "2.50", "9.50")
    assert [e["kind"] for e in line["entries"]] == ["payment"]
    assert PatronAudit.objects.filter(
        patron=world.ada, via="api", detail__context="charges"
    ).exists()


def test_it_waives_and_refunds(admin_riv, world):
    fine = charge(world.ada, world.dune_riv, "12.00")
    admin_riv.post(
        f"/circulation/patrons/{world.ada.card}/payments",
        {"branch": "RIV-MAIN", "amount": "2.00", "method": "cash"},
    )
    waived = admin_riv.post(
        f"/circulation/charges/{fine.pk}/waivers",
        {"branch": "RIV-MAIN", "amount": "10.00", "reason": "hardship"},
    )
    assert waived.status_code == 201, waived.content
    assert (waived.json()["decision"], waived.json()["owed_after"]) == ("MONEY-6", "0.00")
    refunded = admin_riv.post(
        f"/circulation/charges/{fine.pk}/refunds",
        {"branch": "RIV-MAIN", "amount": "2.00", "method": "cash", "reason": "error"},
    )
    assert refunded.status_code == 201, refunded.content
    assert (refunded.json()["decision"], refunded.json()["owed_after"]) == ("MONEY-9", "2.00")


def test_it_money_7_refuses_a_desk_waiver_over_the_limit(desk_riv, world):
    fine = charge(world.ada, world.dune_riv, "12.00")
    before = counts()
    response = desk_riv.post(
        f"/circulation/charges/{fine.pk}/waivers",
        {"branch": "RIV-MAIN", "amount": "1.00", "reason": "kind"},
    )
    assert response.status_code == 403
    assert response.json()["code"] == "over_waiver_limit"
    assert "library admin of Riverton City Library" in response.json()["message"]
    assert counts() == before


def test_it_money_8_refuses_a_waiver_without_a_reason_over_the_api(admin_riv, world):
    fine = charge(world.ada, world.dune_riv, "12.00")
    before = counts()
    response = admin_riv.post(
        f"/circulation/charges/{fine.pk}/waivers",
        {"branch": "RIV-MAIN", "amount": "1.00", "reason": ""},
    )
    assert response.status_code == 422
    assert response.json()["code"] == "reason_required"
    assert counts() == before


def test_it_money_4_refuses_another_library_s_charge_and_hides_its_receipts(desk_riv, world):
    fine = charge(world.ada, world.dune_riv, "12.00")
    desk_riv.post(
        f"/circulation/patrons/{world.ada.card}/payments",
        {"branch": "RIV-MAIN", "amount": "1.00", "method": "cash"},
    )
    elk = api_for(make_staff("desk.elk", "desk", world.elk))
    before = counts()
    paying = elk.post(
        f"/circulation/patrons/{world.ada.card}/payments",
        {"branch": "ELK", "amount": "1.00", "method": "cash", "charge_ids": [fine.pk]},
    )
    assert paying.status_code == 403
    assert paying.json()["code"] == "not_your_library"
    payment = Payment.objects.get()
    for path in (f"/circulation/payments/{payment.pk}", f"/circulation/payments/{payment.pk + 99}"):
        assert elk.get(path).status_code == 404
    for step in ("waivers", "refunds"):
        response = elk.post(
            f"/circulation/charges/{fine.pk}/{step}",
            {"branch": "ELK", "amount": "1.00", "reason": "x", "method": "cash"},
        )
        assert response.status_code == 404
        assert response.json()["code"] == "unknown_charge"
    assert counts() == before
    assert Decimal(str(fine.amount)) == Decimal("12.00")
