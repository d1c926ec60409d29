"""Staff edit their own library's copies, and only those (catalog.views.item_edit)."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from onelibrary.catalog.actions import update_item
from onelibrary.catalog.models import Item
from onelibrary.circulation.models import Event
from tests.web.conftest import client_for

PINE_COPY = "32000000000019"
EDIT = {
    "call_number": "SF HERBERT",
    "shelf_location": "New books",
    "collection": "ADULT",
    "item_type": "book",
    "holdable": "on",
    "price": "18.99",
}


def test_it_sends_anonymous_visitors_to_log_in(world):
    response = Client().get(f"/items/{PINE_COPY}/edit/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=/items/")


def test_it_lets_a_librarys_staff_edit_its_copy(world):
    client = client_for(world.desk_pine)
    assert client.get(f"/items/{PINE_COPY}/edit/").status_code == 200
    response = client.post(f"/items/{PINE_COPY}/edit/", EDIT)
    assert response.status_code == 302
    assert response["Location"] == f"/catalog/titles/{world.dune.pk}/"
    item = Item.objects.get(barcode=PINE_COPY)
    assert (item.call_number, item.shelf_location, item.price) == (
        "SF HERBERT",
        "New books",
        Decimal("18.99"),
    )
    assert item.floating is False


def test_it_refuses_staff_of_another_library(world):
    client = client_for(world.desk_riv)
    page = client.get(f"/items/{PINE_COPY}/edit/")
    assert page.status_code == 403
    assert "belongs to Pine Creek Library" in page.content.decode()
    post = client.post(f"/items/{PINE_COPY}/edit/", EDIT)
    assert post.status_code == 403
    item = Item.objects.get(barcode=PINE_COPY)
    assert (item.call_number, item.price) == ("", None)


def test_it_lets_the_central_office_edit_any_copy(world):
    response = client_for(world.central).post(f"/items/{PINE_COPY}/edit/", EDIT)
    assert response.status_code == 302
    assert Item.objects.get(barcode=PINE_COPY).call_number == "SF HERBERT"


def test_it_cannot_change_a_copys_status(world):
    """Status changes are the desk's item actions, each with a note and an event
    (docs/circulation/item-desk.md): a status posted to the edit form is ignored."""
    client = client_for(world.desk_pine)
    assert 'name="status"' not in client.get(f"/items/{PINE_COPY}/edit/").content.decode()
    for status in ("damaged", "missing", "withdrawn", "checked_out"):
        response = client.post(f"/items/{PINE_COPY}/edit/", {**EDIT, "status": status})
        assert response.status_code == 302
        assert Item.objects.get(barcode=PINE_COPY).status == Item.Status.AVAILABLE
    assert not Event.objects.exists()


def test_it_leaves_a_checked_out_copys_status_alone(world):
    Item.objects.filter(barcode=PINE_COPY).update(status=Item.Status.CHECKED_OUT)
    client = client_for(world.desk_pine)
    response = client.post(f"/items/{PINE_COPY}/edit/", {**EDIT, "status": "missing"})
    assert response.status_code == 302
    item = Item.objects.get(barcode=PINE_COPY)
    assert (item.status, item.call_number) == (Item.Status.CHECKED_OUT, "SF HERBERT")


def test_the_action_checks_permission_itself(world):
    with pytest.raises(PermissionDenied):
        update_item(world.desk_riv, world.dune_pine, call_number="X")
    with pytest.raises(TypeError):  # the status is not an edit's to change
        update_item(world.desk_pine, world.dune_pine, status=Item.Status.MISSING)  # type: ignore[call-arg]
    update_item(world.admin_riv, world.dune_riv, floating=True)
    assert Item.objects.get(pk=world.dune_riv.pk).floating is True
    assert Item.objects.get(pk=world.dune_pine.pk).call_number == ""


def test_it_says_not_found_for_an_unknown_barcode(world):
    assert client_for(world.desk_pine).get("/items/999/edit/").status_code == 404


def test_it_logs_who_changed_what_on_a_copy(world):
    from auditlog.models import LogEntry

    client_for(world.desk_pine).post(f"/items/{PINE_COPY}/edit/", EDIT)
    item = Item.objects.get(barcode=PINE_COPY)
    entry = LogEntry.objects.get_for_object(item).get(action=LogEntry.Action.UPDATE)
    assert entry.actor == world.desk_pine
    assert entry.changes_dict["call_number"][1] == "SF HERBERT"
