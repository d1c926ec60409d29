"""GET /api/v1/circulation/patrons/{card}/loans."""

from __future__ import annotations

from tests.api.conftest import Api

ADA = "29000000000017"


def lend(api, item: str) -> None:
    response = api.post(
        "/circulation/checkouts", {"branch": "RIV-MAIN", "patron_card": ADA, "item_barcode": item}
    )
    assert response.status_code == 201


def test_it_lists_a_patrons_open_loans(world, desk_riv):
    lend(desk_riv, "31000000000011")
    lend(desk_riv, "32000000000019")
    desk_riv.post("/circulation/checkins", {"branch": "RIV-MAIN", "item_barcode": "32000000000019"})
    response = desk_riv.get(f"/circulation/patrons/{ADA}/loans")
    assert response.status_code == 200
    body = response.json()
    assert body["patron_card"] == ADA and body["home_library"] == "RIV"
    [loan] = body["loans"]
    assert loan["item_barcode"] == "31000000000011"
    assert loan["item_title"] == "Dune" and loan["owning_library"] == "RIV"
    assert loan["renewals"] == 0 and loan["renewals_allowed"] == 2
    assert loan["overdue"] is False


def test_it_answers_404_for_an_unknown_card(world, desk_riv):
    response = desk_riv.get("/circulation/patrons/29999999999999/loans")
    assert response.status_code == 404
    assert "No patron has the card 29999999999999" in response.json()["message"]


def test_it_answers_422_for_an_item_barcode_given_as_a_card(world, desk_riv):
    response = desk_riv.get("/circulation/patrons/31000000000011/loans")
    assert response.status_code == 422
    assert response.json()["code"] == "item_as_patron_card"


def test_it_needs_a_token(world, client):
    assert Api(client, "").get(f"/circulation/patrons/{ADA}/loans").status_code == 401
