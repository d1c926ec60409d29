"""Registering a patron: the page (with the duplicate step) and the API."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from onelibrary.patrons import cards
from onelibrary.patrons.actions import PossibleDuplicates, register_patron
from onelibrary.patrons.models import Patron, PatronAudit
from tests.patrons.conftest import Api, audit_rows, login

NEW = {
    "first_name": "Cora",
    "last_name": "Whitfield",
    "email": "cora@example.org",
    "phone": "(406) 555-0177",
    "address": "4 Aspen Lane",
    "town": "Pine Creek",
    "postcode": "59850",
    "birth_date": "1975-03-02",
    "category": "adult",
    "preferred_branch": "PINE",
}


def test_it_registers_a_patron_with_the_next_group_card(world):
    response = login(world.desk_pine).post("/patrons/register/", NEW)
    assert response.status_code == 302
    patron = Patron.objects.get(last_name="Whitfield")
    assert patron.card == cards.card_number("29000", 1)
    assert patron.home_library == world.pine == patron.registered_at
    assert patron.expires_on > dt.date.today() + dt.timedelta(days=3 * 364)
    row = audit_rows(patron)[0]
    assert row.action == "register" and row.library == world.pine
    assert row.changes["email"] == [None, "cora@example.org"]


def test_it_takes_a_typed_new_card_when_its_check_digit_is_right(world):
    card = cards.card_number("29000", 77)
    login(world.desk_pine).post("/patrons/register/", {**NEW, "card": card})
    assert Patron.objects.get(last_name="Whitfield").card == card


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("email", "cora@", "Enter an email address"),
        ("postcode", "5985", "is not a postcode we know"),
        ("birth_date", "2999-01-01", "cannot be in the future"),
        ("birth_date", "2-3-1975x", "Enter a valid date"),
        ("first_name", "", "This field is required"),
        ("card", "29000000000770", "check digit"),
        ("phone", "call me", "A phone number has digits"),
    ],
)
def test_it_keeps_what_was_typed_says_what_to_fix_and_saves_nothing(world, field, typed, message):
    response = login(world.desk_pine).post("/patrons/register/", {**NEW, field: typed})
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert 'value="cora@example.org"' in html or field == "email"
    assert 'value="4 Aspen Lane"' in html
    form = response.context["form"]
    assert form.data[field] == typed and list(form.errors) == [field]
    assert not Patron.objects.filter(last_name="Whitfield").exists()
    assert not PatronAudit.objects.filter(action="register").exists()


def test_it_shows_possible_duplicates_and_registers_only_when_told_they_are_not(world, full_ada):
    client = login(world.desk_pine)
    typed = {**NEW, "first_name": "Ada", "last_name": "Lindquist", "birth_date": "1980-05-17"}
    response = client.post("/patrons/register/", typed)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Is this one of these patrons?" in html and "Similar name" in html
    assert full_ada.card in html
    assert (
        "1980" not in html.split("The details typed")[0]
    )  # Pine's desk may not see her birth date
    assert not Patron.objects.filter(last_name="Lindquist").exists()
    assert audit_rows(full_ada)[0].detail["context"] == "duplicate check"

    response = client.post("/patrons/register/", {**typed, "decision": "new"})
    assert response.status_code == 302
    new = Patron.objects.get(last_name="Lindquist")
    assert audit_rows(new)[0].detail["confirmed_new_despite"] == [full_ada.pk]


def test_it_opens_the_existing_record_with_the_typed_details_to_merge_in(world, full_ada):
    client = login(world.desk_pine)
    typed = {**NEW, "first_name": "Ada", "last_name": "Lindqvist", "email": "ada2@example.org"}
    response = client.post("/patrons/register/", {**typed, "decision": f"use-{full_ada.pk}"})
    assert response.status_code == 302 and response["Location"] == f"/patrons/{full_ada.pk}/edit/"
    page = client.get(response["Location"])
    assert 'value="ada2@example.org"' in page.content.decode()
    assert "details typed at registration" in page.content.decode()
    assert Patron.objects.filter(last_name="Lindqvist").count() == 1
    full_ada.refresh_from_db()
    assert full_ada.email == "ada@example.org"  # nothing saved until staff save the edit


def test_it_refuses_duplicates_in_the_action_itself(world, full_ada):
    data = {"first_name": "Ada", "last_name": "Lindqvist", "birth_date": full_ada.birth_date}
    with pytest.raises(PossibleDuplicates) as found:
        register_patron(world.desk_pine, data, library=world.pine)
    # Pine's desk may not see Ada's birth date: the same name is told as similar.
    assert found.value.matches[0].reasons == ("similar_name",)
    with pytest.raises(PossibleDuplicates) as found:
        register_patron(world.desk_riv, data, library=world.riverton)
    assert found.value.matches[0].reasons == ("same_name_and_birth_date",)
    assert Patron.objects.count() == 2


def test_it_registers_through_the_api_with_duplicates_first(world, full_ada):
    api = Api(world.desk_pine)
    body = {"first_name": "Ada", "last_name": "Lindqvist", "birth_date": "1980-05-17"}
    response = api.post("/patrons/", body)
    assert response.status_code == 409
    answer = response.json()
    assert answer["code"] == "possible_duplicates"
    [candidate] = answer["detail"]
    assert candidate["reasons"] == ["similar_name"]  # the birth date is not Pine's to see
    assert candidate["patron"]["card"] == full_ada.card
    assert "birth_date" not in candidate["patron"] and "notes" not in candidate["patron"]
    assert candidate["patron"]["email"] == "ada@example.org"

    response = api.post("/patrons/", {**body, "confirm_new": True})
    assert response.status_code == 201, response.json()
    created = response.json()
    assert created["home_library"] == "PINE" and created["birth_date"] == "1980-05-17"
    assert cards.check_card(created["card"]) == created["card"]


def test_it_refuses_malformed_api_registrations_and_saves_nothing(world):
    api = Api(world.desk_pine)
    cases = [
        ({"first_name": "Cora"}, "last_name"),
        ({**NEW, "email": "nope"}, "email"),
        ({**NEW, "birth_date": "2999-01-01"}, "birth_date"),
        ({**NEW, "postcode": "x"}, "postcode"),
        ({**NEW, "preferred_branch": "NOWHERE"}, "preferred_branch"),
        ({**NEW, "home_library": "RIV"}, "home_library"),
        ({**NEW, "category": "robot"}, "category"),
    ]
    for body, field in cases:
        response = api.post("/patrons/", body)
        assert response.status_code == 422, (field, response.json())
        assert field in response.json()["message"]
    assert not Patron.objects.filter(first_name="Cora").exists()


def test_it_asks_the_central_office_which_library_registers(world):
    api = Api(world.central)
    assert api.post("/patrons/", NEW).json()["code"] == "library_needed"
    response = api.post("/patrons/", {**NEW, "library": "elk"})
    assert response.status_code == 201
    assert response.json()["home_library"] == "ELK"


def test_it_refuses_registering_for_a_library_you_do_not_work_for(world):
    response = Api(world.desk_pine).post("/patrons/", {**NEW, "library": "RIV"})
    assert response.status_code == 403
    assert response.json()["code"] == "not_your_library"


def test_the_duplicate_check_tells_the_same_whatever_birth_date_is_guessed(world, full_ada):
    """Pine's desk may not see Ada's birth date: guessing it right or wrong answers alike."""
    api = Api(world.desk_pine)
    answers = []
    for guess in ("1980-05-17", "1980-05-18", "1979-05-17"):
        body = {"first_name": "Ada", "last_name": "Lindqvist", "birth_date": guess}
        response = api.post("/patrons/", body)
        assert response.status_code == 409
        answers.append(response.content)
    assert answers[0] == answers[1] == answers[2]
    client = login(world.desk_pine)
    pages = []
    for guess in ("1980-05-17", "1980-05-18"):
        typed = {**NEW, "first_name": "Ada", "last_name": "Lindqvist", "birth_date": guess}
        html = client.post("/patrons/register/", typed).content.decode()
        candidates = html.split("The details typed")[0]
        pages.append(re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", candidates))
    assert "Similar name" in pages[0] and "Same name and birth date" not in pages[0]
    assert pages[0] == pages[1]


@pytest.fixture
def contact_hidden(world, full_ada):
    """Pine Creek's staff may not see other members' patrons' contact details or address."""
    from onelibrary.patrons.models import FieldPermission

    FieldPermission.objects.filter(relation="other", field_group__in=["contact", "address"]).update(
        can_view=False, can_edit=False
    )
    return full_ada


