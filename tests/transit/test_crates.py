"""A crate's life through the actions: open, scan, close, ship, receive, unpack, reconcile;
and each kind of bad scan caught, with every scan kept."""

import datetime as dt

import pytest

from onelibrary.catalog.models import Item
from onelibrary.circulation import transit_desk
from onelibrary.circulation.actions import check_in
from onelibrary.transit import crates, receiving
from onelibrary.transit.actions import TransitError
from onelibrary.transit.models import Crate, CrateScan, Transit

from .conftest import copy_of

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)


def away(tw, barcode, *, home=None, when):
    """A copy of Dune checked in at Pine Creek, away from home, so it waits to be sent."""
    item = copy_of(tw, barcode, at=tw.pine_main, home=home or tw.riv_main)
    check_in(tw.desk_pine, tw.pine_main, item, now=when)
    return item


def packed_crate(tw, monday, barcodes):
    crate = crates.open_crate(tw.desk_pine, tw.pine_main, destination=tw.riv_main, now=monday)
    for barcode in barcodes:
        result = crates.scan_into_crate(tw.desk_pine, tw.pine_main, crate, barcode, now=monday)
        assert result.outcome == "added", result.message
    return crate


def test_it_runs_a_crate_from_open_to_reconciled(tw, monday):
    a = away(tw, "31000000000029", when=monday)
    b = away(tw, "31000000000037", when=monday)
    crate = packed_crate(tw, monday, [a.barcode, b.barcode])
    assert crate.label == f"CRATE-{crate.pk:06d}"
    crates.close_crate(tw.desk_pine, tw.pine_main, crate, now=monday)
    shipped = crates.ship_crate(tw.desk_pine, tw.pine_main, crate, now=monday)
    assert shipped.state == "shipped" and shipped.expected_on is not None
    transit = Transit.objects.get(item=a)
    assert transit.state == "shipped" and transit.shipped_at == monday
    assert transit.expected_on == monday.date() + dt.timedelta(days=2)  # courier days RIV–PINE

    got = receiving.receive_crate_scan(tw.desk_riv, tw.riv_main, crate.label, now=monday + DAY)
    assert got.outcome == "received"
    for item in (a, b):
        out = transit_desk.unpack_scan(
            tw.desk_riv, tw.riv_main, crate, item.barcode, now=monday + DAY
        )
        assert out.outcome == "arrived" and out.instruction == "SHELVE"
    result = receiving.reconcile_crate(tw.desk_riv, tw.riv_main, crate, now=monday + DAY)
    assert result.matches and len(result.arrived) == 2
    assert Crate.objects.get(pk=crate.pk).state == "reconciled"
    assert set(Transit.objects.values_list("state", flat=True)) == {"received"}
    a.refresh_from_db()
    assert (a.status, a.current_branch) == (Item.Status.AVAILABLE, tw.riv_main)


def test_it_refuses_an_item_for_another_branch_and_says_where_it_goes(tw, monday):
    for_elk = away(tw, "31000000000045", home=tw.elk_main, when=monday)
    crate = crates.open_crate(tw.desk_pine, tw.pine_main, destination=tw.riv_main, now=monday)
    result = crates.scan_into_crate(tw.desk_pine, tw.pine_main, crate, for_elk.barcode, now=monday)
    assert result.outcome == "refused"
    assert "goes to Elk Valley (ELK)" in result.message
    assert "Open a crate for Elk Valley (ELK)" in result.message
    elk = crates.open_crate(tw.desk_pine, tw.pine_main, destination=tw.elk_main, now=monday)
    again = crates.scan_into_crate(tw.desk_pine, tw.pine_main, crate, for_elk.barcode, now=monday)
    assert f"Put it in crate {elk.label}" in again.message
    assert Transit.objects.get(item=for_elk).state == "waiting"
    assert CrateScan.objects.filter(crate=crate, outcome="refused").count() == 2


