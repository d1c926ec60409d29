"""Unpacking a received crate, scan by scan (docs/transit.md, "Unpacking": UNPACK-1 … 6):
what each scan records of the crate, the scan that is refused because the item cannot have
come in it, and undoing the last scan."""

import pytest
from django.urls import reverse

from onelibrary.circulation import transit_desk
from onelibrary.circulation.models import Event
from onelibrary.transit import crates, receiving
from onelibrary.transit.actions import TransitError
from onelibrary.transit.models import Crate, CrateItem, CrateScan, Transit, TransitEvent

from .test_crates import DAY, away, packed_crate

pytestmark = pytest.mark.django_db


def received_crate(tw, monday, barcodes):
    crate = packed_crate(tw, monday, barcodes)
    crates.close_crate(tw.desk_pine, tw.pine_main, crate, now=monday)
    crates.ship_crate(tw.desk_pine, tw.pine_main, crate, now=monday)
    assert receiving.receive_crate_scan(tw.desk_riv, tw.riv_main, crate.label).ok
    return Crate.objects.get(pk=crate.pk)


def unpack(tw, crate, barcode):
    return transit_desk.unpack_scan(tw.desk_riv, tw.riv_main, crate, barcode)


def test_it_unpack_1_marks_a_listed_item_for_this_branch_arrived(tw, monday):
    item = away(tw, "31000000000029", when=monday)
    crate = received_crate(tw, monday, [item.barcode])
    assert unpack(tw, crate, item.barcode).outcome == "arrived"
    assert CrateItem.objects.get(item=item).arrived_at is not None


def test_it_unpack_2_and_unpack_5_say_for_another_branch_and_repeat(tw, monday):
    item = away(tw, "31000000000029", when=monday)
    crate = received_crate(tw, monday, [item.barcode])
    Transit.objects.filter(item=item).update(receiver=tw.riv_east)  # packed for Eastside
    assert unpack(tw, crate, item.barcode).outcome == "other_branch"
    again = unpack(tw, crate, item.barcode)
    assert again.outcome == "repeat" and "changed nothing" in again.message


def test_it_unpack_3_keeps_an_unlisted_item_from_the_sender_as_travelled_unlisted(tw, monday):
    listed = away(tw, "31000000000029", when=monday)
    crate = received_crate(tw, monday, [listed.barcode])
    stowaway = away(tw, "31000000000037", when=monday + DAY)  # waiting at PINE, not packed
    result = unpack(tw, crate, stowaway.barcode)
    assert result.outcome == "extra" and "travelled unlisted" in result.message
    assert [s.barcode for s in receiving.reconciliation(crate).extra] == [stowaway.barcode]


def test_it_unpack_4_refuses_an_item_on_the_shelf_and_tells_the_sender_nothing(tw, monday):
    listed = away(tw, "31000000000029", when=monday)
    crate = received_crate(tw, monday, [listed.barcode])
    events, transit_events = Event.objects.count(), TransitEvent.objects.count()
    on_shelf = tw.dune_riv  # shelved at RIV-MAIN: picked up from the cart by mistake
    result = unpack(tw, crate, on_shelf.barcode)
    assert result.outcome == "refused" and result.instruction == "SET ASIDE"
    assert "cannot have come in this crate" in result.message
    assert "available, not in transit" in result.message
    assert "Nothing was recorded for the crate" in result.message
    # Nothing but the refused scan: no checkin, no transit event, not "extra".
    assert (Event.objects.count(), TransitEvent.objects.count()) == (events, transit_events)
    assert CrateScan.objects.get(barcode=on_shelf.barcode).outcome == "refused"
    report = receiving.reconcile_crate(tw.desk_riv, tw.riv_main, crate)
    assert report.extra == []
    reconciled = TransitEvent.objects.get(kind="crate_reconciled")
    assert reconciled.detail["extra"] == []


def test_it_unpack_4_refuses_an_item_travelling_between_two_other_branches(tw, monday):
    listed = away(tw, "31000000000029", when=monday)
    crate = received_crate(tw, monday, [listed.barcode])
    elsewhere = away(tw, "31000000000037", home=tw.elk_main, when=monday)
    Transit.objects.filter(item=elsewhere).update(sender=tw.elk_main, receiver=tw.pine_main)
    result = unpack(tw, crate, elsewhere.barcode)
    assert result.outcome == "refused"
    assert "in transit from Elk Valley to Pine Creek" in result.message


