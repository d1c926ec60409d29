"""Generated requests: no input makes the courier endpoints answer with a 5xx."""

from __future__ import annotations

import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from onelibrary.members import tokens

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())


@schema.include(tag="courier").parametrize()
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_it_never_answers_a_server_error_on_courier(
    case, world, courier, requests_share_the_test_connection
):
    key = tokens.issue_token(world.desk_pine, name="generated").key
    response = case.call(headers={"Authorization": f"Bearer {key}"})
    case.validate_response(response, checks=[not_a_server_error])
