"""One patron can never see or change another's loans or holds by changing an id: in the
pages and the API, another patron's id answers 404 like an id that does not exist, and
nothing changes."""

from __future__ import annotations

import json

import pytest

from onelibrary.circulation.models import Event, Loan
from onelibrary.holds.models import Hold, HoldEvent
from onelibrary.patrons.models import PatronAudit


def snapshot(accounts):
    return (
        list(Loan.objects.order_by("pk").values()),
        list(Hold.objects.order_by("pk").values()),
        Event.objects.count(),
        HoldEvent.objects.count(),
        PatronAudit.objects.filter(via="self").exclude(action="view").count(),
    )


def page_attempts(accounts):
    loan, hold = accounts.ben_loan.pk, accounts.ben_hold.pk
    return [
        ("post", f"/account/loans/{loan}/renew/", {}),
        ("get", f"/account/holds/{hold}/", None),
        ("post", f"/account/holds/{hold}/cancel/", {}),
        ("post", f"/account/holds/{hold}/suspend/", {"until": "2099-01-01"}),
        ("post", f"/account/holds/{hold}/resume/", {}),
        ("post", f"/account/holds/{hold}/pickup/", {"pickup": "ELK"}),
    ]


def test_ben_s_ids_in_ada_s_pages_answer_404_and_change_nothing(accounts, ada):
    before = snapshot(accounts)
    for method, url, data in page_attempts(accounts):
        response = getattr(ada, method)(url, data) if data is not None else ada.get(url)
        assert response.status_code == 404, (url, response.status_code)
        text = response.content.decode()
        assert "You have no" in text and "Okafor" not in text and "Dune" not in text
    assert snapshot(accounts) == before


def test_another_patron_s_id_answers_like_one_that_does_not_exist(accounts, ada):
    theirs = ada.get(f"/account/holds/{accounts.ben_hold.pk}/")
    nobody = ada.get("/account/holds/999999/")
    assert theirs.status_code == nobody.status_code == 404
    assert main(theirs).replace(str(accounts.ben_hold.pk), "N") == main(nobody).replace(
        "999999", "N"
    )


def main(response) -> str:
    text = response.content.decode()
    return text[text.index("<main") : text.index("</main>")]


def api_attempts(accounts):
    loan, hold = accounts.ben_loan.pk, accounts.ben_hold.pk
    return [
        ("post", f"/api/v1/account/loans/{loan}/renew", {}),
        ("post", f"/api/v1/account/holds/{hold}/cancel", {}),
        ("post", f"/api/v1/account/holds/{hold}/suspend", {"until": "2099-01-01"}),
        ("post", f"/api/v1/account/holds/{hold}/resume", {}),
        ("post", f"/api/v1/account/holds/{hold}/pickup", {"pickup_branch": "ELK"}),
    ]


@pytest.mark.parametrize("index", range(5))
def test_ben_s_ids_in_ada_s_api_calls_answer_404_and_change_nothing(accounts, ada, index):
    method, url, body = api_attempts(accounts)[index]
    before = snapshot(accounts)
    response = ada.post(url, json.dumps(body), content_type="application/json")
    assert response.status_code == 404, response.content
    assert response.json()["code"] in ("unknown_loan", "unknown_hold")
    assert snapshot(accounts) == before


def test_the_api_lists_only_my_loans_and_holds(accounts, ada):
    loans = ada.get("/api/v1/account/loans").json()
    holds = ada.get("/api/v1/account/holds").json()
    assert [loan["loan_id"] for loan in loans] == [accounts.ada_loan.pk]
    assert [hold["hold_id"] for hold in holds] == [accounts.ada_hold.pk]


def test_a_staff_token_does_not_open_the_patron_api(accounts):
    from tests.api.conftest import api_for

    api = api_for(accounts.world.central)
    assert api.get("/account/loans").status_code == 401
