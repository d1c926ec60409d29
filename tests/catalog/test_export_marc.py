"""Export (catalog/exporter.py, `onelibrary export_marc`) and the round trip back in."""

from __future__ import annotations

import io
import json
from io import StringIO

import pymarc
import pytest
from django.core.management import CommandError, call_command

from onelibrary.catalog.exporter import export_marc
from onelibrary.catalog.importer import import_marc
from onelibrary.catalog.models import Item, Title, TitleSource


@pytest.fixture
def jazz_at_riverton(world, shared_data):
    import_marc([shared_data / "jazz_1k.mrc"], library=world.riverton)
    return world


def read_back(data: bytes, fmt: str) -> list[pymarc.Record]:
    if fmt == "marcxml":
        return pymarc.parse_xml_to_array(io.BytesIO(data))
    return list(pymarc.MARCReader(data))


@pytest.mark.parametrize("fmt", ["marc21", "marcxml"])
def test_it_writes_each_title_once_with_only_that_librarys_copies(jazz_at_riverton, fmt):
    world = jazz_at_riverton
    friendly = Item.objects.get(barcode="30007007467409").title
    Item.objects.create(
        barcode="PINE-1",
        title=friendly,
        owning_library=world.pine,
        home_branch=world.pine_main,
        current_branch=world.pine_main,
    )
    out = io.BytesIO()

    summary = export_marc(out, library=world.riverton, fmt=fmt)

    with_copies = Title.objects.filter(items__owning_library=world.riverton).distinct().count()
    assert (summary.titles, summary.items) == (with_copies, 1239)  # jazz's 1,238 and Dune
    records = read_back(out.getvalue(), fmt)
    assert len(records) == with_copies
    barcodes = [b for r in records for f in r.get_fields("949") for b in f.get_subfields("i")]
    assert len(barcodes) == 1239 and "PINE-1" not in barcodes
    friendly_record = next(r for r in records if r["245"]["a"] == "Friendly fire /")
    assert str(friendly_record["949"]) == (
        "=949  \\\\$a5490$i30007007467409$rY$tmusic_cd$lHUNT-AUDIO$mRIV-MAIN$xCOMPDISCS$u19000101"
    )
    assert all(r.leader[9] == "a" for r in records)


def test_it_writes_only_the_titles_a_library_owns_copies_of(jazz_at_riverton):
    out = io.BytesIO()
    summary = export_marc(out, library=jazz_at_riverton.pine)

    records = read_back(out.getvalue(), "marc21")
    assert (summary.titles, summary.items) == (1, 1)
    assert records[0]["245"]["a"] == "Dune"
    assert records[0]["949"]["i"] == "32000000000019"


def test_it_builds_a_record_for_a_title_that_has_none(world):
    out = io.BytesIO()
    export_marc(out, library=world.pine)

    (record,) = read_back(out.getvalue(), "marc21")
    assert record.leader[6:8] == "am"
    assert record["008"].data[7:11] == "1965" and record["008"].data[35:38] == "eng"
    assert record["020"]["a"] == "9780441013593"
    assert record["100"]["a"] == "Herbert, Frank"
    assert [f["a"] for f in record.get_fields("650")] == ["Science fiction", "Deserts"]
    assert (record["949"]["i"], record["949"]["m"]) == ("32000000000019", "PINE")


@pytest.mark.parametrize("fmt", ["marc21", "marcxml"])
def test_it_round_trips_into_another_library_onto_the_same_titles(jazz_at_riverton, tmp_path, fmt):
    world = jazz_at_riverton
    path = tmp_path / f"riv.{fmt}"
    with path.open("wb") as out:
        exported = export_marc(out, library=world.riverton, fmt=fmt)
    titles_before = Title.objects.count()

    summary = import_marc([path], library=world.elk)

    assert summary.titles_created == 0
    assert summary.titles_merged == exported.titles
    assert Title.objects.count() == titles_before
    assert TitleSource.objects.filter(library=world.elk).count() == exported.titles
    # The copies are Riverton's: the file says so by barcode, and they stay where they are.
    assert summary.items_created == 0
    assert len(summary.rejected) == exported.items
    assert {r["reason"].split(" already belongs to ")[1] for r in summary.rejected} == {
        "library RIV; not moved"
    }


def test_it_round_trips_into_the_same_library_with_nothing_new(jazz_at_riverton, tmp_path):
    path = tmp_path / "riv.mrc"
    with path.open("wb") as out:
        exported = export_marc(out, library=jazz_at_riverton.riverton)

    summary = import_marc([path], library=jazz_at_riverton.riverton)

    assert (summary.titles_created, summary.items_created) == (0, 0)
    assert summary.items_present == exported.items
    assert summary.rejected == []


def test_the_command_writes_the_file_and_reports_counts(world, tmp_path):
    target = tmp_path / "pine.xml"
    out = StringIO()
    call_command(
        "export_marc", str(target), "--library", "PINE", "--format", "marcxml", "--json", stdout=out
    )

    assert json.loads(out.getvalue().strip().splitlines()[-1]) == {
        "titles": 1,
        "items": 1,
        "file": str(target),
    }
    assert pymarc.parse_xml_to_array(str(target))[0]["949"]["i"] == "32000000000019"
    assert [p.name for p in tmp_path.iterdir()] == ["pine.xml"]


def test_the_command_refuses_an_unknown_library(world, tmp_path):
    with pytest.raises(CommandError, match="Unknown library code 'XX'"):
        call_command("export_marc", str(tmp_path / "x.mrc"), "--library", "XX")
    assert not (tmp_path / "x.mrc").exists()


def test_it_writes_the_acquisition_date_that_the_949_profile_reads_back(world):
    import datetime as dt

    from onelibrary.catalog.exporter import holdings_field
    from onelibrary.catalog.holdings import PROFILE_949, read_copy

    world.dune_riv.acquired_on = dt.date(2020, 2, 3)
    field = holdings_field(world.dune_riv, PROFILE_949)
    assert field["u"] == "20200203"
    copy = read_copy(field, PROFILE_949)
    assert copy is not None and copy.acquired_on == dt.date(2020, 2, 3)
