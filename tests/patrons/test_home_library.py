"""The home library rule (patrons/homerule.py, HOME-1..4), registration under it, and the
central office's review of patrons whose home library would change."""

from __future__ import annotations

import pytest

from onelibrary.patrons.access import PatronError
from onelibrary.patrons.actions import apply_home_changes, home_changes, register_patron
from onelibrary.patrons.homerule import home_library_for
from onelibrary.patrons.models import PatronSettings, ServiceArea
from tests.patrons.conftest import audit_rows, login

AREAS = {("postcode", "59801"): 1, ("town", "pinecreek"): 2}


def decide(rule, **kw):
    args = {"current": 9, "registering": 3, "postcode": "", "town": "", "areas": AREAS}
    args.update(kw)
    return home_library_for(rule, **args)


def test_it_picks_the_registering_library_under_that_rule():  # HOME-1
    decision = decide("registering", postcode="59801")
    assert (decision.library_id, decision.case) == (3, "HOME-1")


def test_it_picks_the_library_whose_area_has_the_postcode_then_the_town():  # HOME-2
    assert decide("service_area", postcode="59 801", town="Pine Creek").library_id == 1
    assert decide("service_area", postcode="59999", town=" pine creek ").library_id == 2


def test_it_falls_back_to_the_registering_library_outside_every_area():  # HOME-3
    decision = decide("service_area", postcode="59999", town="Nowhere")
    assert (decision.library_id, decision.case) == (3, "HOME-3")


def test_it_leaves_records_without_a_registering_library_alone():  # HOME-4
    assert decide("registering", registering=None).case == "HOME-4"
    assert decide("service_area", registering=None, town="Nowhere").library_id == 9
    assert decide("registering", registering=None, current=None) is None


@pytest.fixture
def service_areas(world):
    settings = PatronSettings.current()
    settings.home_library_rule = "service_area"
    settings.save()
    ServiceArea.objects.create(library=world.elk, kind="postcode", value="59 901")
    ServiceArea.objects.create(library=world.pine, kind="town", value="Pine Creek")
    return world


def test_it_gives_a_new_patron_the_home_library_whose_area_has_their_address(service_areas):
    world = service_areas
    data = {"first_name": "Eli", "last_name": "Stone", "postcode": "59901"}
    patron = register_patron(world.desk_riv, data, library=world.riverton)
    assert patron.home_library == world.elk and patron.registered_at == world.riverton
    assert audit_rows(patron)[0].detail["home_rule"] == "HOME-2"


def test_it_lists_and_moves_patrons_whose_home_the_rule_changes(service_areas):
    world = service_areas
    ada, ben = world.ada, world.ben
    ada.registered_at = world.riverton
    ada.postcode = "59901"
    ada.save()
    ben.registered_at = world.pine
    ben.town = "Pine Creek"
    ben.save()
    [change] = home_changes()
    assert (change.patron_id, change.proposed, change.case) == (ada.pk, world.elk.pk, "HOME-2")

    client = login(world.central)
    html = client.get("/patrons/home-library/").content.decode()
    assert "Lindqvist" in html and "Elk Valley Library" in html and "Okafor" not in html
    response = client.post("/patrons/home-library/", {"patrons": [ada.pk]})
    assert response.status_code == 302
    ada.refresh_from_db()
    assert ada.home_library == world.elk
    [row] = audit_rows(ada, action="home_change")
    assert row.changes == {"home_library": ["RIV", "ELK"]} and row.staff == world.central
    assert home_changes() == []


def test_it_moves_back_under_the_registering_rule(world):
    ada = world.ada
    ada.registered_at = world.pine
    ada.save()
    assert [c.proposed for c in home_changes()] == [world.pine.pk]
    response = login(world.central).post("/patrons/home-library/", {"all": "1"})
    assert response.status_code == 302
    ada.refresh_from_db()
    assert ada.home_library == world.pine


def test_it_keeps_the_review_for_the_central_office(world):
    world.ada.registered_at = world.pine
    world.ada.save()
    assert login(world.admin_riv).get("/patrons/home-library/").status_code == 403
    assert login(world.admin_riv).post("/patrons/home-library/", {"all": "1"}).status_code == 403
    with pytest.raises(PatronError):
        apply_home_changes(world.admin_riv, [world.ada.pk])
    world.ada.refresh_from_db()
    assert world.ada.home_library == world.riverton


def test_it_asks_for_a_choice_when_nothing_is_ticked(world):
    world.ada.registered_at = world.pine
    world.ada.save()
    response = login(world.central).post("/patrons/home-library/", {})
    assert "Tick at least one patron" in response.content.decode()
