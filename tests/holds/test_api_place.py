"""POST /api/v1/holds/: place a hold."""

from __future__ import annotations

from onelibrary.holds.models import Hold
from onelibrary.members.models import Branch, Library

ADA = "29000000000017"


def test_it_places_and_routes_a_title_hold(hw, api_riv):
    response = api_riv.post(
        "/holds/", {"patron_card": ADA, "title_id": hw.dune.pk, "pickup_branch": "RIV-MAIN"}
    )
    assert response.status_code == 201
    body = response.json()
    assert body["state"] == "routed" and body["assigned_item_barcode"] == "31000000000011"
    assert body["pickup_branch"] == "RIV-MAIN" and "will be pulled" in body["message"]
    assert Hold.objects.get().placed_by == hw.desk_riv


def test_it_places_a_hold_on_one_copy_for_the_preferred_branch(hw, api_pine):
    response = api_pine.post("/holds/", {"patron_card": ADA, "item_barcode": "32000000000019"})
    assert response.status_code == 201
    body = response.json()
    assert body["item_barcode"] == "32000000000019" and body["pickup_branch"] == "RIV-MAIN"


def test_it_answers_409_for_a_duplicate(hw, api_riv):
    body = {"patron_card": ADA, "title_id": hw.dune.pk}
    api_riv.post("/holds/", body)
    response = api_riv.post("/holds/", body)
    assert response.status_code == 409
    assert response.json()["code"] == "duplicate_hold"


def test_it_answers_409_with_the_nearest_open_branches_for_a_closed_pickup(hw, api_riv):
    Branch.objects.filter(code="ELK").update(is_active=False)
    response = api_riv.post(
        "/holds/", {"patron_card": ADA, "title_id": hw.dune.pk, "pickup_branch": "ELK"}
    )
    assert response.status_code == 409
    assert response.json()["code"] == "pickup_closed"
    assert "nearest open branches are" in response.json()["message"]
    assert not Hold.objects.exists()


def test_it_answers_404_for_an_unknown_title_patron_or_branch(hw, api_riv):
    assert api_riv.post("/holds/", {"patron_card": ADA, "title_id": 999}).json()["code"] == (
        "unknown_title"
    )
    response = api_riv.post("/holds/", {"patron_card": "29999", "title_id": hw.dune.pk})
    assert (response.status_code, response.json()["code"]) == (404, "unknown_patron")
    response = api_riv.post(
        "/holds/", {"patron_card": ADA, "title_id": hw.dune.pk, "pickup_branch": "NOPE"}
    )
    assert response.json()["code"] == "unknown_branch"


def test_it_answers_422_for_neither_or_both_of_title_and_copy(hw, api_riv):
    assert api_riv.post("/holds/", {"patron_card": ADA}).status_code == 422
    both = {"patron_card": ADA, "title_id": hw.dune.pk, "item_barcode": "32000000000019"}
    assert api_riv.post("/holds/", both).status_code == 422


def test_it_answers_401_without_a_token(hw):
    from django.test import Client

    response = Client().post("/api/v1/holds/", {}, content_type="application/json")
    assert response.status_code == 401


def test_hold_18_answers_409_for_an_applicant_members_pickup_branch(hw, api_riv):
    Library.objects.filter(code="ELK").update(status=Library.Status.APPLICANT)
    response = api_riv.post(
        "/holds/", {"patron_card": ADA, "title_id": hw.dune.pk, "pickup_branch": "ELK"}
    )
    assert response.status_code == 409
    assert response.json()["code"] == "pickup_not_member"
    assert "has applied to join the group" in response.json()["message"]
    assert not Hold.objects.exists()
