"""The patron pages: finding a patron, the nav link, and the central office's table editor."""

from __future__ import annotations

from onelibrary.patrons import cards
from onelibrary.patrons.access import access_patron
from onelibrary.patrons.models import FieldPermission, Patron, PatronSettings
from tests.patrons.conftest import ADA, login


def test_it_opens_a_record_from_a_scanned_card(world):
    response = login(world.desk_pine).get("/patrons/", {"q": f" {ADA} "})
    assert response.status_code == 302 and response["Location"] == f"/patrons/{world.ada.pk}/"


def test_it_names_a_mistyped_card_and_keeps_it_in_the_field(world):
    typo = cards.card_number("29000", 5)[:-1] + "0"
    html = login(world.desk_pine).get("/patrons/", {"q": typo}).content.decode()
    assert "check digit" in html and f'value="{typo}"' in html


def test_it_lists_name_matches_with_only_permitted_fields(world, full_ada):
    html = login(world.desk_pine).get("/patrons/", {"q": "ada lind"}).content.decode()
    assert "Lindqvist, Ada" in html and "not shown" in html and "1980" not in html
    html = login(world.desk_riv).get("/patrons/", {"q": "lindqvist"}).content.decode()
    assert "1980" in html


def test_it_counts_every_name_match_when_it_shows_the_first_25(world):
    """Bug 6 (issue 13): 33 Bergstroms were counted as 25, the number shown."""
    Patron.objects.bulk_create(
        Patron(
            card=f"2900000009{n:04d}",
            first_name=f"Sam{n}",
            last_name="Bergstrom",
            home_library=world.pine,
            expires_on=world.ada.expires_on,
        )
        for n in range(33)
    )
    html = login(world.desk_pine).get("/patrons/", {"q": "Bergstrom"}).content.decode()
    assert "33 patrons, the first 25 shown" in html
    assert html.count("Bergstrom, Sam") == 25


def test_it_links_staff_to_the_patron_pages(world, client):
    assert "/patrons/" in login(world.desk_pine).get("/").content.decode()
    assert 'href="/patrons/"' not in client.get("/").content.decode()


def test_it_shows_central_office_links_only_to_the_central_office(world):
    assert "/patrons/permissions/" in login(world.central).get("/patrons/").content.decode()
    assert "/patrons/permissions/" not in login(world.admin_riv).get("/patrons/").content.decode()
    assert login(world.admin_riv).get("/patrons/permissions/").status_code == 403
    assert (
        login(world.admin_riv).post("/patrons/permissions/", {"part": "table"}).status_code == 403
    )


def test_it_saves_the_permission_table_and_access_follows_it(world, full_ada):
    client = login(world.central)
    page = client.get("/patrons/permissions/")
    form = page.context["rows"]
    data = {"part": "table"}
    for row in form:
        for cell in row["cells"]:
            if cell["field"].value():
                data[cell["field"].html_name] = "on"
    data["desk-other-birth_date-view"] = "on"
    data["desk-other-notes-edit"] = "on"
    data.pop("desk-other-contact-view", None)
    data.pop("desk-other-contact-edit", None)
    response = client.post("/patrons/permissions/", data)
    assert response.status_code == 302
    row = FieldPermission.objects.get(role="desk", relation="other", field_group="notes")
    assert (row.can_view, row.can_edit) == (True, True)  # an edit right brings the view
    view = access_patron(world.desk_pine, ADA)
    assert view.shows("birth_date") and view.may_edit("notes") and not view.shows("email")
    identity = FieldPermission.objects.get(role="desk", relation="other", field_group="identity")
    assert identity.can_view  # fixed: always
    from auditlog.models import LogEntry

    assert LogEntry.objects.filter(content_type__model="fieldpermission").count() >= 3


def test_it_saves_the_group_settings_and_says_what_is_wrong(world):
    client = login(world.central)
    data = {
        "part": "settings",
        "home_library_rule": "service_area",
        "card_prefix": "29000",
        "card_years": "2",
        "postcode_pattern": "([",
        "postcode_example": "59801",
    }
    response = client.post("/patrons/permissions/", data)
    assert response.status_code == 200 and "Not a valid pattern" in response.content.decode()
    assert PatronSettings.current().home_library_rule == "registering"
    data["postcode_pattern"] = r"^\d{5}$"
    assert client.post("/patrons/permissions/", data).status_code == 302
    settings = PatronSettings.current()
    assert settings.home_library_rule == "service_area" and not settings.require_id_check
