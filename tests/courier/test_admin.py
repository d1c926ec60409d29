"""The courier admin: staff look, the central office changes through the actions."""

from __future__ import annotations

from onelibrary.courier.models import CourierEvent, Route
from tests.courier.conftest import logged_in


def admin_form(courier, **changes) -> dict:
    form = {
        "code": "WEST",
        "name": "West loop",
        "days": ["0", "1", "2", "3", "4"],
        "hubs": [courier.mid.pk],
        "is_active": "on",
        "notes": "",
        "stops-TOTAL_FORMS": "2",
        "stops-INITIAL_FORMS": "0",
        "stops-MIN_NUM_FORMS": "0",
        "stops-MAX_NUM_FORMS": "1000",
        "stops-0-position": "1",
        "stops-0-branch": str(changes.pop("first_branch")),
        "stops-0-days": ["0", "2"],
        "stops-1-position": "2",
        "stops-1-branch": str(changes.pop("second_branch")),
        "stops-1-days": changes.pop("second_days", ["1"]),
    }
    form.update(changes)
    return form


def test_staff_see_routes_in_the_admin_but_cannot_change_them(world, courier):
    client = logged_in(world.desk_riv)
    world.desk_riv.is_staff = True
    world.desk_riv.save()
    assert client.get("/admin/courier/route/").status_code == 200
    response = client.post(
        "/admin/courier/route/add/",
        admin_form(
            courier, code="NEW", first_branch=world.elk_main.pk, second_branch=world.pine_main.pk
        ),
    )
    assert response.status_code == 403
    assert not Route.objects.filter(code="NEW").exists()


def test_the_central_office_adds_a_route_in_the_admin_through_the_action(world, courier):
    world.central.is_staff = True
    world.central.save()
    client = logged_in(world.central)
    response = client.post(
        "/admin/courier/route/add/",
        admin_form(
            courier,
            code="north",
            name="North",
            first_branch=world.elk_main.pk,
            second_branch=world.pine_main.pk,
        ),
    )
    assert response.status_code == 302
    route = Route.objects.get(code="NORTH")
    assert list(route.stops.values_list("position", "branch__code", "days")) == [
        (1, "ELK", "1010000"),
        (2, "PINE", "0100000"),
    ]
    assert CourierEvent.objects.filter(
        subject="NORTH", kind="route_added", staff=world.central
    ).exists()


def test_the_admin_shows_the_same_problems_as_the_pages(world, courier):
    world.central.is_staff = True
    world.central.save()
    client = logged_in(world.central)
    page = client.post(
        "/admin/courier/route/add/",
        admin_form(
            courier,
            code="NORTH",
            name="North",
            first_branch=world.elk_main.pk,
            second_branch=world.elk_main.pk,
            second_days=["5"],
        ),
    ).content.decode()
    assert "ELK is on the route twice (stops 1 and 2)" in page
    assert not Route.objects.filter(code="NORTH").exists()


def test_the_admin_change_pages_open(world, courier):
    world.central.is_staff = True
    world.central.save()
    client = logged_in(world.central)
    page = client.get(f"/admin/courier/route/{courier.west.pk}/change/").content.decode()
    assert "RIV-MAIN" in page or "Riverton Main" in page
    assert client.get(f"/admin/courier/hub/{courier.mid.pk}/change/").status_code == 200
    deleting = client.get(f"/admin/courier/hub/{courier.mid.pk}/delete/").content.decode()
    assert "Route EAST meets at hub MID: take it off first" in deleting
