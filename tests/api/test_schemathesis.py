"""Generated requests: no input makes the circulation endpoints answer with a 5xx.

Schemathesis reads the OpenAPI document the API serves (/api/v1/openapi.json) and sends
the circulation endpoints valid and invalid input with a working staff token. Random
strings rarely name a real item, so a second test runs random sequences of real
barcodes, cards and branches through the same endpoints to reach the loan states too.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error

from onelibrary.circulation.models import Loan
from tests.api.conftest import api_for

QUICK = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())


@pytest.fixture
def auth(world, rules, requests_share_the_test_connection):
    return {"Authorization": f"Bearer {api_for(world.admin_riv).key}"}


@schema.include(tag="circulation").parametrize()
@QUICK
def test_it_never_answers_a_server_error_on_circulation(case, auth):
    response = case.call(headers=auth)
    case.validate_response(response, checks=[not_a_server_error])


ITEMS = st.sampled_from(["31000000000011", "32000000000019"])
CARDS = st.sampled_from(["29000000000017", "29000000000025"])
ODD = st.sampled_from(["", " 31000000000011 ", "31999999999999", "29000000000017"])
BRANCHES = st.sampled_from(["RIV-MAIN", "RIV-EAST", "PINE", "riv-main", "NOWHERE"])
REASONS = st.sampled_from(["", "  ", "patron paid at the desk"])
STEP = st.one_of(
    st.tuples(st.just("checkout"), BRANCHES, CARDS | ODD, ITEMS | ODD, REASONS),
    st.tuples(st.just("checkin"), BRANCHES, ITEMS | ODD),
    st.tuples(st.just("renew"), BRANCHES, st.integers(-1, 2), REASONS),
)


def send(api, step):
    if step[0] == "checkout":
        _, branch, card, item, reason = step
        return api.post(
            "/circulation/checkouts",
            {
                "branch": branch,
                "patron_card": card,
                "item_barcode": item,
                "override_reason": reason,
            },
        )
    if step[0] == "checkin":
        return api.post("/circulation/checkins", {"branch": step[1], "item_barcode": step[2]})
    _, branch, nth, reason = step
    loans = list(Loan.objects.order_by("pk").values_list("pk", flat=True))
    loan_id = loans[nth] if 0 <= nth < len(loans) else 10**6
    return api.post(
        f"/circulation/loans/{loan_id}/renewals", {"branch": branch, "override_reason": reason}
    )


@given(
    staff=st.sampled_from(["central", "admin_riv", "desk_riv"]), steps=st.lists(STEP, max_size=8)
)
@QUICK
def test_it_never_answers_a_server_error_to_a_run_of_real_scans(world, rules, staff, steps):
    with transaction.atomic():
        api = api_for(getattr(world, staff))
        for step in steps:
            response = send(api, step)
            assert response.status_code < 500, (step, response.content)
            assert {"message"} <= set(response.json()), (step, response.json())
        transaction.set_rollback(True)
