"""POST /api/v1/circulation/items/{barcode}/<action>: the desk's actions on one copy."""

from __future__ import annotations

from decimal import Decimal

import pytest

from onelibrary.catalog.models import Item
from onelibrary.circulation.models import Charge, Event, Loan
from tests.api.conftest import api_for

RIV_COPY = "31000000000011"
SLUGS = (
    "found",
    "damaged",
    "back-on-shelf",
    "missing",
    "claims-returned",
    "lost",
    "withdraw",
    "reinstate",
)


def rows() -> tuple[int, ...]:
    return (
        Event.objects.count(),
        Loan.objects.count(),
        Charge.objects.filter(settled_at=None).count(),
        *Item.objects.order_by("pk").values_list("status", flat=True),
    )


def test_it_lists_every_action_in_the_openapi_document(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for slug in SLUGS:
        op = paths[f"/api/v1/circulation/items/{{barcode}}/{slug}"]["post"]
        assert op["operationId"] == f"onelibrary_circulation_item_{slug.replace('-', '_')}"


def test_it_marks_a_copy_missing_then_found(desk_riv):
    missing = desk_riv.post(
        f"/circulation/items/{RIV_COPY}/missing", {"branch": "RIV-MAIN", "note": "Not there"}
    )
    assert missing.status_code == 200, missing.json()
    assert (missing.json()["decision"], missing.json()["item_status"]) == ("MISSING-1", "missing")
    found = desk_riv.post(f"/circulation/items/{RIV_COPY}/found", {"branch": "RIV-MAIN"})
    assert found.json()["decision"] == "FOUND-1" and found.json()["item_status"] == "available"


def test_it_takes_a_loan_to_lost_and_back(world, desk_riv):
    Item.objects.filter(barcode=RIV_COPY).update(price=Decimal("15.00"))
    desk_riv.post(
        "/circulation/checkouts",
        {"branch": "RIV-MAIN", "patron_card": world.ada.card, "item_barcode": RIV_COPY},
    )
    lost = desk_riv.post(f"/circulation/items/{RIV_COPY}/lost", {"branch": "RIV-MAIN"})
    assert lost.json()["decision"] == "LOST-1" and lost.json()["loan_state"] == "lost"
    found = desk_riv.post(f"/circulation/items/{RIV_COPY}/found", {"branch": "RIV-MAIN"})
    assert found.json()["decision"] == "FOUND-1"
    assert "the unpaid $15.00 is cancelled" in found.json()["message"]
    charge = Charge.objects.get()
    assert charge.settled_at is not None
    assert list(charge.entries.values_list("kind", flat=True)) == ["cancel"]


@pytest.mark.parametrize(
    ("path", "body", "status", "code", "decision"),
    [
        (
            "/circulation/items/999/damaged",
            {"branch": "RIV-MAIN", "note": "x"},
            404,
            "unknown_item",
            "",
        ),
        (
            f"/circulation/items/{RIV_COPY}/damaged",
            {"branch": "RIV-MAIN"},
            409,
            "note_required",
            "DAMAGED-2",
        ),
        (
            f"/circulation/items/{RIV_COPY}/found",
            {"branch": "RIV-MAIN"},
            409,
            "wrong_state",
            "FOUND-2",
        ),
        (
            f"/circulation/items/{RIV_COPY}/claims-returned",
            {"branch": "RIV-MAIN", "note": "x"},
            409,
            "not_on_loan",
            "CLAIMS-2",
        ),
        (
            f"/circulation/items/{RIV_COPY}/withdraw",
            {"branch": "RIV-MAIN", "note": "x"},
            403,
            "not_your_library",
            "WITHDRAW-3",
        ),
        (
            f"/circulation/items/{RIV_COPY}/missing",
            {"branch": "PINE", "note": "x"},
            403,
            "not_your_branch",
            "CHECKOUT-15",
        ),
        (
            f"/circulation/items/{RIV_COPY}/missing",
            {"branch": "RIV-MAIN", "note": "x" * 501},
            422,
            "invalid_input",
            "",
        ),
        (f"/circulation/items/{RIV_COPY}/missing", {"note": "x"}, 422, "invalid_input", ""),
    ],
)
def test_it_refuses_bad_input_and_writes_nothing(desk_riv, path, body, status, code, decision):
    before = rows()
    response = desk_riv.post(path, body)
    assert response.status_code == status, response.json()
    assert response.json()["code"] == code and response.json()["message"]
    assert response.json()["decision"] == decision
    assert rows() == before


def test_it_refuses_a_repeated_action_and_writes_nothing_more(world, desk_riv):
    body = {"branch": "RIV-MAIN", "note": "Spine broken"}
    assert desk_riv.post(f"/circulation/items/{RIV_COPY}/damaged", body).status_code == 200
    before = rows()
    again = desk_riv.post(f"/circulation/items/{RIV_COPY}/damaged", body)
    assert again.status_code == 409 and again.json()["decision"] == "DAMAGED-2"
    assert rows() == before


def test_it_lets_the_owning_librarys_admin_withdraw_and_reinstate(world, admin_riv):
    body = {"branch": "RIV-MAIN", "note": "Worn out"}
    assert (
        admin_riv.post(f"/circulation/items/{RIV_COPY}/withdraw", body).json()["decision"]
        == "WITHDRAW-1"
    )
    back = admin_riv.post(f"/circulation/items/{RIV_COPY}/reinstate", {"branch": "RIV-MAIN"})
    assert back.json()["decision"] == "WITHDRAW-2"
    pine_desk = api_for(world.desk_pine)
    refused = pine_desk.post(
        f"/circulation/items/{RIV_COPY}/damaged", {"branch": "PINE", "note": "x"}
    )
    assert refused.status_code == 403 and refused.json()["decision"] == "DAMAGED-2"
