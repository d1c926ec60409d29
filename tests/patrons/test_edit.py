"""Changing a record: only the permitted fields, an ID check away from home, all or nothing."""

from __future__ import annotations

from onelibrary.patrons.models import Patron, PatronAudit, PatronSettings
from tests.patrons.conftest import ADA, Api, audit_rows, login


def form_data(patron: Patron, **changes: str) -> dict[str, str]:
    data = {
        "first_name": patron.first_name,
        "last_name": patron.last_name,
        "expires_on": patron.expires_on.isoformat(),
        "email": patron.email,
        "phone": patron.phone,
        "address": patron.address,
        "town": patron.town,
        "postcode": patron.postcode,
        "preferred_branch": patron.preferred_branch.code if patron.preferred_branch else "",
    }
    data.update(changes)
    return data


def test_it_offers_another_librarys_desk_only_the_fields_it_may_change(world, full_ada):
    response = login(world.desk_pine).get(f"/patrons/{full_ada.pk}/edit/")
    form = response.context["form"]
    assert set(form.fields) == {
        "first_name", "last_name", "expires_on", "email", "phone", "address", "town",
        "postcode", "preferred_branch", "keep_loan_history",
    }  # fmt: skip
    html = response.content.decode()
    assert "1980" not in html and "large print" not in html
    assert "I checked the patron" in html


def test_it_needs_an_id_check_from_another_library_and_saves_nothing_without(world, full_ada):
    client = login(world.desk_pine)
    response = client.post(f"/patrons/{full_ada.pk}/edit/", form_data(full_ada, town="Elk"))
    assert response.status_code == 200
    assert "Check the patron&#x27;s ID and tick this box" in response.content.decode()
    full_ada.refresh_from_db()
    assert full_ada.town == "Riverton"

    data = form_data(full_ada, town="Elk", id_checked="on", id_method="photo_id")
    assert client.post(f"/patrons/{full_ada.pk}/edit/", data).status_code == 302
    full_ada.refresh_from_db()
    assert full_ada.town == "Elk"
    [row] = audit_rows(full_ada, action="edit")
    assert row.detail == {"id_check": "photo_id"} and row.library == world.pine


def test_it_lets_the_group_turn_the_id_check_off(world, full_ada):
    settings = PatronSettings.current()
    settings.require_id_check = False
    settings.save()
    response = login(world.desk_pine).post(
        f"/patrons/{full_ada.pk}/edit/", form_data(full_ada, town="Elk")
    )
    assert response.status_code == 302
    assert audit_rows(full_ada, action="edit")[0].detail == {}


def test_it_asks_no_id_check_at_the_home_library(world, full_ada):
    html = login(world.desk_riv).get(f"/patrons/{full_ada.pk}/edit/").content.decode()
    assert "I checked the patron" not in html


def test_it_ignores_fields_sent_that_the_form_does_not_offer(world, full_ada):
    data = form_data(
        full_ada, id_checked="on", id_method="photo_id", notes="hacked", birth_date="2000-01-01"
    )
    login(world.desk_pine).post(f"/patrons/{full_ada.pk}/edit/", data)
    full_ada.refresh_from_db()
    assert full_ada.notes == "Prefers large print." and full_ada.birth_date.year == 1980


def test_it_saves_nothing_when_one_field_is_wrong_and_keeps_what_was_typed(world, full_ada):
    client = login(world.desk_riv)
    data = form_data(full_ada, town="Elk", email="not-an-email", postcode="59801")
    data.update(birth_date="2999-12-31", category="adult", notes="")
    response = client.post(f"/patrons/{full_ada.pk}/edit/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="Elk"' in html and 'value="not-an-email"' in html
    assert "cannot be in the future" in html and "Enter an email address" in html
    assert "Nothing was saved" in html
    full_ada.refresh_from_db()
    assert full_ada.town == "Riverton"
    assert not PatronAudit.objects.filter(action="edit").exists()


def test_it_refuses_edit_pages_to_staff_who_may_change_nothing(world, full_ada):
    from onelibrary.patrons.models import FieldPermission

    FieldPermission.objects.filter(role="desk", relation="other").update(can_edit=False)
    response = login(world.desk_pine).get(f"/patrons/{full_ada.pk}/edit/")
    assert response.status_code == 403


def test_it_patches_through_the_api_with_the_same_rules(world, full_ada):
    api = Api(world.desk_pine)
    response = api.patch(f"/patrons/{ADA}", {"notes": "x"})
    assert response.status_code == 403 and response.json()["code"] == "not_permitted"
    response = api.patch(f"/patrons/{ADA}", {"town": "Elk"})
    assert response.status_code == 403 and response.json()["code"] == "id_check_required"
    response = api.patch(
        f"/patrons/{ADA}",
        {"town": "Elk", "email": "bad", "id_checked": True, "id_method": "photo_id"},
    )
    assert response.status_code == 422 and "email" in response.json()["message"]
    full_ada.refresh_from_db()
    assert full_ada.town == "Riverton"
    response = api.patch(
        f"/patrons/{ADA}", {"town": "Elk", "id_checked": True, "id_method": "photo_id"}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["town"] == "Elk" and "notes" not in body and "birth_date" not in body


def test_it_refuses_api_patches_of_unknown_or_fixed_fields(world, full_ada):
    api = Api(world.central)
    for body in ({"card": "1"}, {"home_library": "PINE"}, {"merged_into": 3}, {"id": 9}):
        response = api.patch(f"/patrons/{ADA}", body)
        assert response.status_code == 422, body
    full_ada.refresh_from_db()
    assert full_ada.home_library == world.riverton
