"""POST /api/v1/circulation/checkouts: the checkout desk's scan over the API."""

from __future__ import annotations

import datetime as dt

from onelibrary.catalog.models import Item
from onelibrary.circulation.models import Event, Loan, UnprocessedScan

ADA = "29000000000017"
DUNE_RIV = "31000000000011"


def checkout(api, item=DUNE_RIV, card=ADA, branch="RIV-MAIN", **extra):
    return api.post(
        "/circulation/checkouts",
        {"branch": branch, "patron_card": card, "item_barcode": item, **extra},
    )


def test_it_checks_an_item_out_and_answers_with_the_outcome(world, desk_riv):
    response = checkout(desk_riv)
    assert response.status_code == 201
    body = response.json()
    loan = Loan.objects.get()
    assert body["decision"] == "CHECKOUT-1"
    assert body["loan_id"] == loan.pk
    assert body["due_date"] == loan.due_date.isoformat()
    assert body["item_barcode"] == DUNE_RIV and body["item_status"] == "checked_out"
    assert body["instruction"].startswith("DUE ")
    assert not body["repeated"]
    assert Event.objects.get(kind="checkout").staff == world.desk_riv


def test_it_answers_200_when_the_scanner_fired_twice(world, desk_riv):
    checkout(desk_riv)
    response = checkout(desk_riv)
    assert response.status_code == 200
    assert response.json()["decision"] == "CHECKOUT-4"
    assert response.json()["repeated"] is True
    assert Loan.objects.count() == 1


def test_it_refuses_another_librarys_branch_and_keeps_no_scan_there(world, desk_pine):
    response = checkout(desk_pine, branch="RIV-MAIN")
    assert response.status_code == 403
    assert response.json()["code"] == "not_your_branch"
    assert response.json()["decision"] == "CHECKOUT-15"
    assert not Loan.objects.exists()
    assert not UnprocessedScan.objects.exists()


def test_it_answers_404_for_an_unknown_barcode_changes_nothing_and_keeps_the_scan(world, desk_riv):
    response = checkout(desk_riv, item="31999999999999")
    assert response.status_code == 404
    body = response.json()
    assert body["code"] == "unknown_item"
    assert "No item in the group has the barcode 31999999999999" in body["message"]
    assert not Loan.objects.exists() and not Event.objects.exists()
    assert Item.objects.get(barcode=DUNE_RIV).status == Item.Status.AVAILABLE
    scan = UnprocessedScan.objects.get()
    assert (scan.screen, scan.barcode, scan.code) == ("checkout", "31999999999999", "unknown_item")


def test_it_answers_404_for_an_unknown_card_or_branch(world, desk_riv):
    assert checkout(desk_riv, card="29999999999999").json()["code"] == "unknown_patron"
    response = checkout(desk_riv, branch="NOWHERE")
    assert response.status_code == 404 and response.json()["code"] == "unknown_branch"


def test_it_answers_422_for_a_patron_card_in_the_item_field(world, desk_riv):
    response = checkout(desk_riv, item=ADA)
    assert response.status_code == 422
    assert response.json()["code"] == "patron_card_as_item"
    assert UnprocessedScan.objects.get().code == "patron_card_as_item"


def test_it_answers_409_with_the_decision_for_a_block(world, desk_riv):
    world.ada.expires_on = dt.date.today() - dt.timedelta(days=1)
    world.ada.save()
    response = checkout(desk_riv)
    assert response.status_code == 409
    body = response.json()
    assert (body["code"], body["decision"], body["overridable"]) == (
        "card_expired",
        "CHECKOUT-6",
        False,
    )
    assert not Loan.objects.exists()


def test_it_lets_a_library_admin_override_a_block_with_a_reason(world, admin_riv, desk_riv):
    world.ada.expires_on = dt.date.today() - dt.timedelta(days=1)
    world.ada.save()
    assert checkout(admin_riv).json()["overridable"] is True
    refused = checkout(desk_riv, override_reason="renewing at the desk now")
    assert refused.status_code == 403 and refused.json()["code"] == "override_not_allowed"
    response = checkout(admin_riv, override_reason="renewing at the desk now")
    assert response.status_code == 201
    assert response.json()["decision"] == "CHECKOUT-9"


def test_it_answers_422_for_malformed_input_and_keeps_no_scan(world, desk_riv):
    response = desk_riv.post("/circulation/checkouts", {"branch": "RIV-MAIN"})
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"
    assert "patron_card" in response.json()["message"]
    assert checkout(desk_riv, item="31\x0000").status_code == 422
    assert not UnprocessedScan.objects.exists()


def test_a_form_body_is_a_400_that_says_to_send_json(world, desk_riv):
    body = {"branch": "RIV-MAIN", "patron_card": ADA, "item_barcode": DUNE_RIV}
    response = desk_riv.client.post(
        "/api/v1/circulation/checkouts", body, headers=desk_riv.headers()
    )  # multipart/form-data, the test client's default
    assert response.status_code == 400
    assert response.json()["code"] == "not_json"
    assert "Content-Type: application/json" in response.json()["message"]
    assert not Loan.objects.exists() and not UnprocessedScan.objects.exists()
