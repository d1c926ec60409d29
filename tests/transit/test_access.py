"""transit.access: whose business a crate and a transit are (docs/architecture.md,
'Permissions')."""

from __future__ import annotations

import pytest

from onelibrary.courier.models import Hub
from onelibrary.members.access import NotFound
from onelibrary.transit import crates
from onelibrary.transit.access import access_crate, access_transit
from onelibrary.transit.actions import send_item
from onelibrary.transit.models import CrateItem
from tests.conftest import make_staff

from .conftest import copy_of

pytestmark = pytest.mark.django_db


def sees(access, *args, for_change: bool) -> bool:
    try:
        access(*args, for_change=for_change)
    except NotFound:
        return False
    return True


def test_a_crate_is_its_two_ends_business(tw):
    crate = crates.open_crate(tw.desk_pine, tw.pine_main, destination=tw.riv_main)
    elk = make_staff("desk.elk", "desk", tw.elk)
    for label_or_id in (crate.label, crate.label.lower(), crate.pk):
        assert sees(access_crate, tw.desk_pine, label_or_id, for_change=True)
        assert sees(access_crate, tw.desk_riv, label_or_id, for_change=True)
        assert not sees(access_crate, elk, label_or_id, for_change=False)
    assert sees(access_crate, tw.central, crate.pk, for_change=True)


def test_a_hub_crate_is_also_the_business_of_the_branches_its_items_are_for(tw):
    Hub.objects.create(code="HUB1", name="Hub one")
    crate = crates.open_crate(tw.desk_pine, tw.pine_main, hub="HUB1")
    assert not sees(access_crate, tw.desk_riv, crate.label, for_change=False)
    item = copy_of(tw, "31000000000037", at=tw.pine_main, home=tw.riv_main)
    transit = send_item(tw.desk_pine, item, tw.pine_main, tw.riv_main, reason="return_home")
    CrateItem.objects.create(crate=crate, transit=transit, item=item, added_by=tw.desk_pine)
    assert sees(access_crate, tw.desk_riv, crate.label, for_change=True)


def test_a_transit_is_its_ends_business_and_the_item_s_owner_may_look(tw):
    item = copy_of(tw, "31000000000045", at=tw.pine_main, home=tw.elk_main)  # Elk Valley's
    transit = send_item(tw.desk_pine, item, tw.pine_main, tw.riv_main, reason="other")
    elk = make_staff("desk.elk", "desk", tw.elk)
    assert sees(access_transit, tw.desk_pine, transit.pk, for_change=True)
    assert sees(access_transit, tw.desk_riv, transit.pk, for_change=True)
    assert sees(access_transit, elk, transit.pk, for_change=False)
    assert not sees(access_transit, elk, transit.pk, for_change=True)
    with pytest.raises(NotFound) as unknown:
        access_transit(tw.central, 999999, for_change=False)
    assert unknown.value.code == "unknown_transit"
