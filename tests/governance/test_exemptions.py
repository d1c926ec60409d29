"""No hiding without a reason: a copy or a member rule kept from group holds names a reason
the group allows; refused otherwise, with a message; the differences page shows them all."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from onelibrary.catalog.actions import update_item
from onelibrary.catalog.forms import ItemForm
from onelibrary.catalog.models import Item
from onelibrary.policy.models import CirculationRule
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def form_data(item: Item, **changes) -> dict:
    data = {
        "call_number": item.call_number,
        "shelf_location": item.shelf_location,
        "collection": item.collection,
        "item_type": item.item_type,
        "holdable": True,
        "floating": False,
        "price": "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not False}


def test_the_item_form_refuses_not_holdable_without_a_reason(world, reference):
    form = ItemForm(form_data(world.dune_riv, holdable=False), instance=world.dune_riv)
    assert not form.is_valid()
    assert "needs a reason the group allows" in str(form.errors["holds_exemption"])
    world.dune_riv.refresh_from_db()
    assert world.dune_riv.holdable


def test_the_item_form_takes_an_allowed_reason(world, reference):
    client = Client()
    client.login(username="desk.riv", password=PASSWORD)
    page = client.post(
        f"/items/{world.dune_riv.barcode}/edit/",
        form_data(world.dune_riv, holdable=False, holds_exemption=reference.pk),
    )
    assert page.status_code == 302
    world.dune_riv.refresh_from_db()
    assert (world.dune_riv.holdable, world.dune_riv.holds_exemption) == (False, reference)


def test_a_holdable_copy_keeps_no_reason(world, reference):
    form = ItemForm(
        form_data(world.dune_riv, holds_exemption=reference.pk), instance=world.dune_riv
    )
    assert form.is_valid()
    assert form.cleaned_data["holds_exemption"] is None


def test_the_action_refuses_it_too(world):
    with pytest.raises(ValidationError):
        update_item(world.admin_riv, world.dune_riv, holdable=False)
    world.dune_riv.refresh_from_db()
    assert world.dune_riv.holdable


def test_a_member_rule_not_holdable_needs_a_reason(world, reference):
    rule = CirculationRule(
        name="Local history", library=world.pine, collection="LOCAL", holdable=False
    )
    with pytest.raises(ValidationError) as refused:
        rule.full_clean()
    assert "exemption reason the group allows" in str(refused.value)
    rule.exempt_reason = reference
    rule.full_clean()


def test_the_differences_page_shows_every_exemption(world, reference):
    CirculationRule.objects.create(
        name="Local history",
        library=world.pine,
        collection="LOCAL",
        holdable=False,
        exempt_reason=reference,
    )
    Item.objects.filter(pk=world.dune_riv.pk).update(holdable=False)  # imported so: no reason
    client = Client()
    client.login(username="desk.pine", password=PASSWORD)
    text = client.get("/policy/differences/").content.decode()
    section = text[text.index("Every exemption from group holds") :]
    assert "Rule “Local history”" in section and "Reference only" in section
    assert "1 copy" in section and "no reason given" in section
