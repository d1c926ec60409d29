"""The patron API under /api/v1/account/: session login, me, loans, renew, holds, place,
cancel, suspend, resume, pickup; the session cookie, its CSRF check, and refusals."""

from __future__ import annotations

import datetime as dt
import json

from django.test import Client

from onelibrary.circulation.models import Loan
from onelibrary.holds.models import Hold
from onelibrary.patrons.models import PatronAudit
from tests.account.conftest import ADA_PIN

API = "/api/v1/account"


def post(client: Client, path: str, body: dict | None = None, **kwargs):
    return client.post(
        API + path, json.dumps(body or {}), content_type="application/json", **kwargs
    )


def test_it_logs_in_by_api_and_answers_me(pins):
    client = Client()
    response = post(client, "/session", {"card": pins.ada.card, "pin": ADA_PIN})
    assert response.status_code == 200 and response.json()["first_name"] == "Ada"
    me = client.get(API + "/me").json()
    assert me["card"] == pins.ada.card and me["preferred_branch"] == "RIV-MAIN"
    assert PatronAudit.objects.filter(patron=pins.ada, via="self", action="view").exists()
    assert client.delete(API + "/session").status_code == 204
    assert client.get(API + "/me").status_code == 401


def test_a_wrong_pin_is_401_and_a_lock_is_429(pins):
    client = Client()
    for _ in range(4):
        response = post(client, "/session", {"card": pins.ada.card, "pin": "0000"})
        assert response.status_code == 401 and response.json()["code"] == "bad_login"
    response = post(client, "/session", {"card": pins.ada.card, "pin": "0000"})
    assert response.status_code == 429 and response.json()["code"] == "locked"


def test_without_a_session_it_is_401(pins):
    response = Client().get(API + "/loans")
    assert response.status_code == 401 and response.json()["code"] == "not_logged_in"


def test_writes_need_the_csrf_token(accounts):
    client = Client(enforce_csrf_checks=True)
    post(client, "/session", {"card": accounts.world.ada.card, "pin": ADA_PIN})
    response = post(client, f"/loans/{accounts.ada_loan.pk}/renew")
    assert response.status_code == 403
    assert Loan.objects.get(pk=accounts.ada_loan.pk).renewals == 0
    client.get("/account/")  # sets the csrftoken cookie
    token = client.cookies["csrftoken"].value
    response = post(client, f"/loans/{accounts.ada_loan.pk}/renew", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200 and response.json()["renewals"] == 1


def test_it_lists_loans_and_renews(accounts, ada):
    loans = ada.get(API + "/loans").json()
    assert loans[0]["title"] == "Dune" and loans[0]["renewals"] == 0
    response = post(ada, f"/loans/{accounts.ada_loan.pk}/renew")
    assert response.status_code == 200 and "renewed until" in response.json()["message"]


def test_a_refused_renewal_is_409_with_the_reason(accounts, ada):
    Loan.objects.filter(pk=accounts.ada_loan.pk).update(renewals=2)
    response = post(ada, f"/loans/{accounts.ada_loan.pk}/renew")
    assert response.status_code == 409
    assert response.json()["code"] == "no_renewals_left"


def test_it_lists_holds_with_queue_positions(accounts, ada):
    holds = ada.get(API + "/holds").json()
    assert holds == [
        {
            **holds[0],
            "hold_id": accounts.ada_hold.pk,
            "title": "Piranesi",
            "state": "waiting",
            "pickup_branch": "RIV-MAIN",
            "queue_position": 1,
            "queue_waiting": 1,
        }
    ]


def test_it_places_a_hold_at_the_preferred_branch_by_default(accounts, ben):
    ben.post(f"{API}/holds/{accounts.ben_hold.pk}/cancel", content_type="application/json")
    response = post(ben, "/holds", {"title_id": accounts.world.dune.pk})
    assert response.status_code == 201, response.content
    assert response.json()["pickup_branch"] == "PINE"


def test_placing_a_second_hold_on_a_title_is_409(accounts, ada):
    title_id = accounts.ada_hold.title_id
    response = post(ada, "/holds", {"title_id": title_id, "pickup_branch": "ELK"})
    assert response.status_code == 409 and response.json()["code"] == "duplicate_hold"
    assert Hold.objects.filter(patron=accounts.world.ada).count() == 1


def test_an_unknown_title_or_branch_is_refused(accounts, ada):
    assert post(ada, "/holds", {"title_id": 999999}).status_code == 404
    response = post(ada, "/holds", {"title_id": accounts.world.dune.pk, "pickup_branch": "NOPE"})
    assert response.status_code == 422 and response.json()["code"] == "unknown_branch"


def test_it_suspends_changes_pickup_and_cancels(accounts, ada):
    hold = accounts.ada_hold.pk
    until = (dt.date.today() + dt.timedelta(days=9)).isoformat()
    response = post(ada, f"/holds/{hold}/suspend", {"until": until})
    assert response.status_code == 200 and response.json()["suspended_until"] == until
    assert post(ada, f"/holds/{hold}/resume").json()["suspended_until"] is None
    response = post(ada, f"/holds/{hold}/pickup", {"pickup_branch": "riv-east"})
    assert response.json()["pickup_branch"] == "RIV-EAST"
    response = post(ada, f"/holds/{hold}/cancel")
    assert response.status_code == 200 and response.json()["state"] == "cancelled"
    assert post(ada, f"/holds/{hold}/cancel").status_code == 404  # no longer open


def test_a_suspend_date_out_of_range_is_409_and_changes_nothing(accounts, ada):
    response = post(ada, f"/holds/{accounts.ada_hold.pk}/suspend", {"until": "2001-01-01"})
    assert response.status_code == 409 and response.json()["code"] == "bad_date"
    assert Hold.objects.get(pk=accounts.ada_hold.pk).suspended_until is None


def test_it_opts_in_to_loan_history(accounts, ada):
    response = ada.put(
        API + "/loan-history", json.dumps({"keep": True}), content_type="application/json"
    )
    assert response.json()["keep_loan_history"] is True
