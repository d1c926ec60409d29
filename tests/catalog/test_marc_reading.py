"""Reading MARC files with catalog/marc.py: encodings, XML shapes, broken records. No DB."""

from __future__ import annotations

import io
from pathlib import Path

import pymarc

from onelibrary.catalog.marc import PROFILE_949, BadRecord, BibRecord
from onelibrary.catalog.marcfile import read_marc


def read(data: bytes) -> list[BibRecord | BadRecord]:
    return list(read_marc(io.BytesIO(data), PROFILE_949))


def good(found: list[BibRecord | BadRecord]) -> list[BibRecord]:
    return [r for r in found if isinstance(r, BibRecord)]


def bad(found: list[BibRecord | BadRecord]) -> list[BadRecord]:
    return [r for r in found if isinstance(r, BadRecord)]


def test_it_reads_utf8_records_whose_leader_09_is_blank(shared_data: Path):
    data = (shared_data / "FSL.marc").read_bytes()
    assert data[9:10] == b" "  # the records do not say they are UTF-8
    records = good(read(data))
    assert len(records) == 52
    titles = {r.title for r in records}
    assert "Люди с чистой совестью : [Воспоминания]" in titles
    armenian = next(r for r in records if r.title.startswith("Գործնական քերականութիւն"))
    assert armenian.title.startswith("Գործնական քերականութիւն գերմանէրեն լեզուի :")
    assert armenian.author == "Օթթո, Էմիլ"
    assert armenian.language == "arm"


def test_it_reads_marc8_records_and_stores_them_as_utf8(shared_data: Path):
    records = good(read((shared_data / "jazz_1k.mrc").read_bytes()))
    koln = next(r for r in records if r.title == "The Köln concert")
    assert koln.author == "Jarrett, Keith"
    assert any(r.author.startswith("Tormé, Mel") for r in records)
    stored = pymarc.Record(koln.marc)  # no force_utf8: Leader/09 must say UTF-8 itself
    assert stored.leader[9] == "a"
    assert stored["245"]["a"].startswith("The Köln concert")
    assert not stored.get_fields("949")


def test_it_reads_a_file_whose_records_differ_in_encoding(shared_data: Path):
    records = good(read((shared_data / "map_data.mrc").read_bytes()))
    notes = [f.value() for r in records for f in pymarc.Record(r.marc).get_fields("500")]
    assert any("François E. Matthes" in note for note in notes)  # UTF-8, blank Leader/09


def test_it_keeps_the_source_bytes_and_their_hash(shared_data: Path):
    data = (shared_data / "jazz_1k.mrc").read_bytes()
    first = good(read(data))[0]
    assert data.startswith(first.source)
    assert len(first.record_hash) == 64
    assert [c.barcode for c in first.copies] == ["30007007467409"]


def test_it_reads_marcxml_with_several_roots_and_no_collection(shared_data: Path):
    records = good(read((shared_data / "serials_marc21.xml").read_bytes()))
    assert len(records) == 7
    assert records[0].title == "Circulation research"
    assert {r.format for r in records} == {"serial"}


def test_it_reads_marcxml_behind_a_bom_and_blank_lines(shared_data: Path):
    data = b"\xef\xbb\xbf\n\n" + (shared_data / "badisbns.xml").read_bytes()
    assert len(good(read(data))) == 10


def test_it_reports_where_xml_breaks_off_after_the_good_records(shared_data: Path):
    data = (shared_data / "badisbns.xml").read_bytes()
    cut = data.index(b"<record>", data.index(b"<record>", data.index(b"<record>") + 1) + 1) + 40
    found = read(data[:cut])
    assert len(good(found)) == 2
    assert [(r.position, r.reason.split(" (")[0]) for r in bad(found)] == [
        (3, "XML cannot be read from here on")
    ]


def test_it_refuses_holdings_records(shared_data: Path):
    found = read((shared_data / "serials_mfhd.xml").read_bytes())
    assert not good(found)
    assert {r.reason for r in bad(found)} == {"a holdings (MFHD) record, not a bibliographic one"}


