"""The float-balancing page, its capacity form and its CSV."""

from __future__ import annotations

import csv
import io

from onelibrary.floating import actions
from onelibrary.floating.models import Capacity, FloatLog
from tests.conftest import PASSWORD
from tests.floating.conftest import floating_copies


def login(client, username):
    assert client.login(username=username, password=PASSWORD)


def over_at_pine(fw):
    """PINE holds 4 floating ADULT items for a capacity of 1; RIV-MAIN (Dune, on loan)
    1 of 3; RIV-EAST 0 of 1."""
    floating_copies(fw, 4, fw.pine_main)
    actions.set_capacity(fw.central, fw.pine_main, "ADULT", 1)
    actions.set_capacity(fw.central, fw.riv_main, "ADULT", 3)
    actions.set_capacity(fw.central, fw.riv_east, "ADULT", 1)


def test_it_shows_counts_against_capacity_and_suggests_moves(fw, client):
    over_at_pine(fw)
    login(client, "desk.riv")
    page = client.get("/floating/?group=west").content.decode()
    assert "Float balancing: West floats" in page
    assert "3 over" in page and "2 under" in page
    assert "Move 2 items from Pine Creek (PINE) to Riverton Main (RIV-MAIN), 1 courier days" in page
    assert "Move 1 item from Pine Creek (PINE) to Riverton Eastside (RIV-EAST)" in page
    assert "Elk Valley" not in page  # not in the float group
    assert 'name="capacity"' not in page  # desk staff see capacities, do not edit them


def test_it_says_when_surplus_has_nowhere_to_go(fw, client):
    floating_copies(fw, 3, fw.pine_main)
    actions.set_capacity(fw.central, fw.pine_main, "ADULT", 1)
    login(client, "central")
    page = client.get("/floating/?group=west").content.decode()
    assert "2 items over capacity have no branch nearby with room" in page


def test_it_lets_a_library_admin_edit_their_own_branches_only(fw, client):
    over_at_pine(fw)
    login(client, "admin.riv")
    page = client.get("/floating/?group=west").content.decode()
    assert 'id="cap-adult-riv-main"' in page and 'id="cap-adult-pine"' not in page
    response = client.post(
        "/floating/capacity",
        {"branch": "RIV-EAST", "collection": "ADULT", "capacity": "6", "group": "west"},
        follow=True,
    )
    assert "Riverton Eastside now holds up to 6 floating ADULT." in response.content.decode()
    assert Capacity.objects.get(branch=fw.riv_east, collection="ADULT").capacity == 6
    log = FloatLog.objects.filter(kind="capacity_set").latest("pk")
    assert (log.staff.username, log.detail["before"], log.detail["after"]) == ("admin.riv", 1, 6)
    refused = client.post(
        "/floating/capacity",
        {"branch": "PINE", "collection": "ADULT", "capacity": "9"},
        follow=True,
    )
    assert "Only the central office or Pine Creek Library" in refused.content.decode()
    assert Capacity.objects.get(branch=fw.pine_main, collection="ADULT").capacity == 1


def test_it_refuses_a_capacity_that_is_not_a_whole_number_and_changes_nothing(fw, client):
    over_at_pine(fw)
    login(client, "central")
    for typed in ("-3", "2.5", "lots", "9" * 12):
        response = client.post(
            "/floating/capacity",
            {"branch": "PINE", "collection": "ADULT", "capacity": typed},
            follow=True,
        )
        assert response.status_code == 200
        assert Capacity.objects.get(branch=fw.pine_main, collection="ADULT").capacity == 1


def test_it_clears_a_capacity_left_empty(fw, client):
    over_at_pine(fw)
    login(client, "central")
    client.post("/floating/capacity", {"branch": "PINE", "collection": "ADULT", "capacity": ""})
    assert not Capacity.objects.filter(branch=fw.pine_main).exists()
    assert FloatLog.objects.filter(kind="capacity_cleared").exists()


def test_it_is_for_staff_only(fw, client):
    assert client.get("/floating/").status_code == 302  # to the login page
    response = client.post("/floating/capacity", {"branch": "PINE", "collection": "ADULT"})
    assert response.status_code == 302
    assert not Capacity.objects.exists()


def test_its_csv_has_the_pages_figures_and_runs_no_formulas(fw, client):
    over_at_pine(fw)
    floating_copies(fw, 1, fw.riv_east, prefix="3100000096", collection="=HYPERLINK(1)")
    login(client, "central")
    response = client.get("/floating/balance.csv?group=west")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:5] == ["collection", "branch", "branch name", "floating items", "capacity"]
    pine = next(r for r in rows if r[:2] == ["ADULT", "PINE"])
    assert pine[3:] == ["4", "1", "3", "0", "3", "0"]
    assert any(r[0] == "'=HYPERLINK(1)" for r in rows)
    assert not any(cell.startswith("=") for r in rows for cell in r)
