"""Generated requests: no input makes the patron API answer with a 5xx, and nothing it
answers to Ada carries Ben's data."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.middleware.csrf import _get_new_csrf_string, _mask_cipher_secret
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from tests.account.conftest import ADA_PIN, logged_in

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())


@pytest.fixture
def session(accounts, request):
    client = logged_in(accounts.world.ada.card, ADA_PIN)
    # After the test client, which reconnects the signal the fixture disconnects.
    request.getfixturevalue("requests_share_the_test_connection")
    secret = _get_new_csrf_string()
    return {
        "cookies": {"sessionid": client.cookies["sessionid"].value, "csrftoken": secret},
        "headers": {"X-CSRFToken": _mask_cipher_secret(secret)},
    }


@schema.include(tag="account").exclude(path_regex="/session$").parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_it_never_answers_a_server_error_nor_with_another_patrons_data(case, session):
    response = case.call(**session)
    case.validate_response(response, checks=[not_a_server_error])
    assert response.status_code not in (401, 403), response.text  # the session works
    assert "Okafor" not in response.text and "32000000000027" not in response.text
