"""Generated requests for the transit endpoints: no input gives a 5xx, and random runs of
checkins, checkouts and crate steps keep every item's status and its transit in step."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error

from onelibrary.catalog.models import Item
from onelibrary.members import tokens
from onelibrary.transit.models import Crate, Transit
from tests.holds.conftest import Api

QUICK = settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())


@pytest.fixture
def auth(tw, requests_share_the_test_connection):
    return {"Authorization": f"Bearer {tokens.issue_token(tw.central, name='t').key}"}


@schema.include(tag="transit").parametrize()
@QUICK
def test_it_never_answers_a_server_error_on_transit(case, auth):
    response = case.call(headers=auth)
    case.validate_response(response, checks=[not_a_server_error])


ITEMS = st.sampled_from(["31000000000011", "32000000000019", "31000000000029"])
BRANCHES = st.sampled_from(["RIV-MAIN", "RIV-EAST", "PINE", "ELK"])
CRATE = st.integers(0, 2)
STEP = st.one_of(
    st.tuples(st.just("checkin"), BRANCHES, ITEMS),
    st.tuples(st.just("checkout"), BRANCHES, ITEMS),
    st.tuples(st.just("open"), BRANCHES, BRANCHES),
    st.tuples(st.sampled_from(["scan", "unpack"]), CRATE, BRANCHES, ITEMS),
    st.tuples(
        st.sampled_from(["close", "ship", "receive", "reconcile", "reopen"]), CRATE, BRANCHES
    ),
)


def send(api: Api, step: tuple):
    kind = step[0]
    if kind == "checkin":
        return api.post("/circulation/checkins", {"branch": step[1], "item_barcode": step[2]})
    if kind == "checkout":
        body = {"branch": step[1], "patron_card": "29000000000017", "item_barcode": step[2]}
        return api.post("/circulation/checkouts", body)
    if kind == "open":
        return api.post("/transit/crates", {"branch": step[1], "destination": step[2]})
    labels = list(Crate.objects.order_by("pk").values_list("label", flat=True))
    label = labels[step[1]] if step[1] < len(labels) else "CRATE-999999"
    if kind in ("scan", "unpack"):
        return api.post(f"/transit/crates/{label}/{kind}", {"branch": step[2], "barcode": step[3]})
    return api.post(f"/transit/crates/{label}/{kind}", {"branch": step[2]})


def consistent() -> None:
    for item in Item.objects.all():
        open_transits = Transit.objects.filter(
            item=item, state__in=("waiting", "packed", "shipped")
        )
        assert open_transits.count() <= 1
        travelling = item.status == Item.Status.IN_TRANSIT
        assert travelling == open_transits.exists(), (item.barcode, item.status)
        for transit in open_transits:
            assert (transit.state == "packed") == (
                transit.crate_id is not None and transit.crate.state in ("open", "closed")
            )


@given(steps=st.lists(STEP, max_size=10))
@QUICK
def test_it_keeps_items_and_transits_in_step(tw, steps):
    from .conftest import copy_of

    api = Api(Client(), tokens.issue_token(tw.central, name="t").key)
    with transaction.atomic():
        copy_of(tw, "31000000000029", at=tw.pine_main, home=tw.riv_main)
        for step in steps:
            response = send(api, step)
            assert response.status_code < 500, (step, response.content)
            consistent()
        transaction.set_rollback(True)
