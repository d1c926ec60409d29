"""Generated requests: no input makes the patron endpoints answer with a 5xx, and no
answer to Pine Creek's desk carries a field the table hides from it."""

from __future__ import annotations

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from onelibrary.members import tokens
from onelibrary.patrons.models import Patron

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())


@pytest.fixture
def auth(world, full_ada):
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield {"Authorization": f"Bearer {tokens.issue_token(world.desk_pine, name='t').key}"}
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@schema.include(tag="patrons").parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_it_never_answers_a_server_error_or_a_hidden_field(case, auth):
    response = case.call(headers=auth)
    case.validate_response(response, checks=[not_a_server_error])
    assert "1980-05-17" not in response.text and "large print" not in response.text


@schema.include(tag="patrons", path_regex="{card}").parametrize()
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_it_never_fails_on_a_real_card_nor_changes_it_partly(case, auth, full_ada):
    case.path_parameters = {**(case.path_parameters or {}), "card": full_ada.card}
    before = list(Patron.objects.filter(pk=full_ada.pk).values())
    response = case.call(headers=auth)
    case.validate_response(response, checks=[not_a_server_error])
    assert "1980-05-17" not in response.text and "large print" not in response.text
    if response.status_code != 200:
        assert list(Patron.objects.filter(pk=full_ada.pk).values()) == before
