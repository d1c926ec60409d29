"""Stateful generated requests: schemathesis follows links from one answer to the next
request, so runs such as place a hold → cancel it → cancel it again, or check out → check
in → check in again, are tried with real ids. No step may answer a 5xx, and every 4xx has
the API's one error body (apiauth.ErrorOut).

The OpenAPI document has no links of its own: AREAS adds them to a copy here. The card,
barcode, branch and title fields of the request bodies are narrowed to the test world's
values, and the requests are valid ones, so that runs reach real holds, loans and crates
instead of stopping at a 404 or a 422 (invalid input is the stateless tests' part). Each
part of the API is one test, starting from its STARTS.
"""

from __future__ import annotations

import itertools
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, Phase, settings
from hypothesis.errors import Flaky
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.generation.stateful.state_machine import normalize_name

from onelibrary.api import api
from onelibrary.apiauth import ErrorOut
from onelibrary.members import tokens
from tests.account.conftest import ADA_PIN, accounts, hw, pins  # noqa: F401  (fixtures)
from tests.holds.conftest import make_copy, make_title

# 25 runs of up to 6 steps a part, 20 to 160 requests, 2 to 3 s: bounded so the suite
# stays quick.
# Derandomized: the seed comes from the source of the `Run` class, not from the clock.
# That alone does not keep a run from dead-ending (see world_values): which values a run
# draws still follows the server's answers and the constants Hypothesis gathers from the
# modules loaded so far, which differ between xdist workers.
STATEFUL = settings(
    derandomize=True,
    database=None,
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
# A run starts at one of STARTS: a cancel with a random hold id is a 404 the stateless
# tests already try, and here it would spend the runs before any hold exists.
STARTS = {
    "staff holds": {"holds_api_place"},
    "desk": {DESK + "checkout", DESK + "checkin"},
    "my account": {MINE + "place", MINE + "holds", MINE + "loans"},
    "crates": {"transit_api_open_crate"},
    "patrons": {PATRONS + "register_patron"},
}
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
    """Request body fields narrowed to the world's values, and some that name nothing.

    Every hold placement these values make is placed (test_it_can_place_every_hold_a_run_
    can_start_with): two new titles with a copy on a shelf, which neither patron holds,
    for pickup at a branch of the world. A staff holds run starts with a placement, and
    one whose placements are all refused is a dead end: schemathesis calls a root that
    gave nothing at most twice, then no rule may run, Hypothesis stops ("no progress can
    be made"), cannot replay that run the same way and raises Flaky, and the test starts
    again on the same derandomized runs, which end at the same place. So a refused first
    run ended all three attempts: two refused placements and the replay's one, three
    times, the nine 409s of the flaky failure. The titles were Dune, Piranesi and Hild,
    and a pickup branch could be NOWHERE: Ben holds Dune and Ada Piranesi (409), and
    NOWHERE is no branch (404), so about half the placements were refused."""
    world = accounts.world
    hild = make_title("Hild")
    make_copy(world, hild, "33000000000018")
    wolf_hall = make_title("Wolf Hall")
    make_copy(world, wolf_hall, "33000000000026", world.riverton, world.riv_east)
    items = [world.dune_riv.barcode, world.dune_pine.barcode, accounts.ben_loan.item.barcode]
    cards = [world.ada.card, world.ben.card]
    pickups = [world.riv_main.code, world.riv_east.code, world.pine_main.code, "ELK"]
    branches = [*pickups, "NOWHERE"]
    elsewhere = [world.pine_main.code, world.riv_main.code]
    titles = [hild.pk, wolf_hall.pk]
    return {
        "item_barcode": {"type": "string", "enum": [*items, "39999999999999"]},
        "barcode": {"type": "string", "enum": items},
        "patron_card": {"type": "string", "enum": cards},
        "branch": {"type": "string", "enum": branches},
        "pickup_branch": {"type": "string", "enum": pickups},
        "destination": {"type": "string", "enum": elsewhere},
        "crate_branch": {"type": "string", "enum": [world.riv_east.code, "ELK"]},
        "preferred_branch": {"type": "string", "enum": branches},
        "library": {"type": "string", "enum": ["RIV", "PINE", "ELK"]},
        "title_id": {"type": "integer", "enum": titles},
        "first_name": {"type": "string", "enum": ["Cora", "Dev"]},
        "last_name": {"type": "string", "enum": ["Quinn", "Ortiz"]},
    }


# The only fields of three bodies, all required, so that most runs get past their first
# step: a staff hold names a title (holds on one copy: tests/holds/test_api_generated.py),
# a crate a destination branch, a new patron a name, a library and a branch (the other
# fields: tests/patrons/).
KEEP = {
    "PlaceIn": ["patron_card", "title_id", "pickup_branch"],
    "OpenIn": ["branch", "destination"],
    "RegisterIn": ["first_name", "last_name", "library", "preferred_branch"],
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
        properties = schemas[name]["properties"]
        schemas[name]["properties"] = {field: properties[field] for field in keep}
        schemas[name]["required"] = keep
    values = world_values(accounts)
    bodies = {
        name
        for op in operations.values()
        for name in re.findall(r"#/components/schemas/(\w+)", json.dumps(op.get("requestBody")))
    }
    for name in bodies:
        properties = schemas[name].get("properties", {})
        for key in properties.keys() & values.keys():
            properties[key] = values[key]
    # A crate opens at a branch of the world other than its destination: the crates runs
    # start there, and a refused start is a dead end (world_values).
    schemas["OpenIn"]["properties"]["branch"] = values["crate_branch"]
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


@dataclass
class Log:
    """What the runs did: (first or linked, operation, status) counted, and the failures."""

    seen: Counter = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)

    def linked_and_done(self) -> list[tuple[str, str, int]]:
        return [key for key in self.seen if key[0] == "linked" and key[2] < 300]


def state_machine(document: dict[str, Any], area: str, call_kwargs: dict[str, Any], log: Log):
    schema = schemathesis.openapi.from_dict(document)
    schema.app = WSGIHandler()
    # Valid requests only, with the token and the session from call_kwargs: invalid input
    # and bad tokens are the stateless tests' (test_schemathesis.py, test_bodies.py,
    # test_auth.py). Here a refused first step would end the run before any link.
    schema.config.generation.update(modes=[GenerationMode.POSITIVE], with_security_parameters=False)
    # Only the operations the links join: the stateless tests cover the others.
    linked = {f"onelibrary_{name}" for link in AREAS[area] for name in (link[0], link[2])}
    schema = schema.include(operation_id=sorted(linked))
    machine = schema.as_state_machine()
    labels = {
        op.ok().definition.raw["operationId"].removeprefix("onelibrary_"): op.ok().label
        for op in schema.get_all_operations()
    }
    starts = {normalize_name(f"RANDOM -> {labels[name]}") for name in STARTS[area]}
    # Hypothesis finds rules among the class's attributes: None hides one.
    hidden = {name: None for name in machine.root_rules - starts}

    class Run(machine):  # type: ignore[misc, valid-type]
        """One generated run, in a savepoint rolled back at its end: each run starts from
        the same world."""

        root_rules = machine.root_rules & starts
        locals().update(hidden)

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
            log.seen[(linked, output.case.operation.label, output.response.status_code)] += 1
            return output

        def validate_response(self, response, case, additional_checks=None, **kwargs) -> None:
            try:
                case.validate_response(response, checks=[not_a_server_error])
                if 400 <= response.status_code < 500:
                    error = ErrorOut.model_validate_json(response.content)
                    assert error.code and error.message
            except Exception:
                body = response.content[:300]
                log.failures.append(f"{case.operation.label} {response.status_code} {body!r}")
                raise

    return Run


# The first step of the runs whose first step creates what the links follow, with the
# address it posts to: every body the runs can draw for it must succeed (world_values).
FIRST_STEPS = {"PlaceIn": "/api/v1/holds/", "OpenIn": "/api/v1/transit/crates"}


@pytest.mark.parametrize("schema", sorted(FIRST_STEPS))
def test_every_first_step_a_run_can_draw_succeeds(accounts, callers, schema):  # noqa: F811
    """The staff holds runs start with a placement, the crates runs with a crate opened,
    drawn from world_values: each one the runs can draw succeeds, or a run could dead-end
    before any link (world_values)."""
    document = linked_document(accounts, [])
    fields = document["components"]["schemas"][schema]["properties"]
    refused = []
    for values in itertools.product(*(fields[name]["enum"] for name in KEEP[schema])):
        body = dict(zip(KEEP[schema], values, strict=True))
        with transaction.atomic():
            response = Client().post(
                FIRST_STEPS[schema],
                body,
                content_type="application/json",
                headers=callers["headers"],
            )
            transaction.set_rollback(True)
        if response.status_code != 201:
            refused.append(f"{body}: {response.status_code} {response.content[:200]!r}")
    assert not refused, refused


@pytest.mark.parametrize("area", sorted(AREAS))
def test_it_follows_links_without_a_server_error(accounts, callers, area):  # noqa: F811
    log = Log()
    document = linked_document(accounts, AREAS[area])
    for _ in range(3):
        try:
            state_machine(document, area, callers, log).run(settings=STATEFUL)
            break
        except Flaky:
            # The server's answers depend on what earlier steps did, so Hypothesis cannot
            # always replay a run step for step, and stops. Schemathesis's own runner
            # counts that as a pass unless a check failed, and so does this test; it
            # starts again, up to three times in all.
            assert not log.failures, log.failures
    assert not log.failures, log.failures
    # Not a vacuous run: some request made from an earlier answer was done.
    assert log.linked_and_done(), sorted(log.seen.items())