def test_it_unpack_6_undoes_the_last_scan_with_its_own_event(tw, monday):
    a = away(tw, "31000000000029", when=monday)
    b = away(tw, "31000000000037", when=monday)
    crate = received_crate(tw, monday, [a.barcode, b.barcode])
    unpack(tw, crate, a.barcode)
    wrong = unpack(tw, crate, b.barcode)  # still in the crate: the wrong item was scanned
    assert wrong.outcome == "arrived"
    assert receiving.last_undoable_scan(crate, tw.riv_main).barcode == b.barcode

    said = receiving.undo_last_unpack(tw.desk_riv, tw.riv_main, crate)
    assert f"The scan of Dune ({b.barcode}) is undone" in said
    assert CrateItem.objects.get(item=b).arrived_at is None
    assert CrateItem.objects.get(item=a).arrived_at is not None
    assert CrateScan.objects.get(barcode=b.barcode, stage="unpack").undone_at is not None
    undone = TransitEvent.objects.get(kind="unpack_undone")
    assert (undone.item, undone.staff, undone.detail["outcome"]) == (b, tw.desk_riv, "arrived")
    report = receiving.reconciliation(crate)
    assert [line.item for line in report.missing] == [b]
    # Only the last scan can be undone: the one before it stands.
    with pytest.raises(TransitError, match="No scan on crate .* is left to undo"):
        receiving.undo_last_unpack(tw.desk_riv, tw.riv_main, crate)
    assert CrateItem.objects.get(item=a).arrived_at is not None
    # Scanned again, it is taken out again.
    assert unpack(tw, crate, b.barcode).outcome == "arrived"


def test_it_unpack_6_undoes_an_unlisted_scan_so_the_sender_is_not_told(tw, monday):
    listed = away(tw, "31000000000029", when=monday)
    crate = received_crate(tw, monday, [listed.barcode])
    stowaway = away(tw, "31000000000037", when=monday + DAY)
    assert unpack(tw, crate, stowaway.barcode).outcome == "extra"
    receiving.undo_last_unpack(tw.desk_riv, tw.riv_main, crate)
    assert receiving.reconciliation(crate).extra == []


def test_it_unpack_6_refuses_to_undo_once_the_crate_is_reconciled(tw, monday):
    item = away(tw, "31000000000029", when=monday)
    crate = received_crate(tw, monday, [item.barcode])
    unpack(tw, crate, item.barcode)
    receiving.reconcile_crate(tw.desk_riv, tw.riv_main, crate)
    assert receiving.last_undoable_scan(Crate.objects.get(pk=crate.pk), tw.riv_main) is None
    with pytest.raises(TransitError, match="reconciled: its report is final") as refused:
        receiving.undo_last_unpack(tw.desk_riv, tw.riv_main, crate)
    assert refused.value.decision == "UNPACK-6"
    assert CrateItem.objects.get(item=item).arrived_at is not None


def test_it_offers_the_undo_on_the_crate_page_and_undoes_with_a_post(client, tw, monday):
    item = away(tw, "31000000000029", when=monday)
    crate = received_crate(tw, monday, [item.barcode])
    client.force_login(tw.desk_riv)
    client.post(reverse("desk:home"), {"branch": tw.riv_main.pk})
    url = reverse("transit:crate", kwargs={"label": crate.label})
    assert "Undo the last scan" not in client.get(url).content.decode()
    unpack(tw, crate, item.barcode)
    page = client.get(url).content.decode()
    assert "Undo the last scan" in page and reverse("transit:undo_unpack", args=[crate.label])
    done = client.post(reverse("transit:undo_unpack", args=[crate.label]), follow=True)
    text = done.content.decode()
    assert "is undone" in text and "— undone" in text
    assert CrateItem.objects.get(item=item).arrived_at is None
    again = client.post(reverse("transit:undo_unpack", args=[crate.label]), follow=True)
    assert "left to undo" in again.content.decode()
    assert TransitEvent.objects.filter(kind="unpack_undone").count() == 1
