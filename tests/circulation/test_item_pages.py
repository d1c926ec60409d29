"""The desk's page for one copy and its action forms (circulation/item_pages.py)."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from onelibrary.catalog.models import Item
from onelibrary.circulation.models import Event

RIV_COPY = "31000000000011"


def desk(user, branch) -> Client:
    client = Client()
    client.force_login(user)
    client.post(reverse("desk:home"), {"branch": branch.pk})
    return client


def test_it_finds_a_copy_by_barcode_and_shows_what_its_state_allows(world, rules):
    client = desk(world.desk_riv, world.riv_main)
    assert client.get("/items/", {"barcode": RIV_COPY})["Location"] == f"/items/{RIV_COPY}/"
    unknown = client.get("/items/", {"barcode": "999"})
    assert unknown.status_code == 404 and "No item in the group" in unknown.content.decode()
    page = client.get(f"/items/{RIV_COPY}/").content.decode()
    assert f"/items/{RIV_COPY}/damaged/" in page and f"/items/{RIV_COPY}/missing/" in page
    assert f"/items/{RIV_COPY}/found/" not in page


def test_it_marks_a_copy_damaged_with_a_note_and_shows_the_event(world, rules):
    client = desk(world.desk_riv, world.riv_main)
    form = client.get(f"/items/{RIV_COPY}/damaged/").content.decode()
    assert "Note (required)" in form and 'name="confirm"' not in form
    empty = client.post(f"/items/{RIV_COPY}/damaged/", {"note": " "})
    assert empty.status_code == 400 and not Event.objects.exists()
    done = client.post(f"/items/{RIV_COPY}/damaged/", {"note": "Pages stuck together"})
    assert done["Location"] == f"/items/{RIV_COPY}/"
    assert Item.objects.get(barcode=RIV_COPY).status == Item.Status.DAMAGED
    page = client.get(f"/items/{RIV_COPY}/").content.decode()
    assert "Pages stuck together" in page and "DAMAGED-1" in page


def test_it_asks_to_confirm_a_destructive_action(world, rules):
    client = desk(world.desk_riv, world.riv_main)
    unconfirmed = client.post(f"/items/{RIV_COPY}/missing/", {"note": "Not on shelf"})
    assert unconfirmed.status_code == 400
    assert "Tick the box to confirm" in unconfirmed.content.decode()
    assert Item.objects.get(barcode=RIV_COPY).status == Item.Status.AVAILABLE
    client.post(f"/items/{RIV_COPY}/missing/", {"note": "Not on shelf", "confirm": "on"})
    assert Item.objects.get(barcode=RIV_COPY).status == Item.Status.MISSING


def test_it_shows_a_refusal_with_its_decision_and_changes_nothing(world, rules):
    client = desk(world.desk_riv, world.riv_main)
    response = client.post(f"/items/{RIV_COPY}/withdraw/", {"note": "Old", "confirm": "on"})
    assert response.status_code == 403
    text = response.content.decode()
    assert "Only its library admin" in text and "WITHDRAW-3" in text
    assert Item.objects.get(barcode=RIV_COPY).status == Item.Status.AVAILABLE
    assert not Event.objects.exists()
    admin = desk(world.admin_riv, world.riv_main)
    admin.post(f"/items/{RIV_COPY}/withdraw/", {"note": "Old", "confirm": "on"})
    assert Item.objects.get(barcode=RIV_COPY).status == Item.Status.WITHDRAWN
    assert f"/items/{RIV_COPY}/reinstate/" in admin.get(f"/items/{RIV_COPY}/").content.decode()


def test_it_answers_404_for_an_unknown_action_or_copy(world, rules):
    client = desk(world.desk_riv, world.riv_main)
    assert client.get(f"/items/{RIV_COPY}/explode/").status_code == 404
    assert client.post("/items/999/damaged/", {"note": "x"}).status_code == 404
