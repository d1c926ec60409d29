"""GET /api/v1/courier/routes, /routes/{code} and /expected-days."""

from __future__ import annotations

from onelibrary.courier.distance import estimated_days
from onelibrary.members.models import Branch


def test_it_lists_the_routes(world, courier, api):
    response = api.get("/courier/routes")
    assert response.status_code == 200
    assert [(r["code"], r["hubs"], r["stop_count"]) for r in response.json()] == [
        ("EAST", ["MID"], 1),
        ("WEST", ["MID"], 2),
    ]


def test_it_gives_one_route_with_its_stops(world, courier, api):
    body = api.get("/courier/routes/west").json()
    assert body["weekdays"] == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    assert [(s["position"], s["branch"], s["weekdays"]) for s in body["stops"]] == [
        (1, "RIV-MAIN", ["Mon", "Wed", "Fri"]),
        (2, "RIV-EAST", ["Tue", "Thu"]),
    ]
    missing = api.get("/courier/routes/NOPE")
    assert (missing.status_code, missing.json()["code"]) == (404, "unknown_route")


def test_it_answers_expected_days_with_the_legs(world, courier, api):
    response = api.get(
        "/courier/expected-days", **{"from": "RIV-MAIN", "to": "PINE", "on": "2030-01-07"}
    )
    body = response.json()
    assert response.status_code == 200
    assert (body["days"], body["arrival"], body["reachable"]) == (3, "2030-01-10", True)
    assert (body["source"], body["rule"], body["scheduled_days"]) == ("schedule", "DAYS-2", 3)
    assert [
        (leg["kind"], leg["origin"], leg["destination"], leg["route"]) for leg in body["legs"]
    ] == [
        ("pickup", "RIV-MAIN", "hub MID", "WEST"),
        ("transfer", "hub MID", "hub MID", ""),
        ("delivery", "hub MID", "PINE", "EAST"),
    ]


def test_a_pair_off_the_routes_is_estimated_from_the_distance(world, courier, api):
    body = api.get(
        "/courier/expected-days", **{"from": "ELK", "to": "PINE", "on": "2030-01-07"}
    ).json()
    days = estimated_days(world.elk_main, world.pine_main)
    assert days is not None
    assert (body["reachable"], body["days"], body["source"], body["rule"]) == (
        True,
        days,
        "estimate",
        "DAYS-4",
    )
    assert (body["scheduled_days"], body["problem"]) == (
        None,
        "ELK is not a stop on any courier route.",
    )


def test_no_route_is_an_answer_not_an_error(world, courier, api):
    Branch.objects.filter(pk=world.elk_main.pk).update(latitude=None, longitude=None)
    body = api.get("/courier/expected-days", **{"from": "ELK", "to": "PINE"}).json()
    assert (body["reachable"], body["days"], body["arrival"], body["legs"]) == (
        False,
        None,
        None,
        [],
    )
    assert (body["source"], body["rule"]) == ("no route", "DAYS-5")
    assert body["problem"] == "ELK is not a stop on any courier route."


def test_it_refuses_bad_codes_and_dates(world, courier, api):
    unknown = api.get("/courier/expected-days", **{"from": "NOWHERE", "to": "PINE"})
    assert (unknown.status_code, unknown.json()["code"]) == (404, "unknown_branch")
    bad = api.get("/courier/expected-days", **{"from": "ELK", "to": "PINE", "on": "2030-02-30"})
    assert (bad.status_code, bad.json()["code"]) == (422, "invalid_date")
    far = api.get("/courier/expected-days", **{"from": "ELK", "to": "PINE", "on": "9999-12-31"})
    assert (far.status_code, far.json()["code"]) == (422, "invalid_date")
    missing = api.get("/courier/expected-days", to="PINE")
    assert (missing.status_code, missing.json()["code"]) == (422, "invalid_input")


def test_it_needs_a_token(world, courier, client):
    assert client.get("/api/v1/courier/routes").status_code == 401
