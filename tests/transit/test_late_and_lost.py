"""Late in transit (listed at both ends with the crate) and declared missing (the item is
marked missing, its hold routed again, the loss recorded)."""

import datetime as dt

import pytest

from onelibrary.catalog.models import Item
from onelibrary.circulation import transit_desk
from onelibrary.circulation.holds_desk import pull_copy
from onelibrary.holds.actions import place_hold
from onelibrary.holds.models import Hold, HoldEvent
from onelibrary.transit import crates, late
from onelibrary.transit.actions import TransitError
from onelibrary.transit.models import Transit, TransitEvent, TransitSettings

from .conftest import copy_of

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)


def shipped_for_hold(tw, monday):
    """Ben's hold at Pine Creek on RIV's copy: pulled at RIV-MAIN, crated and shipped."""
    hold = place_hold(tw.desk_pine, tw.ben, tw.pine_main, title=tw.dune, now=monday).hold
    Hold.objects.filter(pk=hold.pk).update(state="routed", assigned_item=tw.dune_riv)
    pull_copy(tw.desk_riv, tw.riv_main, tw.dune_riv, now=monday)
    crate = crates.open_crate(tw.desk_riv, tw.riv_main, destination=tw.pine_main, now=monday)
    crates.scan_into_crate(tw.desk_riv, tw.riv_main, crate, tw.dune_riv.barcode, now=monday)
    crates.close_crate(tw.desk_riv, tw.riv_main, crate, now=monday)
    crates.ship_crate(tw.desk_riv, tw.riv_main, crate, now=monday)
    return hold, crate, Transit.objects.get(item=tw.dune_riv)


def test_it_lists_a_late_item_at_both_ends_with_its_crate(tw, monday):
    TransitSettings.objects.create(late_after_days=2, missing_after_days=10)
    _, crate, transit = shipped_for_hold(tw, monday)
    expected = transit.expected_on
    assert late.late_transits(tw.pine_main, expected + 2 * DAY) == []
    rows = late.late_transits(tw.pine_main, expected + 3 * DAY)
    assert [(r.transit, r.days_late, r.may_declare_missing) for r in rows] == [(transit, 3, False)]
    assert rows[0].transit.crate == crate
    assert [r.transit for r in late.late_transits(tw.riv_main, expected + 3 * DAY)] == [transit]
    assert late.late_transits(tw.elk_main, expected + 3 * DAY) == []
    assert late.late_transits(None, expected + 11 * DAY)[0].may_declare_missing


def test_it_refuses_to_declare_missing_before_the_second_threshold(tw, monday):
    TransitSettings.objects.create(late_after_days=2, missing_after_days=10)
    _, _, transit = shipped_for_hold(tw, monday)
    too_soon = dt.datetime.combine(transit.expected_on + 5 * DAY, dt.time(12), monday.tzinfo)
    with pytest.raises(TransitError, match="waits 10 days"):
        transit_desk.declare_missing(tw.desk_pine, tw.pine_main, transit, now=too_soon)
    assert Transit.objects.get(pk=transit.pk).state == "shipped"


def test_it_declares_missing_reroutes_the_hold_and_records_the_loss(tw, monday):
    TransitSettings.objects.create(late_after_days=2, missing_after_days=10)
    hold, crate, transit = shipped_for_hold(tw, monday)
    when = dt.datetime.combine(transit.expected_on + 11 * DAY, dt.time(12), monday.tzinfo)
    message = transit_desk.declare_missing(
        tw.desk_pine, tw.pine_main, transit, note="not in crate", now=when
    )
    assert "declared missing in transit" in message
    assert "routed to another copy" in message
    transit.refresh_from_db()
    assert transit.state == "missing"
    assert Item.objects.get(pk=tw.dune_riv.pk).status == Item.Status.MISSING
    hold.refresh_from_db()
    assert (hold.state, hold.assigned_item) == (Hold.State.ROUTED, tw.dune_pine)
    assert HoldEvent.objects.filter(hold=hold, kind="lost_in_transit").exists()
    loss = TransitEvent.objects.get(kind="lost")
    assert loss.detail["owning_library"] == "RIV"
    assert loss.detail["crate_label"] == crate.label
    assert loss.detail["hold"] == hold.pk


def test_it_refuses_a_branch_at_neither_end(tw, monday):
    TransitSettings.objects.create(late_after_days=2, missing_after_days=10)
    _, _, transit = shipped_for_hold(tw, monday)
    with pytest.raises(TransitError, match="Only Riverton Main or Pine Creek"):
        transit_desk.declare_missing(tw.central, tw.elk_main, transit)


def test_it_receives_an_item_found_after_it_was_declared_missing(tw, monday):
    TransitSettings.objects.create(late_after_days=0, missing_after_days=0)
    item = copy_of(tw, "31000000000029", at=tw.pine_main, home=tw.riv_main)
    from onelibrary.circulation.actions import check_in

    check_in(tw.desk_pine, tw.pine_main, item, now=monday)
    crates.ship_loose(tw.desk_pine, tw.pine_main, item, now=monday)
    transit = Transit.objects.get(item=item)
    transit_desk.declare_missing(tw.desk_pine, tw.pine_main, transit, now=monday + 10 * DAY)
    outcome = check_in(tw.desk_riv, tw.riv_main, item, now=monday + 20 * DAY)
    assert outcome.decision == "CHECKIN-9"
    transit.refresh_from_db()
    assert transit.state == "received"
    assert TransitEvent.objects.filter(transit=transit, kind="found").exists()
