"""Staff set a patron's PIN (a new card, a forgotten PIN): audited, ID check away from home."""

from __future__ import annotations

from django.contrib.auth.hashers import check_password
from django.test import Client

from onelibrary.account.models import PatronPin
from onelibrary.patrons.models import PatronAudit


def staff(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_home_library_staff_set_a_pin(world):
    response = staff(world.desk_riv).post(
        "/account/staff/pin/", {"card": world.ada.card, "pin": "8642", "again": "8642"}, follow=True
    )
    assert "The PIN of Ada Lindqvist (29000000000017) is set." in response.content.decode()
    pin = PatronPin.objects.get(patron=world.ada)
    assert check_password("8642", pin.pin_hash) and pin.set_by == "staff"
    row = PatronAudit.objects.get(patron=world.ada, action="edit")
    assert row.staff == world.desk_riv and row.fields == ["pin"]


def test_another_librarys_staff_must_record_the_id_check(world):
    client = staff(world.desk_pine)
    data = {"card": world.ada.card, "pin": "8642", "again": "8642"}
    response = client.post("/account/staff/pin/", data)
    assert "Check the patron&#x27;s ID" in response.content.decode()
    assert not PatronPin.objects.exists()
    client.post("/account/staff/pin/", {**data, "id_method": "photo_id"})
    assert PatronPin.objects.filter(patron=world.ada).exists()
    assert PatronAudit.objects.get(action="edit").detail["id_check"] == "photo_id"


def test_a_bad_pin_keeps_the_card_and_saves_nothing(world):
    response = staff(world.desk_riv).post(
        "/account/staff/pin/", {"card": world.ada.card, "pin": "86", "again": "86"}
    )
    text = response.content.decode()
    assert "at least 4" in text and 'value="29000000000017"' in text
    assert not PatronPin.objects.exists()


def test_the_page_is_for_staff(world):
    assert Client().get("/account/staff/pin/")["Location"].startswith("/login/")


def test_the_patron_record_links_to_the_pin_page_with_the_card_filled_in(world):
    client = staff(world.desk_riv)
    record = client.get(f"/patrons/{world.ada.pk}/").content.decode()
    assert f"/account/staff/pin/?card={world.ada.card}" in record
    page = client.get(f"/account/staff/pin/?card={world.ada.card}").content.decode()
    assert f'value="{world.ada.card}"' in page
