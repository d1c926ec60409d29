"""POST /api/v1/circulation/checkins: the checkin desk's scan over the API."""

from __future__ import annotations

from onelibrary.catalog.models import Item
from onelibrary.circulation.models import Event, Loan, UnprocessedScan

ADA = "29000000000017"
DUNE_RIV = "31000000000011"


def checkin(api, item=DUNE_RIV, branch="RIV-MAIN"):
    return api.post("/circulation/checkins", {"branch": branch, "item_barcode": item})


def lend(api, item=DUNE_RIV) -> int:
    response = api.post(
        "/circulation/checkouts",
        {"branch": "RIV-MAIN", "patron_card": ADA, "item_barcode": item},
    )
    assert response.status_code == 201
    return response.json()["loan_id"]


def test_it_checks_an_item_in_at_its_home_branch(world, desk_riv):
    loan_id = lend(desk_riv)
    response = checkin(desk_riv)
    assert response.status_code == 200
    body = response.json()
    assert (body["decision"], body["instruction"]) == ("CHECKIN-1", "SHELVE")
    assert body["loan_id"] == loan_id and body["loan_state"] == "returned"
    assert Item.objects.get(barcode=DUNE_RIV).status == Item.Status.AVAILABLE


def test_it_says_where_to_send_an_item_returned_elsewhere(world, desk_riv):
    lend(desk_riv)
    response = checkin(desk_riv, branch="RIV-EAST")
    assert response.json()["decision"] == "CHECKIN-2"
    assert response.json()["instruction"] == "SEND TO RIVERTON MAIN (RIV-MAIN)"


def test_it_says_a_repeated_checkin_was_not_counted_again(world, desk_riv):
    lend(desk_riv)
    checkin(desk_riv)
    response = checkin(desk_riv)
    assert response.status_code == 200
    assert response.json()["decision"] == "CHECKIN-4"
    assert response.json()["repeated"] is True
    assert Event.objects.filter(kind="checkin").count() == 1


def test_it_refuses_another_librarys_branch(world, desk_pine):
    response = checkin(desk_pine, branch="RIV-MAIN")
    assert response.status_code == 403
    assert response.json()["code"] == "not_your_branch"
    assert not Event.objects.exists() and not UnprocessedScan.objects.exists()


def test_it_answers_404_for_an_unknown_barcode_changes_nothing_and_keeps_the_scan(world, desk_riv):
    lend(desk_riv)
    response = checkin(desk_riv, item="31999999999999")
    assert response.status_code == 404
    assert "No item in the group has the barcode" in response.json()["message"]
    assert Loan.objects.get().state == Loan.State.ACTIVE
    assert Event.objects.filter(kind="checkin").count() == 0
    scan = UnprocessedScan.objects.get()
    assert (scan.screen, scan.barcode, scan.code) == ("checkin", "31999999999999", "unknown_item")


def test_it_answers_422_for_a_library_card_scanned_at_checkin(world, desk_riv):
    response = checkin(desk_riv, item=ADA)
    assert response.status_code == 422
    assert response.json()["code"] == "patron_card_as_item"
