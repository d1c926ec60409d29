"""GET /api/v1/catalog/search: the public search with facets as JSON (catalog/api.py)."""

from __future__ import annotations

import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from onelibrary.catalog.models import Item
from onelibrary.catalog.search import index_titles
from tests.api.conftest import api_for

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())


def test_it_answers_hits_totals_and_facets(world):
    index_titles([world.dune.pk])
    world.dune_pine.status = Item.Status.CHECKED_OUT
    world.dune_pine.save()
    api = api_for(world.desk_pine)
    body = api.get("/catalog/search", q="dune").json()
    assert (body["total"], body["capped"], body["pages"]) == (1, False, 1)
    assert body["hits"][0] | {"title_id": 0} == {
        "title_id": 0,
        "title": "Dune",
        "author": "Herbert, Frank",
        "year": 1965,
        "format": "book",
        "copies": 2,
        "available_copies": 1,
    }
    assert body["facets"]["format"] == [{"value": "book", "label": "Book", "count": 1}]
    assert body["facets"]["decade"] == [{"value": "1960", "label": "1960s", "count": 1}]
    assert {v["value"] for v in body["facets"]["library"]} == {"RIV", "PINE"}
    assert body["facets"]["available"] == 1
    narrowed = api.get("/catalog/search", q="dune", library="PINE", available="true").json()
    assert narrowed["total"] == 0


def test_it_refuses_unknown_facet_values_with_the_one_error_body(world):
    api = api_for(world.desk_pine)
    for params in (
        {"q": "dune", "format": "scroll"},
        {"q": "dune", "library": "NOPE"},
        {"q": "dune", "decade": "1995"},
        {"q": "dune", "page": "0"},
        {"q": ""},
    ):
        response = api.get("/catalog/search", **params)
        assert response.status_code == 422, params
        assert response.json()["code"] == "invalid_input"


def test_it_needs_a_staff_token(world):
    from django.test import Client

    assert Client().get("/api/v1/catalog/search", {"q": "dune"}).status_code == 401


@schema.include(path="/api/v1/catalog/search").parametrize()
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_it_never_answers_a_server_error(case, world, requests_share_the_test_connection):
    index_titles([world.dune.pk])
    response = case.call(headers={"Authorization": f"Bearer {api_for(world.central).key}"})
    case.validate_response(response, checks=[not_a_server_error])