def test_it_keeps_a_repeated_scan_and_changes_nothing(tw, monday):
    a = away(tw, "31000000000029", when=monday)
    crate = packed_crate(tw, monday, [a.barcode])
    again = crates.scan_into_crate(tw.desk_pine, tw.pine_main, crate, a.barcode, now=monday)
    assert again.outcome == "repeat" and "already in crate" in again.message
    assert crates.active_lines(crate).count() == 1
    assert CrateScan.objects.filter(crate=crate, barcode=a.barcode).count() == 2


def test_it_moves_an_item_from_one_crate_to_another_for_the_same_place(tw, monday):
    a = away(tw, "31000000000029", when=monday)
    first = packed_crate(tw, monday, [a.barcode])
    second = crates.open_crate(tw.desk_pine, tw.pine_main, destination=tw.riv_main, now=monday)
    moved = crates.scan_into_crate(tw.desk_pine, tw.pine_main, second, a.barcode, now=monday)
    assert moved.outcome == "moved" and first.label in moved.message
    assert not crates.active_lines(first).exists()
    assert crates.active_lines(second).count() == 1


def test_it_refuses_an_item_not_travelling_and_an_unknown_barcode(tw, monday):
    crate = crates.open_crate(tw.desk_pine, tw.pine_main, destination=tw.riv_main, now=monday)
    home = crates.scan_into_crate(tw.desk_pine, tw.pine_main, crate, tw.dune_pine.barcode)
    assert "belongs on the shelf here" in home.message
    unknown = crates.scan_into_crate(tw.desk_pine, tw.pine_main, crate, "99999")
    assert unknown.outcome == "refused" and "No item in the group" in unknown.message
    assert CrateScan.objects.filter(crate=crate).count() == 2


def test_it_refuses_to_close_an_empty_crate_or_ship_an_open_one(tw, monday):
    crate = crates.open_crate(tw.desk_pine, tw.pine_main, destination=tw.riv_main, now=monday)
    with pytest.raises(TransitError, match="empty"):
        crates.close_crate(tw.desk_pine, tw.pine_main, crate)
    with pytest.raises(TransitError, match="Close crate"):
        crates.ship_crate(tw.desk_pine, tw.pine_main, crate)
    assert Crate.objects.get(pk=crate.pk).state == "open"


def test_it_reopens_a_closed_crate_to_add_a_forgotten_item(tw, monday):
    a = away(tw, "31000000000029", when=monday)
    b = away(tw, "31000000000037", when=monday)
    crate = packed_crate(tw, monday, [a.barcode])
    crates.close_crate(tw.desk_pine, tw.pine_main, crate, now=monday)
    refused = crates.scan_into_crate(tw.desk_pine, tw.pine_main, crate, b.barcode, now=monday)
    assert "Reopen it" in refused.message
    crates.reopen_crate(tw.desk_pine, tw.pine_main, crate, now=monday)
    assert crates.scan_into_crate(tw.desk_pine, tw.pine_main, crate, b.barcode).outcome == "added"


def test_it_refuses_a_crate_received_at_the_wrong_branch(tw, monday):
    a = away(tw, "31000000000029", when=monday)
    crate = packed_crate(tw, monday, [a.barcode])
    crates.close_crate(tw.desk_pine, tw.pine_main, crate, now=monday)
    crates.ship_crate(tw.desk_pine, tw.pine_main, crate, now=monday)
    wrong = receiving.receive_crate_scan(tw.desk_riv, tw.riv_east, crate.label, now=monday + DAY)
    assert wrong.outcome == "refused"
    assert "is for Riverton Main (RIV-MAIN), not Riverton Eastside" in wrong.message
    assert "give it back to the courier" in wrong.message
    assert Crate.objects.get(pk=crate.pk).state == "shipped"
    assert CrateScan.objects.filter(stage="receive", outcome="refused").count() == 1
    again = receiving.receive_crate_scan(tw.desk_riv, tw.riv_main, crate.label, now=monday + DAY)
    assert again.outcome == "received"
    repeat = receiving.receive_crate_scan(tw.desk_riv, tw.riv_main, crate.label, now=monday + DAY)
    assert repeat.outcome == "repeat"


