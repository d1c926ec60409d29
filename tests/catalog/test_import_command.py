"""`onelibrary import_marc`: files, errors, the summary, and broken files."""

from __future__ import annotations

import json
from io import StringIO

import pymarc
import pytest
from django.core.management import CommandError, call_command

from onelibrary.catalog.importer import MarcImportError, import_marc
from onelibrary.catalog.models import Item, Title, TitleSource
from tests.catalog.test_marc_reading import marcxml_with_a_short_leader


def run(*args: str) -> str:
    out = StringIO()
    call_command("import_marc", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def catalog_size() -> tuple[int, int, int]:
    return Title.objects.count(), Item.objects.count(), TitleSource.objects.count()


def test_it_prints_the_summary_as_one_json_object_on_the_last_line(world, shared_data):
    out = run(str(shared_data / "FSL.marc"), "--library", "ELK", "--json")

    summary = json.loads(out.strip().splitlines()[-1])
    assert summary["records_read"] == 52
    assert summary["titles_created"] == 52
    assert (summary["items_created"], summary["items_present"]) == (0, 0)
    assert summary["rejected"] == []
    assert set(summary) >= {"titles_merged", "warnings", "branch_fallbacks"}


def test_it_prints_a_readable_summary_without_json(world, shared_data):
    out = run(str(shared_data / "oss.marc"), "--library", "pine")

    assert "records read     42" in out
    assert "rejected         1" in out
    assert "oss.marc record 28: leader is invalid" in out


def test_it_refuses_an_unknown_library_and_changes_nothing(world, shared_data):
    before = catalog_size()
    with pytest.raises(CommandError) as refused:
        run(str(shared_data / "jazz_1k.mrc"), "--library", "NOPE")

    assert "Unknown library code 'NOPE'" in str(refused.value)
    assert "ELK, PINE, RIV" in str(refused.value)
    assert "onelibrary members" in str(refused.value)
    assert catalog_size() == before


def test_it_refuses_a_missing_file_before_importing_any(world, shared_data, tmp_path):
    before = catalog_size()
    with pytest.raises(CommandError) as refused:
        run(str(shared_data / "FSL.marc"), str(tmp_path / "nowhere.mrc"), "--library", "RIV")

    assert "Cannot read" in str(refused.value) and "nowhere.mrc" in str(refused.value)
    assert catalog_size() == before


def test_it_refuses_a_library_without_an_active_branch(world, shared_data):
    world.elk_main.is_active = False
    world.elk_main.save()
    with pytest.raises(MarcImportError, match="ELK has no active branch"):
        import_marc([shared_data / "jazz_1k.mrc"], library=world.elk)
    assert Title.objects.count() == 1


def test_it_imports_the_good_records_of_a_truncated_file(world, shared_data, tmp_path):
    data = (shared_data / "jazz_1k.mrc").read_bytes()
    whole = data[:200_000].count(b"\x1d")
    truncated = tmp_path / "truncated.mrc"
    truncated.write_bytes(data[:200_000])

    summary = import_marc([truncated], library=world.riverton)

    assert summary.records_read == whole + 1
    assert summary.titles_created + summary.titles_merged == whole
    assert summary.rejected == [
        {
            "file": str(truncated),
            "position": whole + 1,
            "reason": "record is truncated: the file ends inside it",
        }
    ]
    assert TitleSource.objects.count() == whole


def test_it_imports_the_records_before_and_after_a_broken_one(world, shared_data, tmp_path):
    data = bytearray((shared_data / "jazz_1k.mrc").read_bytes())
    tenth = 0
    for _ in range(9):
        tenth = data.index(b"\x1d", tenth) + 1
    data[tenth + 12 : tenth + 17] = b"99999"  # base address past the record's end
    broken = tmp_path / "broken.mrc"
    broken.write_bytes(bytes(data))

    summary = import_marc([broken], library=world.riverton, batch_size=4)

    assert [(r["position"], r["reason"]) for r in summary.rejected] == [
        (10, "base address in the leader is invalid")
    ]
    assert TitleSource.objects.count() == 999


def test_it_reports_invalid_isbns_as_warnings(world, shared_data):
    summary = import_marc([shared_data / "badisbns.xml"], library=world.riverton)

    assert summary.titles_created == 10
    assert summary.rejected == []
    assert summary.warnings == [
        f"{shared_data / 'badisbns.xml'} record 10: invalid ISBN '8901452100503' ignored"
    ]


def test_it_imports_several_files_in_one_run(world, shared_data):
    summary = import_marc(
        [shared_data / "FSL.marc", shared_data / "serials_marc21.xml"], library=world.elk
    )
    assert (summary.records_read, summary.titles_created) == (59, 59)


def test_it_rejects_holdings_without_a_barcode(world, tmp_path):
    record = pymarc.Record(leader="00000nam a2200000 a 4500", force_utf8=True)
    record.add_field(pymarc.Field("245", pymarc.Indicators("0", "0"), [pymarc.Subfield("a", "X")]))
    record.add_field(pymarc.Field("949", pymarc.Indicators(" ", " "), [pymarc.Subfield("a", "1")]))
    path = tmp_path / "x.mrc"
    path.write_bytes(record.as_marc())

    summary = import_marc([path], library=world.riverton)

    assert summary.titles_created == 1
    assert summary.rejected[0]["reason"] == (
        "1 949 field(s) without a barcode ($i, which the 949 profile needs): those copies "
        "were not imported; give them barcodes, or choose the right --profile"
    )


def test_it_draws_progress_on_stderr_only(world, shared_data):
    out, err = StringIO(), StringIO()
    call_command(
        "import_marc", str(shared_data / "FSL.marc"), "--library", "ELK", "--json",
        "--progress", stdout=out, stderr=err,
    )  # fmt: skip

    assert json.loads(out.getvalue().strip().splitlines()[-1])["records_read"] == 52
    assert len(out.getvalue().strip().splitlines()) == 1


def test_it_imports_an_xml_file_past_a_short_leader_and_prints_the_summary(world, tmp_path):
    path = tmp_path / "short-leader.xml"
    path.write_bytes(marcxml_with_a_short_leader(700, 651))

    for _ in range(2):  # a second run finds the same refusal, and everything else present
        out = run(str(path), "--library", "RIV", "--json")
        summary = json.loads(out.strip().splitlines()[-1])
        assert summary["records_read"] == 700
        assert summary["rejected"] == [
            {
                "file": str(path),
                "position": 651,
                "reason": "leader is invalid: it has 12 characters, MARC needs 24",
            }
        ]
    assert summary["titles_created"] == 0
    assert Title.objects.filter(title__in=["Title 650", "Title 652", "Title 700"]).count() == 3
    assert not Title.objects.filter(title="Title 651").exists()
