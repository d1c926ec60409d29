"""A form (multipart or urlencoded) body on the patron API is a 400 with the one error body,
never a 500: every endpoint that reads a body.

The client checks CSRF as a browser's request is checked: the check reads a form body
before the API does, which is what made the API's own read fail.
"""

from __future__ import annotations

import pytest
from django.test import Client

from onelibrary.holds.models import Hold
from tests.account.conftest import ADA_PIN

API = "/api/v1/account"
ERROR_KEYS = {"code", "message", "decision", "overridable", "detail"}


def endpoints(accounts) -> dict[str, tuple[str, dict[str, object]]]:
    hold = accounts.ada_hold.pk
    return {
        "place": (f"{API}/holds", {"title_id": accounts.world.dune.pk}),
        "suspend": (f"{API}/holds/{hold}/suspend", {"until": "2031-01-01"}),
        "pickup": (f"{API}/holds/{hold}/pickup", {"pickup_branch": "RIV-EAST"}),
    }


@pytest.mark.parametrize("name", ["place", "suspend", "pickup"])
@pytest.mark.parametrize("kind", ["multipart", "urlencoded"])
def test_a_form_body_is_a_400_with_the_error_body(accounts, name, kind):
    ada = Client(enforce_csrf_checks=True)
    login = {"card": accounts.world.ada.card, "pin": ADA_PIN}
    assert ada.post(f"{API}/session", login, content_type="application/json").status_code == 200
    ada.get("/account/")  # sets the csrftoken cookie
    token = ada.cookies["csrftoken"].value
    path, body = endpoints(accounts)[name]
    before = list(Hold.objects.order_by("pk").values())
    if kind == "multipart":  # the test client's default: multipart/form-data
        response = ada.post(path, body, HTTP_X_CSRFTOKEN=token)
    else:
        form = "&".join(f"{key}={value}" for key, value in body.items())
        response = ada.post(
            path, form, content_type="application/x-www-form-urlencoded", HTTP_X_CSRFTOKEN=token
        )

    assert response.status_code == 400, response.content
    answer = response.json()
    assert set(answer) == ERROR_KEYS
    assert answer["code"] == "not_json"
    assert "application/json" in answer["message"]
    assert list(Hold.objects.order_by("pk").values()) == before


def test_a_form_body_at_login_is_a_400_too(pins):
    login = {"card": pins.ada.card, "pin": ADA_PIN}
    response = Client(enforce_csrf_checks=True).post(f"{API}/session", login)
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "not_json"
