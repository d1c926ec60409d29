"""Generated requests for the holds endpoints: no input makes them answer with a 5xx, and
runs of real requests mixed with desk scans keep holds and copies consistent.

The first test sends the OpenAPI document's holds endpoints valid and invalid input
(schemathesis); the second sends random sequences of real cards, barcodes, branches and
hold ids through the API and the checkin and checkout scans, and after every step checks
that each open hold's copy is where its state says.
"""

from __future__ import annotations

import datetime as dt

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.db import transaction
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error

from onelibrary.catalog.models import Item
from onelibrary.holds.models import Hold
from onelibrary.members import tokens
from tests.holds.conftest import Api

QUICK = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())


@pytest.fixture
def auth(hw, requests_share_the_test_connection):
    return {"Authorization": f"Bearer {tokens.issue_token(hw.admin_riv, name='t').key}"}


@schema.include(tag="holds").parametrize()
@QUICK
def test_it_never_answers_a_server_error_on_holds(case, auth):
    response = case.call(headers=auth)
    case.validate_response(response, checks=[not_a_server_error])


ITEMS = st.sampled_from(["31000000000011", "32000000000019"])
CARDS = st.sampled_from(["29000000000017", "29000000000025"])
BRANCHES = st.sampled_from(["RIV-MAIN", "RIV-EAST", "PINE", "ELK"])
HOLD = st.integers(0, 3)
STEP = st.one_of(
    st.tuples(st.just("place"), CARDS, BRANCHES, st.booleans(), ITEMS),
    st.tuples(st.sampled_from(["cancel", "suspend", "resume"]), HOLD),
    st.tuples(st.just("checkin"), BRANCHES, ITEMS),
    st.tuples(st.just("checkout"), BRANCHES, CARDS, ITEMS),
    st.tuples(st.just("pick"), BRANCHES),
)


def send(api: Api, hw, step):
    kind = step[0]
    if kind == "place":
        _, card, branch, on_copy, barcode = step
        what = {"item_barcode": barcode} if on_copy else {"title_id": hw.dune.pk}
        return api.post("/holds/", {"patron_card": card, "pickup_branch": branch, **what})
    if kind in ("cancel", "suspend", "resume"):
        ids = list(Hold.objects.order_by("pk").values_list("pk", flat=True))
        hold_id = ids[step[1]] if step[1] < len(ids) else 10**6
        until = (timezone.localdate() + dt.timedelta(days=2)).isoformat()
        return api.post(f"/holds/{hold_id}/{kind}", {"until": until} if kind == "suspend" else {})
    if kind == "checkin":
        return api.post("/circulation/checkins", {"branch": step[1], "item_barcode": step[2]})
    if kind == "checkout":
        _, branch, card, barcode = step
        body = {"branch": branch, "patron_card": card, "item_barcode": barcode}
        return api.post("/circulation/checkouts", body)
    return api.get(f"/holds/branches/{step[1]}/pick-list")


EXPECTED = {
    Hold.State.ROUTED: Item.Status.AVAILABLE,
    Hold.State.IN_TRANSIT: Item.Status.IN_TRANSIT,
    Hold.State.ON_SHELF: Item.Status.ON_HOLD_SHELF,
}


def check_consistent() -> None:
    for hold in Hold.objects.filter(state__in=EXPECTED).select_related("assigned_item"):
        item = hold.assigned_item
        assert item is not None, hold
        assert item.status == EXPECTED[hold.state], (hold.state, item.status)
        if hold.state == Hold.State.ON_SHELF:
            assert item.current_branch_id == hold.pickup_branch_id
    for hold in Hold.objects.filter(state=Hold.State.WAITING):
        assert hold.assigned_item_id is None


@given(steps=st.lists(STEP, max_size=10))
@QUICK
def test_it_keeps_holds_and_copies_consistent_through_a_run_of_requests(hw, steps):
    with transaction.atomic():
        api = Api(Client(), tokens.issue_token(hw.central, name="run").key)
        for step in steps:
            response = send(api, hw, step)
            assert response.status_code < 500, (step, response.content)
            check_consistent()
        transaction.set_rollback(True)