def test_it_reports_a_bad_leader_and_reads_on(shared_data: Path):
    found = read((shared_data / "oss.marc").read_bytes())
    assert [(r.position, r.reason) for r in bad(found)] == [
        (28, "leader is invalid (it has non-ASCII bytes)")
    ]
    assert len(good(found)) == 41
    assert found[28].position == 29


def test_it_reads_the_records_of_a_truncated_file_up_to_the_cut(shared_data: Path):
    data = (shared_data / "jazz_1k.mrc").read_bytes()
    found = read(data[:10_000])
    whole = data[:10_000].count(b"\x1d")
    assert len(good(found)) == whole
    assert [(r.position, r.reason) for r in bad(found)] == [
        (whole + 1, "record is truncated: the file ends inside it")
    ]


def test_it_skips_a_record_whose_length_is_garbage_and_reads_on(shared_data: Path):
    data = bytearray((shared_data / "jazz_1k.mrc").read_bytes())
    third = data.index(b"\x1d", data.index(b"\x1d") + 1) + 1
    data[third : third + 5] = b"x9z!?"
    found = read(bytes(data))
    assert [(r.position, r.reason) for r in bad(found)] == [
        (3, "record length in the leader is not a number")
    ]
    assert len(good(found)) == 999
    assert found[3].position == 4


def test_it_skips_a_record_whose_length_lies_and_reads_on(shared_data: Path):
    data = bytearray((shared_data / "jazz_1k.mrc").read_bytes())
    second = data.index(b"\x1d") + 1
    data[second : second + 5] = b"%05d" % (int(data[second : second + 5]) - 7)
    found = read(bytes(data))
    assert [r.position for r in bad(found)] == [2]
    assert len(good(found)) == 999


def test_it_reports_a_bad_directory_and_reads_on(shared_data: Path):
    data = bytearray((shared_data / "jazz_1k.mrc").read_bytes())
    data[24 + 3 : 24 + 7] = b"ab!d"  # the length of record 1's first field
    found = read(bytes(data))
    assert [r.position for r in bad(found)] == [1]
    assert bad(found)[0].reason.startswith("directory is invalid")
    assert len(good(found)) == 999


def test_it_lists_invalid_isbns_without_failing(shared_data: Path):
    records = good(read((shared_data / "badisbns.xml").read_bytes()))
    assert len(records) == 10
    assert [text for r in records for text in r.bad_isbns] == ["8901452100503"]
    farthest = next(r for r in records if r.title.startswith("The farthest shore"))
    assert farthest.isbns == ("9780553204308", "9780553268478")
    assert farthest.oclc_numbers == ("25104511",)


def test_it_leaves_cancelled_isbns_in_020_z_alone(shared_data: Path):
    records = good(read((shared_data / "badisbns.xml").read_bytes()))
    tom = next(r for r in records if r.title.startswith("Tom's midnight garden"))
    assert tom.isbns == ()  # 020 $z 0440487331pbk. is a valid ISBN, but cancelled


def marcxml_with_a_short_leader(count: int, short_at: int) -> bytes:
    """`count` generated MARCXML records; the one at `short_at` has a 20-character leader."""
    parts = [
        b'<?xml version="1.0" encoding="UTF-8"?>\n<collection xmlns="http://www.loc.gov/MARC21/slim">'
    ]
    for position in range(1, count + 1):
        leader = "00000nam a22" if position == short_at else "00000nam a2200000 a 4500"
        parts.append(
            f"<record><leader>{leader}</leader>"
            f'<controlfield tag="001">gen{position}</controlfield>'
            f'<datafield tag="245" ind1="0" ind2="0"><subfield code="a">Title {position}</subfield>'
            f"</datafield></record>".encode()
        )
    parts.append(b"</collection>")
    return b"\n".join(parts)


def test_it_refuses_an_xml_record_with_a_short_leader_and_reads_on():
    found = read(marcxml_with_a_short_leader(700, 651))

    assert [(r.position, r.reason) for r in bad(found)] == [
        (651, "leader is invalid: it has 12 characters, MARC needs 24")
    ]
    assert len(good(found)) == 699
    assert [r.position for r in found] == list(range(1, 701))
    assert good(found)[-1].title == "Title 700"