def test_a_match_on_hidden_fields_is_told_to_the_central_office_not_the_caller(
    world, contact_hidden
):
    api = Api(world.desk_pine)
    body = {"first_name": "Zed", "last_name": "Quist", "email": "ada@example.org"}
    response = api.post("/patrons/", body)
    assert response.status_code == 201, response.json()  # the same as no match at all
    assert "ada@example.org" in response.content.decode()  # only what was typed
    assert contact_hidden.card not in response.content.decode()
    zed = Patron.objects.get(last_name="Quist")
    row = audit_rows(zed)[0]
    assert row.detail["duplicates_for_central_office"] == [
        {"patron": contact_hidden.pk, "reasons": ["same_email"]}
    ]
    assert not PatronAudit.objects.filter(patron=contact_hidden, staff=world.desk_pine).exists()

    review = login(world.central).get("/patrons/duplicates/")
    assert review.status_code == 200
    html = review.content.decode()
    assert zed.card in html and contact_hidden.card in html and "Same email" in html
    assert f"keep={contact_hidden.card}&amp;away={zed.card}" in html
    assert login(world.desk_pine).get("/patrons/duplicates/").status_code == 403


def test_home_staff_are_told_every_reason(world, full_ada):
    api = Api(world.desk_riv)
    body = {"first_name": "Zed", "last_name": "Quist", "email": "ada@example.org"}
    response = api.post("/patrons/", body)
    assert response.status_code == 409
    assert response.json()["detail"][0]["reasons"] == ["same_email"]
