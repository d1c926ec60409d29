"""POST /api/v1/circulation/loans/{loan_id}/renewals."""

from __future__ import annotations

from onelibrary.circulation.models import Loan

ADA = "29000000000017"
DUNE_RIV = "31000000000011"


def lend(api) -> int:
    response = api.post(
        "/circulation/checkouts",
        {"branch": "RIV-MAIN", "patron_card": ADA, "item_barcode": DUNE_RIV},
    )
    return response.json()["loan_id"]


def renew(api, loan_id, **body):
    return api.post(f"/circulation/loans/{loan_id}/renewals", body)


def test_it_renews_a_loan(world, desk_riv):
    loan_id = lend(desk_riv)
    response = renew(desk_riv, loan_id)
    assert response.status_code == 200
    body = response.json()
    loan = Loan.objects.get(pk=loan_id)
    assert body["decision"] == "RENEW-1" and loan.renewals == 1
    assert body["due_date"] == loan.due_date.isoformat()


def test_it_refuses_when_no_renewals_are_left(world, desk_riv):
    loan_id = lend(desk_riv)
    renew(desk_riv, loan_id)
    renew(desk_riv, loan_id)
    response = renew(desk_riv, loan_id)
    assert response.status_code == 409
    body = response.json()
    assert (body["code"], body["decision"], body["overridable"]) == (
        "no_renewals_left",
        "RENEW-2",
        False,
    )
    assert Loan.objects.get(pk=loan_id).renewals == 2


def test_it_refuses_staff_of_another_library_at_the_loans_branch(world, desk_riv, desk_pine):
    loan_id = lend(desk_riv)
    response = renew(desk_pine, loan_id)
    assert response.status_code == 403 and response.json()["code"] == "not_your_branch"
    response = renew(desk_pine, loan_id, branch="RIV-EAST")
    assert response.status_code == 403
    assert Loan.objects.get(pk=loan_id).renewals == 0


def test_it_renews_at_a_desk_of_the_staff_members_own_library(world, desk_riv, desk_pine):
    loan_id = lend(desk_riv)
    assert renew(desk_pine, loan_id, branch="PINE").status_code == 200


def test_it_answers_404_for_an_unknown_loan(world, desk_riv):
    response = renew(desk_riv, 999)
    assert response.status_code == 404
    assert response.json() | {"message": ""} == {
        "code": "unknown_loan",
        "message": "",
        "decision": "",
        "overridable": False,
        "detail": [],
    }


def test_it_refuses_a_returned_loan(world, desk_riv):
    loan_id = lend(desk_riv)
    desk_riv.post("/circulation/checkins", {"branch": "RIV-MAIN", "item_barcode": DUNE_RIV})
    response = renew(desk_riv, loan_id)
    assert response.status_code == 409 and response.json()["decision"] == "RENEW-3"


def test_it_renews_without_a_body_at_the_loans_checkout_branch(world, desk_riv):
    loan_id = lend(desk_riv)
    response = desk_riv.client.generic(
        "POST", f"/api/v1/circulation/loans/{loan_id}/renewals", b"", headers=desk_riv.headers()
    )
    assert response.status_code == 200
    assert response.json()["decision"] == "RENEW-1"


def test_a_body_that_is_not_a_json_object_renews_nothing(world, desk_riv):
    """Ninja's schemas would read `[]` as an empty object, and renew (apiauth's parser)."""
    loan_id = lend(desk_riv)
    for body, kind in ((b"[]", "a list"), (b'"RIV-MAIN"', "a string"), (b"null", "null")):
        response = desk_riv.client.post(
            f"/api/v1/circulation/loans/{loan_id}/renewals",
            body,
            content_type="application/json",
            headers=desk_riv.headers(),
        )
        assert response.status_code == 400, body
        assert response.json()["code"] == "not_json"
        assert f"The body is {kind}, not an object." in response.json()["message"]
    assert Loan.objects.get(pk=loan_id).renewals == 0
