"""Imported copies and the local-priority window: a collection that arrives by MARC import
is not new unless the import says so (`--new`) or its holdings date it recently."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path

import pymarc
from django.core.management import call_command
from django.utils import timezone

from onelibrary.catalog.importer import UNDATED, import_marc
from onelibrary.catalog.models import Item, Title
from onelibrary.holds import actions, queries
from onelibrary.holds.models import Hold


def elk_file(tmp_path: Path, *copies: tuple[str, str]) -> Path:
    """One made-up title with ELK copies in 949s: (barcode, acquisition date or '')."""
    record = pymarc.Record(leader="00000nam a2200000 a 4500", force_utf8=True)
    record.add_field(
        pymarc.Field("245", pymarc.Indicators("0", "0"), [pymarc.Subfield("a", "Piranesi")])
    )
    for barcode, date in copies:
        subfields = [pymarc.Subfield("i", barcode), pymarc.Subfield("m", "ELK-MAIN")]
        subfields += [pymarc.Subfield("u", date)] if date else []
        record.add_field(pymarc.Field("949", pymarc.Indicators(" ", " "), subfields))
    path = tmp_path / "elk.mrc"
    path.write_bytes(record.as_marc())
    return path


def hold_for_ben(hw, title: Title) -> Hold:
    """Ben is Pine Creek's patron: an ELK copy in its window cannot fill his hold."""
    return actions.place_hold(hw.central, hw.ben, hw.pine_main, title=title).hold


def test_an_imported_collection_is_not_new_for_local_priority(hw, tmp_path):
    import_marc([elk_file(tmp_path, ("35000000000101", ""))], library=hw.elk)

    item = Item.objects.get(barcode="35000000000101")
    assert item.acquired_on == UNDATED and item.acquired == UNDATED
    assert not queries.local_priority_applies(item.title_id, timezone.localdate())
    hold = hold_for_ben(hw, item.title)
    assert hold.state == Hold.State.ROUTED and hold.assigned_item == item


def test_an_import_with_new_puts_undated_copies_in_their_window(hw, tmp_path):
    out = StringIO()
    path = elk_file(tmp_path, ("35000000000102", ""))
    call_command("import_marc", str(path), "--library", "ELK", "--new", stdout=out)

    item = Item.objects.get(barcode="35000000000102")
    assert item.acquired_on == timezone.localdate()
    assert queries.local_priority_applies(item.title_id, timezone.localdate())
    hold = hold_for_ben(hw, item.title)
    assert hold.state == Hold.State.WAITING
    assert "local-priority window" in hold.explanation["reason"]


def test_a_copy_takes_its_acquisition_date_from_the_holdings(hw, tmp_path):
    today = timezone.localdate()
    recent = (today - dt.timedelta(days=5)).strftime("%Y%m%d")
    path = elk_file(tmp_path, ("35000000000103", recent), ("35000000000104", "2001-06-01"))
    summary = import_marc([path], library=hw.elk, new=True)  # `new` dates only undated ones

    assert summary.items_dated == 2
    old = Item.objects.get(barcode="35000000000104")
    assert old.acquired_on == dt.date(2001, 6, 1)
    recent_copy = Item.objects.get(barcode="35000000000103")
    assert recent_copy.acquired == today - dt.timedelta(days=5)
    assert queries.local_priority_applies(old.title_id, today)  # the recent copy's window
    recent_copy.status = Item.Status.WITHDRAWN  # the old copy alone is not new
    recent_copy.save(update_fields=["status"])
    assert not queries.local_priority_applies(old.title_id, today)


def test_a_copy_without_an_acquisition_date_is_new_from_the_day_it_was_added(hw):
    title = Title.objects.create(title="Hand-entered", title_key="hand-entered")
    item = Item.objects.create(
        barcode="35000000000105",
        title=title,
        owning_library=hw.elk,
        home_branch=hw.elk_main,
        current_branch=hw.elk_main,
    )
    assert item.acquired_on is None and item.acquired == timezone.localdate()
    assert queries.local_priority_applies(title.pk, timezone.localdate())
