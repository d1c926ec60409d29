"""catalog.access: any staff member may look a copy up; only its owner changes it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from onelibrary.catalog.access import access_item
from onelibrary.members.access import NotAllowed, NotFound

pytestmark = pytest.mark.django_db


def test_any_staff_member_may_look_a_copy_up_by_barcode_or_id(world):
    assert access_item(world.desk_pine, world.dune_riv.barcode, for_change=False) == world.dune_riv
    assert access_item(world.desk_pine, world.dune_riv.pk, for_change=False) == world.dune_riv


def test_only_the_owning_library_and_the_central_office_may_change_it(world):
    assert access_item(world.desk_riv, world.dune_riv.barcode, for_change=True)
    assert access_item(world.central, world.dune_riv.barcode, for_change=True)
    with pytest.raises(NotAllowed) as refused:
        access_item(world.desk_pine, world.dune_riv.barcode, for_change=True)
    assert refused.value.status == 403
    assert "belongs to Riverton City Library" in refused.value.message


def test_an_account_with_no_staff_role_is_refused(world):
    reader = User.objects.create_user("reader", password="x")
    with pytest.raises(NotAllowed):
        access_item(reader, world.dune_riv.barcode, for_change=False)


def test_an_unknown_barcode_says_what_to_do(world):
    with pytest.raises(NotFound) as missing:
        access_item(world.desk_riv, " 31999999999999 ", for_change=False)
    assert missing.value.code == "unknown_item"
    assert "set the item aside for cataloguing" in missing.value.message