def test_it_refuses_a_crate_never_shipped(tw, monday):
    a = away(tw, "31000000000029", when=monday)
    crate = packed_crate(tw, monday, [a.barcode])
    result = receiving.receive_crate_scan(tw.desk_riv, tw.riv_main, crate.label)
    assert result.outcome == "refused" and "never marked shipped" in result.message


def test_it_reconciles_missing_extra_other_branch_and_repeated_items(tw, monday):
    listed = away(tw, "31000000000029", when=monday)
    lost = away(tw, "31000000000037", when=monday)
    crate = packed_crate(tw, monday, [listed.barcode, lost.barcode])
    crates.close_crate(tw.desk_pine, tw.pine_main, crate, now=monday)
    crates.ship_crate(tw.desk_pine, tw.pine_main, crate, now=monday)
    # Travelled unlisted: an ELK copy that was never scanned into the crate.
    stowaway = away(tw, "31000000000045", home=tw.elk_main, when=monday)
    receiving.receive_crate_scan(tw.desk_riv, tw.riv_main, crate.label, now=monday + DAY)
    later = monday + DAY
    assert transit_desk.unpack_scan(tw.desk_riv, tw.riv_main, crate, listed.barcode, now=later).ok
    repeat = transit_desk.unpack_scan(tw.desk_riv, tw.riv_main, crate, listed.barcode, now=later)
    assert repeat.outcome == "repeat"
    extra = transit_desk.unpack_scan(tw.desk_riv, tw.riv_main, crate, stowaway.barcode, now=later)
    assert extra.outcome == "extra"
    assert "not on crate" in extra.message and "Open a crate for Elk Valley" in extra.message
    result = receiving.reconcile_crate(tw.desk_riv, tw.riv_main, crate, now=later)
    assert [line.item for line in result.missing] == [lost]
    assert [scan.barcode for scan in result.extra] == [stowaway.barcode]
    assert result.repeats == 1 and not result.matches
    assert "ask Pine Creek" in result.missing_instruction()
    assert Transit.objects.get(item=lost).state == "shipped"  # still on its way: the late list
    onward = Transit.objects.get(item=stowaway, state="waiting")
    assert (onward.sender, onward.receiver) == (tw.riv_main, tw.elk_main)


def test_it_sends_on_an_item_for_another_branch_found_in_a_hub_crate(tw, monday):
    for_main = away(tw, "31000000000029", when=monday)
    for_east = away(tw, "31000000000037", home=tw.riv_east, when=monday)
    crate = Crate.objects.create(
        label="CRATE-HUB1", origin=tw.pine_main, hub="MSL", opened_by=tw.desk_pine
    )
    for item in (for_main, for_east):  # as the hub-aware packing would put them in
        transit = Transit.objects.get(item=item)
        Transit.objects.filter(pk=transit.pk).update(state="packed", crate=crate)
        crate.lines.create(transit=transit, item=item, added_by=tw.desk_pine)
    crates.close_crate(tw.desk_pine, tw.pine_main, crate, now=monday)
    crates.ship_crate(tw.desk_pine, tw.pine_main, crate, now=monday)
    receiving.receive_crate_scan(tw.desk_riv, tw.riv_main, crate.label, now=monday + DAY)
    other = transit_desk.unpack_scan(tw.desk_riv, tw.riv_main, crate, for_east.barcode)
    assert other.outcome == "other_branch"
    assert "packed for Riverton Eastside (RIV-EAST)" in other.message
    result = receiving.reconciliation(crate)
    assert [s.barcode for s in result.other_branch] == [for_east.barcode]
    assert "another branch" in result.other_instruction()
