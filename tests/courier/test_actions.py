"""Changing routes and hubs: the central office only, validated, logged; a refusal
changes nothing."""

from __future__ import annotations

import pytest

from onelibrary.courier import actions
from onelibrary.courier.models import CourierEvent, Hub, Route, Stop


def stops(*pairs: tuple[str, str]) -> list[actions.StopInput]:
    return [actions.StopInput(code, days) for code, days in pairs]


def test_it_saves_a_route_with_its_stops_in_order_and_logs_it(world, courier):
    west = Route.objects.get(code="WEST")
    assert list(west.stops.values_list("position", "branch__code", "days")) == [
        (1, "RIV-MAIN", "1010100"),
        (2, "RIV-EAST", "0101000"),
    ]
    assert list(west.hubs.values_list("code", flat=True)) == ["MID"]
    event = CourierEvent.objects.filter(subject="WEST").get()
    assert (event.kind, event.staff, event.detail["after"]["stops"][0]) == (
        "route_added",
        world.central,
        ["RIV-MAIN", "1010100"],
    )


def test_it_replaces_the_stops_when_a_route_changes(world, courier):
    actions.save_route(
        world.central,
        courier.west,
        code="west",
        name="West loop",
        days="1111100",
        hubs=[],
        stops=stops(("riv-east", "1000000"), ("ELK", "0010000")),
    )
    assert list(
        Stop.objects.filter(route=courier.west).values_list("branch__code", "position")
    ) == [
        ("RIV-EAST", 1),
        ("ELK", 2),
    ]
    changed = CourierEvent.objects.filter(subject="WEST", kind="route_changed").get()
    assert changed.detail["before"]["hubs"] == ["MID"] and changed.detail["after"]["hubs"] == []


@pytest.mark.parametrize(
    ("kwargs", "sentence"),
    [
        ({"stops": stops(("PINE", "0000000"))}, "Stop 1 (PINE): tick at least one weekday"),
        (
            {"stops": stops(("PINE", "0100000"), ("ELK", "1000000"), ("PINE", "0001000"))},
            "PINE is on the route twice (stops 1 and 3)",
        ),
        ({"stops": stops(("NOWHERE", "1000000"))}, "no branch has the code NOWHERE"),
        ({"stops": stops(("PINE", "0000010"))}, "is called on Sat, but the van runs on Mon"),
        ({"days": "0000000"}, "Tick at least one weekday on which the van runs."),
        ({"stops": []}, "Add at least one stop"),
        ({"code": "WEST"}, "Another route already has the code WEST"),
        ({"code": "no spaces"}, "Give the route a code"),
        ({"name": " "}, "Give the route a name"),
    ],
)
def test_it_refuses_a_bad_route_and_changes_nothing(world, courier, kwargs, sentence):
    values = {
        "code": "NORTH",
        "name": "North loop",
        "days": "1111100",
        "hubs": [],
        "stops": stops(("ELK", "1000000")),
        **kwargs,
    }
    before = (Route.objects.count(), Stop.objects.count(), CourierEvent.objects.count())
    with pytest.raises(actions.CourierError) as refused:
        actions.save_route(world.central, None, **values)
    assert any(sentence in p for p in refused.value.problems), refused.value.problems
    assert (Route.objects.count(), Stop.objects.count(), CourierEvent.objects.count()) == before


def test_it_refuses_staff_who_are_not_the_central_office(world, courier):
    with pytest.raises(actions.CourierError) as refused:
        actions.save_hub(world.admin_riv, None, code="X", name="X", transfer_days=1)
    assert refused.value.code == "not_central_office"
    with pytest.raises(actions.CourierError):
        actions.delete_route(world.desk_riv, courier.west)
    assert Route.objects.filter(code="WEST").exists() and not Hub.objects.filter(code="X").exists()


def test_it_refuses_to_remove_a_hub_that_routes_use(world, courier):
    with pytest.raises(actions.CourierError) as refused:
        actions.delete_hub(world.central, courier.mid)
    assert refused.value.message == (
        "Routes EAST, WEST meet at hub MID: take the hub off those routes first."
    )
    actions.delete_route(world.central, courier.west)
    actions.delete_route(world.central, courier.east)
    actions.delete_hub(world.central, Hub.objects.get(code="MID"))
    assert not Hub.objects.exists()
    assert list(CourierEvent.objects.order_by("pk").values_list("kind", flat=True))[-3:] == [
        "route_removed",
        "route_removed",
        "hub_removed",
    ]


def test_it_refuses_a_bad_transfer_day_count(world):
    with pytest.raises(actions.CourierError) as refused:
        actions.save_hub(world.central, None, code="HUB", name="Hub", transfer_days=30)
    assert "from 0 to 14" in refused.value.message
