"""Transit asks the courier schedule: items pass through a hub crate when their route goes
through that hub, and shipping expects them on the schedule's day."""

import pytest

from onelibrary.circulation.actions import check_in
from onelibrary.courier import service
from onelibrary.transit import courier_link, crates
from onelibrary.transit.models import Transit
from tests.courier.conftest import make_courier

from .conftest import copy_of

pytestmark = pytest.mark.django_db


def test_it_packs_an_item_into_a_crate_for_a_hub_on_its_way(tw, monday):
    make_courier(tw)  # PINE (EAST loop) -> hub MID -> RIV-MAIN (WEST loop); ELK on no route
    for_riv = copy_of(tw, "31000000000029", at=tw.pine_main, home=tw.riv_main)
    for_elk = copy_of(tw, "31000000000037", at=tw.pine_main, home=tw.elk_main)
    for item in (for_riv, for_elk):
        check_in(tw.desk_pine, tw.pine_main, item, now=monday)
    assert "MID" in courier_link.hubs_between(tw.pine_main.pk, tw.riv_main.pk, monday.date())
    hub = crates.open_crate(tw.desk_pine, tw.pine_main, hub="mid", now=monday)
    assert hub.hub == "MID" and crates.where_to(hub) == "hub MID"
    added = crates.scan_into_crate(tw.desk_pine, tw.pine_main, hub, for_riv.barcode, now=monday)
    assert added.outcome == "added"
    refused = crates.scan_into_crate(tw.desk_pine, tw.pine_main, hub, for_elk.barcode, now=monday)
    assert refused.outcome == "refused" and "not to hub MID" in refused.message
    crates.close_crate(tw.desk_pine, tw.pine_main, hub, now=monday)
    crates.ship_crate(tw.desk_pine, tw.pine_main, hub, now=monday)
    transit = Transit.objects.get(item=for_riv)
    scheduled = service.expected_arrival(tw.pine_main.pk, tw.riv_main.pk, monday.date())
    assert scheduled is not None and transit.expected_on == scheduled


def test_it_falls_back_to_courier_days_without_a_route(tw, monday):
    # No routes at all: the distance-derived CourierDays (RIV–ELK 2 days) answer.
    arrival = courier_link.expected_arrival(tw.riv_main.pk, tw.elk_main.pk, monday.date())
    assert (arrival - monday.date()).days == 2
