"""Holdings profiles (catalog/holdings.py): 949, 999, 952, 852, detection and its refusal."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pymarc
import pytest
from django.core.management import CommandError, call_command

from onelibrary.catalog.holdings import (
    PROFILE_852,
    PROFILE_949,
    PROFILE_952,
    PROFILE_999,
    parse_date,
    read_copy,
)
from onelibrary.catalog.importer import MarcImportError, import_marc
from onelibrary.catalog.models import Item, Title


def field(tag: str, *pairs: str) -> pymarc.Field:
    subfields = [pymarc.Subfield(p[0], p[1:]) for p in pairs]
    return pymarc.Field(tag=tag, indicators=pymarc.Indicators(" ", " "), subfields=subfields)


def marc_file(tmp_path: Path, *records: list[pymarc.Field], name: str = "in.mrc") -> Path:
    """A binary MARC file of made-up records, each a title and the given fields."""
    out = b""
    for n, fields in enumerate(records):
        record = pymarc.Record(leader="00000nam a2200000 a 4500", force_utf8=True)
        record.add_field(field("245", f"aMade-up title {n} /"))
        for f in fields:
            record.add_field(f)
        out += record.as_marc()
    path = tmp_path / name
    path.write_bytes(out)
    return path


# -- each profile on a made-up field -----------------------------------------------------


def test_it_reads_a_symphony_999():
    copy = read_copy(
        field("999", "aPS3552 .R685 D8", "wLC", "c1", "i31234000123456", "kCHECKEDOUT",
              "lSTACKS", "mRIV-MAIN", "p$24.95", "rY", "tBOOK", "u3/5/2019", "xADULT"),
        PROFILE_999,
    )  # fmt: skip
    assert copy is not None
    assert (copy.barcode, copy.call_number, copy.branch) == (
        "31234000123456",
        "PS3552 .R685 D8",
        "RIV-MAIN",
    )
    assert (copy.location, copy.item_type, copy.collection) == ("STACKS", "book", "ADULT")
    assert copy.price == Decimal("24.95")
    assert copy.acquired_on == dt.date(2019, 3, 5)
    assert copy.holdable


def test_it_reads_a_koha_952():
    copy = read_copy(
        field("952", "0" "0", "7" "0", "8FIC", "aPINE-MAIN", "bELK-MAIN", "cADULT",
              "d2021-11-30", "g18.00", "oFIC HER", "p39000000001234", "v25.00", "yBK"),
        PROFILE_952,
    )  # fmt: skip
    assert copy is not None
    assert (copy.barcode, copy.call_number, copy.branch) == (
        "39000000001234",
        "FIC HER",
        "PINE-MAIN",
    )
    assert (copy.location, copy.item_type, copy.collection) == ("ADULT", "book", "FIC")
    assert copy.price == Decimal("18.00")  # the purchase price, not the replacement one
    assert copy.acquired_on == dt.date(2021, 11, 30)
    assert copy.holdable


def test_it_marks_a_koha_copy_not_for_loan_not_holdable():
    on_order = read_copy(field("952", "p39000000001235", "7-1"), PROFILE_952)
    reference = read_copy(field("952", "p39000000001236", "71"), PROFILE_952)
    assert on_order is not None and not on_order.holdable
    assert reference is not None and not reference.holdable


def test_it_reads_an_evergreen_852_with_its_circulating_library_as_branch():
    copy = read_copy(
        field("852", "agaaagpl", "bBR1", "bBR2", "cStacks", "jG4362.C6C5 s250.C37",
              "gBOOK", "p11223344", "y12.50", "xnonreference", "xholdable", "xcirculating"),
        PROFILE_852,
    )  # fmt: skip
    assert copy is not None
    assert (copy.barcode, copy.branch, copy.location) == ("11223344", "BR2", "Stacks")
    assert (copy.call_number, copy.item_type) == ("G4362.C6C5 s250.C37", "book")
    assert copy.price == Decimal("12.50")
    assert copy.acquired_on is None  # neither Evergreen's export nor MARC's 852 has one
    assert copy.holdable


def test_it_joins_a_marc_852_call_number_and_reads_evergreens_unholdable_flag():
    copy = read_copy(
        field("852", "aDLC", "bMAIN", "kREF", "hQA76.73", "i.P98 2020", "p55500001", "xunholdable"),
        PROFILE_852,
    )
    assert copy is not None
    assert copy.call_number == "REF QA76.73 .P98 2020"
    assert not copy.holdable


def test_it_reads_the_acquisition_date_in_each_sources_form():
    assert parse_date("2021-11-30") == dt.date(2021, 11, 30)
    assert parse_date("20211130") == dt.date(2021, 11, 30)
    assert parse_date("11/30/2021") == dt.date(2021, 11, 30)  # Symphony: month first
    assert parse_date("2021-11-30 10:12:00") == dt.date(2021, 11, 30)
    assert parse_date("30/11/2021") is None
    assert parse_date("NEVER") is None


def test_it_keeps_a_date_it_cannot_read_as_a_warning_not_a_date():
    copy = read_copy(field("949", "i30007007467409", "u31/31/2020"), PROFILE_949)
    assert copy is not None
    assert (copy.acquired_on, copy.bad_date) == (None, "31/31/2020")
    never = read_copy(field("999", "i30007007467409", "uNEVER"), PROFILE_999)
    assert never is not None and never.bad_date == ""


# -- importing and detecting ---------------------------------------------------------------


def test_it_detects_a_symphony_file_and_imports_its_copies(world, tmp_path):
    path = marc_file(
        tmp_path,
        [field("999", "aQA1", "i31234000000001", "mRIV-MAIN", "tBOOK", "u20190305", "p10.00")],
        [field("999", "aQA2", "i31234000000002", "mRIV-MAIN", "tDVD")],
    )
    summary = import_marc([path], library=world.riverton)

    assert summary.profiles == {str(path): "999"}
    assert (summary.items_created, summary.items_dated) == (2, 1)
    item = Item.objects.get(barcode="31234000000001")
    assert (item.call_number, item.item_type, item.price) == ("QA1", "book", Decimal("10.00"))
    assert item.home_branch == world.riv_main
    assert item.acquired_on == dt.date(2019, 3, 5)
    assert Item.objects.get(barcode="31234000000002").item_type == "dvd"


def test_it_detects_a_koha_file_past_kohas_own_999(world, tmp_path):
    # Koha writes its record numbers in 999 $c $d: not copies, and no barcode there.
    path = marc_file(
        tmp_path,
        [field("999", "c17", "d17"), field("952", "aPINE-MAIN", "p39000000000017", "yBK")],
    )
    summary = import_marc([path], library=world.pine)

    assert summary.profiles == {str(path): "952"}
    assert Item.objects.get(barcode="39000000000017").item_type == "book"


def test_it_imports_evergreens_852_copies_from_map_data(world, shared_data):
    summary = import_marc([shared_data / "map_data.mrc"], library=world.elk)

    assert summary.profiles == {str(shared_data / "map_data.mrc"): "852"}
    assert (summary.titles_created, summary.items_created) == (3, 3)
    item = Item.objects.get(barcode="11223344")
    assert (item.shelf_location, item.price, item.holdable) == ("Stacks", Decimal("0.00"), True)
    assert item.call_number == "G4362.C6C5 s250.C37"
    assert summary.branch_fallbacks == 3  # Evergreen's BR1 is no branch of ours
    # The holdings are the copies; the title's record keeps none of them.
    assert b"11223344" not in bytes(Title.objects.get(items=item).marc)


def test_it_detects_the_949s_of_jazz_1k(world, shared_data):
    summary = import_marc([shared_data / "jazz_1k.mrc"], library=world.riverton)
    assert summary.profiles == {str(shared_data / "jazz_1k.mrc"): "949"}
    assert summary.items_created == 1238


def test_it_imports_titles_only_from_a_file_without_holdings(world, shared_data):
    summary = import_marc([shared_data / "FSL.marc"], library=world.elk)
    assert summary.profiles == {str(shared_data / "FSL.marc"): "none"}
    assert (summary.titles_created, summary.items_created, summary.rejected) == (52, 0, [])


def test_it_refuses_a_file_whose_barcodes_are_in_two_tags_and_imports_nothing(world, tmp_path):
    fine = marc_file(tmp_path, [field("999", "i31234000000001")], name="fine.mrc")
    mixed = marc_file(
        tmp_path,
        [field("999", "i31234000000003")],
        [field("952", "p39000000000003")],
        [field("952", "p39000000000004")],
        name="mixed.mrc",
    )
    with pytest.raises(MarcImportError) as refused:
        import_marc([fine, mixed], library=world.riverton)

    message = str(refused.value)
    assert f"Cannot tell which field holds the copies in {mixed}" in message
    assert "952 $p in 2 records, 999 $i in 1 record" in message
    assert "--profile 952 or --profile 999" in message
    assert (Title.objects.count(), Item.objects.count()) == (1, 2)  # world's Dune only


def test_it_reads_the_profile_it_is_told_and_warns_when_another_tag_has_barcodes(world, tmp_path):
    path = marc_file(
        tmp_path,
        [field("999", "i31234000000005")],
        [field("952", "p39000000000005", "aRIV-MAIN")],
    )
    summary = import_marc([path], library=world.riverton, profile=PROFILE_952)

    assert summary.profiles == {str(path): "952"}
    assert Item.objects.filter(barcode="39000000000005").exists()
    assert not Item.objects.filter(barcode="31234000000005").exists()

    told_949 = import_marc([path], library=world.riverton, profile=PROFILE_949)
    assert any(
        "was --profile" in w and "no 949 field has a barcode" in w for w in told_949.warnings
    )


def test_it_rejects_the_record_whose_copy_lacks_the_profiles_barcode_and_imports_the_rest(
    world, tmp_path
):
    path = marc_file(
        tmp_path,
        [field("952", "p39000000000006", "aRIV-MAIN")],
        [field("952", "aRIV-MAIN", "oNO BARCODE")],
    )
    summary = import_marc([path], library=world.riverton)

    assert (summary.titles_created, summary.items_created) == (2, 1)
    assert summary.rejected == [
        {
            "file": str(path),
            "position": 2,
            "reason": "1 952 field(s) without a barcode ($p, which the 952 profile needs): "
            "those copies were not imported; give them barcodes, or choose the right --profile",
        }
    ]


def test_the_command_takes_a_profile_and_refuses_an_unknown_one(world, tmp_path):
    path = marc_file(tmp_path, [field("952", "p39000000000007", "aELK-MAIN")])
    with pytest.raises(CommandError) as refused:
        call_command("import_marc", str(path), "--library", "ELK", "--profile", "950")
    assert "invalid choice: '950'" in str(refused.value)

    out = StringIO()
    call_command("import_marc", str(path), "--library", "ELK", "--profile", "952", stdout=out)
    assert "holdings profile" in out.getvalue() and ": 952" in out.getvalue()
    assert Item.objects.get(barcode="39000000000007").home_branch == world.elk_main
