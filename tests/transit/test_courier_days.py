"""Transit asks the courier app: items pass through a hub crate when their route goes
through that hub, shipping expects them on the courier days' day (courier.days, DAYS-1 to
DAYS-5), and an item received where it was sent becomes a trip the courier learns from."""

import datetime as dt

import pytest

from onelibrary.circulation.actions import check_in
from onelibrary.courier import days, service
from onelibrary.courier.models import CourierDays, CourierTrip
from onelibrary.members.models import Branch
from onelibrary.transit import crates
from onelibrary.transit.actions import expected_on
from onelibrary.transit.models import Transit, TransitSettings
from tests.courier.conftest import make_courier

from .conftest import copy_of

pytestmark = pytest.mark.django_db


def test_it_packs_an_item_into_a_crate_for_a_hub_on_its_way(tw, monday):
    make_courier(tw)  # PINE (EAST loop) -> hub MID -> RIV-MAIN (WEST loop); ELK on no route
    for_riv = copy_of(tw, "31000000000029", at=tw.pine_main, home=tw.riv_main)
    for_elk = copy_of(tw, "31000000000037", at=tw.pine_main, home=tw.elk_main)
    for item in (for_riv, for_elk):
        check_in(tw.desk_pine, tw.pine_main, item, now=monday)
    assert "MID" in service.hubs_between(tw.pine_main.pk, tw.riv_main.pk, monday.date())
    hub = crates.open_crate(tw.desk_pine, tw.pine_main, hub="mid", now=monday)
    assert hub.hub == "MID" and crates.where_to(hub) == "hub MID"
    added = crates.scan_into_crate(tw.desk_pine, tw.pine_main, hub, for_riv.barcode, now=monday)
    assert added.outcome == "added"
    refused = crates.scan_into_crate(tw.desk_pine, tw.pine_main, hub, for_elk.barcode, now=monday)
    assert refused.outcome == "refused" and "not to hub MID" in refused.message
    crates.close_crate(tw.desk_pine, tw.pine_main, hub, now=monday)
    crates.ship_crate(tw.desk_pine, tw.pine_main, hub, now=monday)
    transit = Transit.objects.get(item=for_riv)
    found = days.days_between(tw.pine_main.pk, tw.riv_main.pk, monday.date())
    assert found.source == days.Source.SCHEDULE
    assert transit.expected_on == found.arrival


def test_without_a_route_the_courier_days_table_answers(tw, monday):
    # No routes at all: the distance-derived CourierDays (RIV–ELK 2 days) answer (DAYS-3).
    arrival = expected_on(tw.riv_main.pk, tw.elk_main.pk, monday.date())
    assert (arrival - monday.date()).days == 2


def test_with_no_route_at_all_it_expects_the_groups_fallback_days(tw, monday):
    CourierDays.objects.filter(origin=tw.riv_main, destination=tw.elk_main).delete()
    Branch.objects.filter(pk=tw.elk_main.pk).update(latitude=None, longitude=None)
    assert days.days_between(tw.riv_main.pk, tw.elk_main.pk, monday.date()).days is None
    fallback = TransitSettings.current().fallback_courier_days
    arrival = expected_on(tw.riv_main.pk, tw.elk_main.pk, monday.date())
    assert (arrival - monday.date()).days == fallback


def ship_home(tw, monday, barcode: str) -> Transit:
    item = copy_of(tw, barcode, at=tw.pine_main, home=tw.riv_main)
    check_in(tw.desk_pine, tw.pine_main, item, now=monday)
    crates.ship_loose(tw.desk_pine, tw.pine_main, item, now=monday)
    return Transit.objects.get(item=item)


def test_an_item_received_where_it_was_sent_becomes_a_trip(tw, monday):
    transit = ship_home(tw, monday, "31000000000029")
    check_in(tw.desk_riv, tw.riv_main, transit.item, now=monday + dt.timedelta(days=4))
    trip = CourierTrip.objects.get()
    assert (trip.sender, trip.receiver, trip.shipped_on, trip.days) == (
        tw.pine_main,
        tw.riv_main,
        monday.date(),
        4,
    )


def test_an_item_received_elsewhere_or_never_shipped_is_no_trip(tw, monday):
    transit = ship_home(tw, monday, "31000000000029")
    check_in(tw.desk_riv, tw.riv_east, transit.item, now=monday + dt.timedelta(days=3))
    unshipped = copy_of(tw, "31000000000037", at=tw.pine_main, home=tw.riv_main)
    check_in(tw.desk_pine, tw.pine_main, unshipped, now=monday)
    check_in(tw.desk_riv, tw.riv_main, unshipped, now=monday + dt.timedelta(days=1))
    assert Transit.objects.get(pk=transit.pk).state == "received"
    assert not CourierTrip.objects.exists()
