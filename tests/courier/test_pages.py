"""The courier pages: staff look, the central office edits; refusals change nothing."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from onelibrary.courier.models import Hub, Route
from onelibrary.members.models import Branch
from tests.courier.conftest import logged_in


def test_it_sends_an_anonymous_visitor_to_log_in(world, client):
    response = client.get("/courier/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_it_refuses_an_account_that_is_not_staff(world):
    client = logged_in(User.objects.create_user("reader", password="x" * 12))
    assert client.get("/courier/").status_code == 403


def test_it_lists_the_routes_hubs_and_unserved_branches(world, courier):
    page = logged_in(world.desk_pine).get("/courier/").content.decode()
    assert "West loop" in page and "East loop" in page and "Midway depot" in page
    assert "Branches on no route" in page and ">ELK<" in page
    assert "Add a route" not in page  # desk staff look only


def test_it_shows_a_routes_schedule_as_stops_by_weekdays(world, courier):
    response = logged_in(world.desk_riv).get("/courier/routes/WEST/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Riverton Main" in page and "Riverton Eastside" in page
    assert page.count("> called on Mon<") == 1  # RIV-MAIN on Monday only
    assert "> called on Tue<" in page and "not called on Sun" in page
    assert "No received transits picked up by this route yet." in page


def test_it_answers_404_for_an_unknown_route(world, courier):
    assert logged_in(world.desk_riv).get("/courier/routes/NOPE/").status_code == 404


def test_the_central_office_adds_a_route_through_the_form(world, courier):
    client = logged_in(world.central)
    form = {
        "code": "north",
        "name": "North loop",
        "days": ["0", "2"],
        "hubs": [courier.mid.pk],
        "is_active": "on",
        "notes": "",
        "stops-TOTAL_FORMS": "2",
        "stops-INITIAL_FORMS": "0",
        "stops-0-branch": "elk",
        "stops-0-days": ["0", "2"],
        "stops-1-branch": "",
    }
    response = client.post("/courier/routes/new/", form)
    assert response.status_code == 302 and response["Location"] == "/courier/routes/NORTH/"
    route = Route.objects.get(code="NORTH")
    assert route.days == "1010000"
    assert list(route.stops.values_list("branch__code", "days")) == [("ELK", "1010000")]


def test_it_shows_every_problem_and_saves_nothing(world, courier):
    client = logged_in(world.central)
    form = {
        "code": "NORTH",
        "name": "North loop",
        "days": ["0"],
        "stops-TOTAL_FORMS": "2",
        "stops-INITIAL_FORMS": "0",
        "stops-0-branch": "ELK",
        "stops-0-days": [],
        "stops-1-branch": "ELK",
        "stops-1-days": ["3"],
    }
    page = client.post("/courier/routes/new/", form).content.decode()
    assert "Stop 1 (ELK): tick at least one weekday on which the van calls." in page
    assert "ELK is on the route twice (stops 1 and 2)" in page
    assert "is called on Thu, but the van runs on Mon only" in page
    assert "Nothing was saved." in page
    assert not Route.objects.filter(code="NORTH").exists()


@pytest.mark.parametrize(
    "path", ["/courier/routes/new/", "/courier/routes/WEST/edit/", "/courier/hubs/new/"]
)
def test_it_lets_only_the_central_office_edit(world, courier, path):
    response = logged_in(world.admin_riv).get(path)
    assert response.status_code == 403
    assert "Only the central office changes courier routes" in response.content.decode()
    assert logged_in(world.central).get(path).status_code == 200


def test_the_edit_form_starts_from_the_route(world, courier):
    page = logged_in(world.central).get("/courier/routes/WEST/edit/").content.decode()
    assert 'value="RIV-MAIN"' in page and 'value="RIV-EAST"' in page
    assert 'name="stops-TOTAL_FORMS" value="5"' in page  # two stops and three empty rows


def test_the_central_office_adds_and_removes_a_hub(world, courier):
    client = logged_in(world.central)
    response = client.post(
        "/courier/hubs/new/", {"code": "north-depot", "name": "North depot", "transfer_days": "2"}
    )
    assert response.status_code == 302
    assert Hub.objects.get(code="NORTH-DEPOT").transfer_days == 2
    client.post("/courier/hubs/NORTH-DEPOT/delete/")
    assert not Hub.objects.filter(code="NORTH-DEPOT").exists()
    refused = client.post("/courier/hubs/MID/delete/", follow=True).content.decode()
    assert "take the hub off those routes first" in refused
    assert Hub.objects.filter(code="MID").exists()


def test_the_central_office_removes_a_route(world, courier):
    client = logged_in(world.central)
    assert client.post("/courier/routes/EAST/delete/").status_code == 302
    assert not Route.objects.filter(code="EAST").exists()
    assert logged_in(world.desk_riv).post("/courier/routes/WEST/delete/").status_code == 403
    assert Route.objects.filter(code="WEST").exists()


def test_the_expected_days_page_answers_with_the_legs(world, courier):
    client = logged_in(world.desk_pine)
    page = client.get(
        "/courier/days/", {"from": "riv-main", "to": "PINE", "on": "2030-01-07"}
    ).content.decode()
    # Mon pickup, MID Monday night, ready Tuesday, PINE's next call Thursday.
    assert "3 days: arrives Thu 10 Jan 2030" in page
    assert "changes vans at hub MID: 1 transfer day" in page
    assert "From the route schedule" in page
    Branch.objects.filter(pk=world.elk_main.pk).update(latitude=None, longitude=None)
    page = client.get("/courier/days/", {"from": "RIV-MAIN", "to": "ELK"}).content.decode()
    assert "No route" in page and "ELK is not a stop on any courier route." in page
    page = client.get("/courier/days/", {"from": "XX", "to": "ELK"}).content.decode()
    assert "No branch has the code &#x27;XX&#x27;" in page
    page = client.get(
        "/courier/days/", {"from": "PINE", "to": "ELK", "on": "7/1/2030"}
    ).content.decode()
    assert "is not a date: write it as YYYY-MM-DD" in page


def test_the_expected_days_form_offers_the_real_branch_codes(world):
    """Bug 9: the form's example "RIV-MAIN" did not exist in every group, and codes had to
    be typed from memory. The codes now come from the data, as a list to choose from."""
    Branch.objects.filter(pk=world.riv_main.pk).update(code="RV-CTR")
    client = logged_in(world.desk_pine)
    page = client.get("/courier/days/").content.decode()
    assert 'list="branch-codes"' in page
    datalist = page[page.index('<datalist id="branch-codes">') :]
    datalist = datalist[: datalist.index("</datalist>")]
    for code in ("ELK", "PINE", "RIV-EAST", "RV-CTR"):
        assert f'<option value="{code}">' in datalist
    assert "RIV-MAIN" not in page and 'placeholder="e.g. ELK"' in page
    wrong = client.get("/courier/days/", {"from": "XX", "to": "ELK"}).content.decode()
    assert "choose it from the list (e.g. ELK)." in wrong and "RIV-MAIN" not in wrong
