"""GET /api/v1/catalog/items/{barcode}."""

from __future__ import annotations

DUNE_RIV = "31000000000011"


def test_it_describes_an_available_copy(world, desk_pine):
    response = desk_pine.get(f"/catalog/items/{DUNE_RIV}")
    assert response.status_code == 200
    body = response.json()
    assert body["title"] == "Dune" and body["author"] == "Herbert, Frank"
    assert body["owning_library"] == {"code": "RIV", "name": "Riverton City Library"}
    assert body["home_branch"]["code"] == body["current_branch"]["code"] == "RIV-MAIN"
    assert (body["status"], body["status_label"]) == ("available", "Available")
    assert body["due_date"] is None and body["loan_id"] is None


def test_it_gives_the_due_date_of_a_copy_on_loan_but_not_the_patron(world, desk_riv):
    lent = desk_riv.post(
        "/circulation/checkouts",
        {"branch": "RIV-MAIN", "patron_card": "29000000000017", "item_barcode": DUNE_RIV},
    ).json()
    body = desk_riv.get(f"/catalog/items/{DUNE_RIV}").json()
    assert body["status"] == "checked_out"
    assert body["due_date"] == lent["due_date"] and body["loan_id"] == lent["loan_id"]
    assert "29000000000017" not in str(body) and "Ada" not in str(body)


def test_it_answers_404_for_an_unknown_barcode(world, desk_riv):
    response = desk_riv.get("/catalog/items/31999999999999")
    assert response.status_code == 404
    assert response.json()["code"] == "unknown_item"
    assert "set the item aside for cataloguing" in response.json()["message"]


def test_it_says_so_when_a_library_card_is_asked_for_as_a_copy(world, desk_riv):
    response = desk_riv.get(f"/catalog/items/{world.ada.card}")
    assert response.status_code == 422
    assert response.json()["code"] == "patron_card_as_item"
    assert "library card, not an item" in response.json()["message"]
