"""Stateful generated requests: schemathesis follows links from one answer to the next
request, so runs such as place a hold → cancel it → cancel it again, or check out → check
in → check in again, are tried with real ids. No step may answer a 5xx, and every 4xx has
the API's one error body (apiauth.ErrorOut).

The OpenAPI document has no links of its own: AREAS adds them to a copy here. The card,
barcode, branch and title fields of the request bodies are narrowed to the test world's
values, so that runs reach real holds, loans and crates instead of stopping at a 404.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error

from onelibrary.api import api
from onelibrary.apiauth import ErrorOut
from onelibrary.members import tokens
from tests.account.conftest import ADA_PIN, accounts, hw, pins  # noqa: F401  (fixtures)

# 25 runs of up to 6 steps a part, about 100 requests: bounded so the suite stays quick.
STATEFUL = settings(
    max_examples=25,
    stateful_step_count=6,
    deadline=None,
    phases=[Phase.generate],
    suppress_health_check=list(HealthCheck),
)

HOLD = {"hold_id": "$response.body#/hold_id"}
SAME_HOLD = {"hold_id": "$request.path.hold_id"}
CRATE = {"label": "$response.body#/label"}
SAME_CRATE = {"label": "$request.path.label"}
RETURNED = {"item_barcode": "$response.body#/item_barcode"}
SAME_ITEM = {"item_barcode": "$request.body#/item_barcode"}
FIRST_HOLD = {"hold_id": "$response.body#/0/hold_id"}
NEW_LOAN = {"loan_id": "$response.body#/loan_id"}
FIRST_LOAN = {"loan_id": "$response.body#/0/loan_id"}
SAME_LOAN = {"loan_id": "$request.path.loan_id"}
NEW_CARD = {"card": "$response.body#/card"}
SAME_CARD = {"card": "$request.path.card"}
DESK = "circulation_api_"
MINE = "account_api_"
PATRONS = "patrons_api_"
Link = tuple[str, str, str, dict[str, str], dict[str, str] | None]
# Per part of the API, its links: (source, status, target, parameters, body), operation
# ids without "onelibrary_". Each part is one test, so that runs stay among its operations.
AREAS: dict[str, list[Link]] = {
    # Place a hold, then cancel, suspend or resume it; and each again.
    "staff holds": [
        *[("holds_api_place", "201", f"holds_api_{t}", HOLD, None) for t in ("cancel", "suspend")],
        ("holds_api_place", "201", "holds_api_explanation", HOLD, None),
        *[
            (f"holds_api_{s}", "200", f"holds_api_{t}", SAME_HOLD, None)
            for s in ("cancel", "suspend", "resume")
            for t in ("cancel", "suspend", "resume")
        ],
    ],
    # Check out, then check in or renew; check in again, check out again.
    "desk": [
        *[
            (DESK + source, status, DESK + target, params, body)
            for status in ("200", "201")
            for source, target, params, body in [
                ("checkout", "checkin", {}, RETURNED),
                ("checkout", "renew", NEW_LOAN, None),
            ]
        ],
        (DESK + "renew", "200", DESK + "renew", SAME_LOAN, None),
        (DESK + "renew", "200", DESK + "checkin", {}, RETURNED),
        (DESK + "checkin", "200", DESK + "checkin", {}, SAME_ITEM),
        (DESK + "checkin", "200", DESK + "checkout", {}, SAME_ITEM),
    ],
    # The patron's own holds and loans: from the lists, or a hold just placed.
    "my account": [
        *[
            (MINE + source, status, MINE + t, hold, None)
            for source, status, hold in [("place", "201", HOLD), ("holds", "200", FIRST_HOLD)]
            for t in ("cancel", "suspend", "resume", "pickup")
        ],
        *[
            (MINE + s, "200", MINE + t, SAME_HOLD, None)
            for s in ("cancel", "suspend", "resume", "pickup")
            for t in ("cancel", "suspend", "resume")
        ],
        (MINE + "loans", "200", MINE + "renew", FIRST_LOAN, None),
        (MINE + "renew", "200", MINE + "renew", SAME_LOAN, None),
    ],
    # Open a crate, scan, close, ship, receive, unpack, reconcile; reopen; each again.
    "crates": [
        *[
            ("transit_api_open_crate", "201", f"transit_api_{t}", CRATE, None)
            for t in ("scan", "close", "get_crate")
        ],
        *[
            (f"transit_api_{s}", "200", f"transit_api_{t}", SAME_CRATE, None)
            for s, targets in {
                "scan": ("scan", "close"),
                "close": ("reopen", "ship", "close"),
                "reopen": ("scan", "close"),
                "ship": ("receive", "ship"),
                "receive": ("unpack", "reconcile"),
                "unpack": ("unpack", "reconcile"),
                "reconcile": ("reconcile",),
            }.items()
            for t in targets
        ],
    ],
    # Register a patron, then read and change the new record.
    "patrons": [
        (PATRONS + "register_patron", "201", PATRONS + "get_patron", NEW_CARD, None),
        (PATRONS + "register_patron", "201", PATRONS + "patch_patron", NEW_CARD, None),
        (PATRONS + "patch_patron", "200", PATRONS + "patch_patron", SAME_CARD, None),
    ],
}


def world_values(accounts) -> dict[str, dict[str, Any]]:  # noqa: F811
    """Request body fields narrowed to the world's values, and some that name nothing."""
    world = accounts.world
    items = [world.dune_riv.barcode, world.dune_pine.barcode, accounts.ben_loan.item.barcode]
    cards = [world.ada.card, world.ben.card]
    branches = [world.riv_main.code, world.riv_east.code, world.pine_main.code, "ELK", "NOWHERE"]
    titles = [world.dune.pk, accounts.ada_hold.title_id]
    return {
        "item_barcode": {"type": "string", "enum": [*items, "39999999999999"]},
        "barcode": {"type": "string", "enum": items},
        "patron_card": {"type": "string", "enum": cards},
        "branch": {"type": "string", "enum": branches},
        "pickup_branch": {"type": "string", "enum": branches},
        "destination": {"type": "string", "enum": branches},
        "preferred_branch": {"type": "string", "enum": branches},
        "library": {"type": "string", "enum": ["RIV", "PINE", "ELK"]},
        "title_id": {"type": "integer", "enum": titles},
        "first_name": {"type": "string", "enum": ["Cora", "Dev"]},
        "last_name": {"type": "string", "enum": ["Quinn", "Ortiz"]},
    }


# Fields left out of two bodies, so that most generated requests get past validation: a
# staff hold names a title (holds on one copy: tests/holds/test_api_generated.py), and a
# new patron has a name, a library and a branch (the other fields: tests/patrons/).
KEEP = {
    "PlaceIn": {"patron_card", "pickup_branch", "title_id"},
    "RegisterIn": {"first_name", "last_name", "library", "preferred_branch", "confirm_new"},
}


def linked_document(accounts, links: list[Link]) -> dict[str, Any]:  # noqa: F811
    """The API's OpenAPI document with `links` added and the bodies narrowed."""
    document = json.loads(json.dumps(api.get_openapi_schema()))
    operations = {
        op["operationId"].removeprefix("onelibrary_"): op
        for methods in document["paths"].values()
        for op in methods.values()
    }
    for source, status, target, parameters, body in links:
        link: dict[str, Any] = {"operationId": operations[target]["operationId"]}
        if parameters:
            link["parameters"] = parameters
        if body:
            link["requestBody"] = body
        named = operations[source]["responses"][status].setdefault("links", {})
        named[f"{target}_{len(named)}"] = link
    schemas = document["components"]["schemas"]
    for name, keep in KEEP.items():
        schemas[name]["properties"] = {
            field: value for field, value in schemas[name]["properties"].items() if field in keep
        }
    values = world_values(accounts)
    bodies = {
        name
        for op in operations.values()
        for name in re.findall(r"#/components/schemas/(\w+)", json.dumps(op.get("requestBody")))
    }
    for name in bodies:
        properties = schemas[name].get("properties", {})
        for field in properties.keys() & values.keys():
            properties[field] = values[field]
    return document


@pytest.fixture
def callers(accounts, request):  # noqa: F811
    """What every generated request carries: a central-office token for the staff
    endpoints, and Ada's session cookie with its CSRF token for her own."""
    client = Client()
    response = client.post(
        "/api/v1/account/session",
        json.dumps({"card": accounts.world.ada.card, "pin": ADA_PIN}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    # After the test client, which reconnects the signal the fixture disconnects.
    request.getfixturevalue("requests_share_the_test_connection")
    key = tokens.issue_token(accounts.world.central, name="stateful").key
    csrf = "a" * 32  # any 32 characters: the cookie and the header only have to agree
    return {
        "headers": {"Authorization": f"Bearer {key}", "X-CSRFToken": csrf},
        "cookies": {"sessionid": client.cookies["sessionid"].value, "csrftoken": csrf},
    }


def state_machine(
    document: dict[str, Any], links: list[Link], call_kwargs: dict[str, Any], seen: Counter
):
    schema = schemathesis.openapi.from_dict(document)
    schema.app = WSGIHandler()
    # Only the operations the links join: the stateless tests cover the others.
    linked = {f"onelibrary_{name}" for link in links for name in (link[0], link[2])}
    schema = schema.include(operation_id=sorted(linked))

    class Run(schema.as_state_machine()):  # type: ignore[misc]
        """One generated run, in a savepoint rolled back at its end: each run starts from
        the same world."""

        def setup(self) -> None:
            self.savepoint = transaction.atomic()
            self.savepoint.__enter__()

        def teardown(self) -> None:
            transaction.set_rollback(True)
            self.savepoint.__exit__(None, None, None)

        def get_call_kwargs(self, case) -> dict[str, Any]:
            return call_kwargs

        def step(self, input):
            output = super().step(input)
            linked = "linked" if input.transition is not None else "first"
            seen[(linked, output.case.operation.label, output.response.status_code)] += 1
            return output

        def validate_response(self, response, case, additional_checks=None, **kwargs) -> None:
            case.validate_response(response, checks=[not_a_server_error])
            if 400 <= response.status_code < 500:
                error = ErrorOut.model_validate_json(response.content)
                assert error.code and error.message, response.content

    return Run


@pytest.mark.parametrize("area", sorted(AREAS))
def test_it_follows_links_without_a_server_error(accounts, callers, area):  # noqa: F811
    seen: Counter = Counter()
    links = AREAS[area]
    state_machine(linked_document(accounts, links), links, callers, seen).run(settings=STATEFUL)
    # Not a vacuous run: some request made from an earlier answer was done.
    linked_and_done = [key for key in seen if key[0] == "linked" and key[2] < 300]
    assert linked_and_done, sorted(seen.items())
