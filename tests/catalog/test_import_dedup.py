"""De-duplication on import: ISBN, then OCLC number, then title key; copies by barcode."""

from __future__ import annotations

from pathlib import Path

import pymarc
from django.db import IntegrityError

from onelibrary.catalog import importer
from onelibrary.catalog.importer import import_marc
from onelibrary.catalog.models import Item, Title, TitleIdentifier, TitleSource


def marc_record(
    title: str,
    *,
    author: str = "",
    year: int = 2001,
    isbns: tuple[str, ...] = (),
    oclc: str = "",
    barcodes: tuple[str, ...] = (),
    kind: str = "a",
    publisher: str = "",
    subjects: tuple[str, ...] = (),
) -> pymarc.Record:
    record = pymarc.Record(leader=f"00000n{kind}m a2200000 a 4500", force_utf8=True)
    record.add_field(pymarc.Field(tag="008", data=f"010101s{year}    xxu           000 0 eng d"))

    def add(tag: str, *pairs: tuple[str, str], ind: str = "  ") -> None:
        subfields = [pymarc.Subfield(code, value) for code, value in pairs]
        record.add_field(pymarc.Field(tag, pymarc.Indicators(*ind), subfields))

    for isbn in isbns:
        add("020", ("a", isbn))
    if oclc:
        add("035", ("a", oclc))
    if author:
        add("100", ("a", author), ind="1 ")
    add("245", ("a", title), ind="10")
    if publisher:
        add("264", ("b", publisher), ind=" 1")
    for subject in subjects:
        add("650", ("a", subject), ind=" 0")
    for barcode in barcodes:
        add("949", ("a", "FIC"), ("i", barcode), ("t", "BOOK"), ("m", "MAIN"))
    return record


def write(path: Path, *records: pymarc.Record) -> Path:
    path.write_bytes(b"".join(r.as_marc() for r in records))
    return path


def test_it_merges_the_same_title_from_two_libraries_into_one_with_both_copies(world, tmp_path):
    riv = write(
        tmp_path / "riv.mrc", marc_record("Night train", author="Lee, Ann", barcodes=("R1",))
    )
    pine = write(
        tmp_path / "pine.mrc", marc_record("Night train", author="Lee, Ann", barcodes=("P1",))
    )

    first = import_marc([riv], library=world.riverton)
    second = import_marc([pine], library=world.pine)

    assert (first.titles_created, second.titles_created, second.titles_merged) == (1, 0, 1)
    title = Title.objects.get(title="Night train")
    assert sorted(title.items.values_list("barcode", "owning_library__code")) == [
        ("P1", "PINE"),
        ("R1", "RIV"),
    ]
    assert sorted(title.sources.values_list("library__code", flat=True)) == ["PINE", "RIV"]


def test_it_matches_by_isbn_whatever_the_form_or_the_wording(world, tmp_path):
    import_marc(
        [write(tmp_path / "a.mrc", marc_record("Dust", author="Ng, Ho", isbns=("0-19-505847-X",)))],
        library=world.riverton,
    )
    other_wording = marc_record(
        "Dust : a novel", author="Someone, Else", year=1999, isbns=("9780195058475",)
    )
    summary = import_marc([write(tmp_path / "b.mrc", other_wording)], library=world.pine)

    assert (summary.titles_created, summary.titles_merged) == (0, 1)
    assert TitleIdentifier.objects.get(kind="isbn", value="9780195058475").title.title == "Dust"


def test_it_matches_by_oclc_number_when_no_isbn_matches(world, tmp_path):
    first = marc_record("Rain", oclc="(OCoLC)ocm00012345", isbns=("0863693180",))
    import_marc([write(tmp_path / "a.mrc", first)], library=world.riverton)
    second = marc_record("Rain (large type)", oclc="(OCoLC)12345", isbns=("0195206290",))

    summary = import_marc([write(tmp_path / "b.mrc", second)], library=world.pine)

    assert (summary.titles_created, summary.titles_merged) == (0, 1)
    title = Title.objects.get(title="Rain")
    assert title.oclc_number == "12345"
    assert title.isbn_list == ["9780863693182", "9780195206296"]  # the new ISBN joins
    assert set(title.identifiers.values_list("kind", "value")) == {
        ("oclc", "12345"),
        ("isbn", "9780863693182"),
        ("isbn", "9780195206296"),
    }


def test_it_matches_by_title_key_when_there_are_no_identifiers(world, tmp_path):
    import_marc(
        [write(tmp_path / "a.mrc", marc_record("The Café at Dusk /", author="Oré, Lu", year=2004))],
        library=world.riverton,
    )
    summary = import_marc(
        [write(tmp_path / "b.mrc", marc_record("Cafe at dusk", author="ORE, L.", year=2004))],
        library=world.pine,
    )

    assert (summary.titles_created, summary.titles_merged) == (0, 1)
    assert Title.objects.get(title_key="cafe at dusk|ore|2004").title == "The Café at Dusk"


def test_it_keeps_titles_apart_when_year_or_format_differ(world, tmp_path):
    path = write(
        tmp_path / "a.mrc",
        marc_record("Blue", author="Mo, Jo", year=2004),
        marc_record("Blue", author="Mo, Jo", year=2005),
        marc_record("Blue", author="Mo, Jo", year=2004, kind="j"),
    )
    summary = import_marc([path], library=world.riverton)

    assert (summary.titles_created, summary.titles_merged) == (3, 0)


def test_it_merges_records_within_one_file(world, tmp_path):
    path = write(
        tmp_path / "a.mrc",
        marc_record("Tide", isbns=("0863693180",), barcodes=("T1",)),
        marc_record("Tide", isbns=("0863693180",), barcodes=("T2",), publisher="Sea Press"),
    )
    summary = import_marc([path], library=world.riverton, batch_size=1)

    assert (summary.titles_created, summary.titles_merged, summary.items_created) == (1, 1, 2)
    assert Title.objects.get(title="Tide").items.count() == 2


def test_it_fills_blanks_on_merge_and_never_loses_what_the_title_has(world, tmp_path):
    world_dune = world.dune
    dune = marc_record(
        "DUNE /",
        author="Herbert, F.",
        year=1965,
        isbns=("0441172717",),
        publisher="Ace",
        subjects=("Science fiction", "Space colonies"),
    )
    summary = import_marc([write(tmp_path / "d.mrc", dune)], library=world.elk)

    assert summary.titles_merged == 1  # by the title key dune|herbert|1965
    world_dune.refresh_from_db()
    assert (world_dune.title, world_dune.author) == ("Dune", "Herbert, Frank")
    assert (world_dune.publisher, world_dune.year, world_dune.language) == ("Ace", 1965, "eng")
    assert world_dune.subject_list == ["Science fiction", "Deserts", "Space colonies"]
    assert world_dune.isbn_list == ["9780441013593", "9780441172719"]
    assert world_dune.identifiers.get().value == "9780441172719"
    assert bytes(world_dune.marc) == b""  # the title keeps its own record (none here)


def test_it_counts_a_copy_already_there_as_present(world, tmp_path):
    path = write(tmp_path / "a.mrc", marc_record("Echo", barcodes=("E1", "E2")))
    import_marc([path], library=world.riverton)
    grown = marc_record("Echo", barcodes=("E1", "E2", "E3"))

    summary = import_marc([write(tmp_path / "b.mrc", grown)], library=world.riverton)

    assert (summary.items_present, summary.items_created) == (2, 1)
    assert TitleSource.objects.filter(title__title="Echo").count() == 2  # two distinct records


def test_it_rejects_a_copy_whose_barcode_belongs_to_another_library(world, tmp_path):
    stolen = marc_record(
        "Dune", author="Herbert, Frank", year=1965, barcodes=("31000000000011", "P9")
    )
    summary = import_marc([write(tmp_path / "a.mrc", stolen)], library=world.pine)

    assert summary.items_created == 1
    assert summary.rejected == [
        {
            "file": str(tmp_path / "a.mrc"),
            "position": 1,
            "reason": "copy 31000000000011 already belongs to library RIV; not moved",
        }
    ]
    world.dune_riv.refresh_from_db()
    assert world.dune_riv.owning_library == world.riverton


def test_it_rejects_a_copy_whose_barcode_is_on_another_title_of_the_library(world, tmp_path):
    other = marc_record("Not Dune", barcodes=("31000000000011",))
    summary = import_marc([write(tmp_path / "a.mrc", other)], library=world.riverton)

    assert summary.items_created == 0
    assert summary.rejected[0]["reason"].startswith(
        "copy 31000000000011 already belongs to another"
    )
    assert Item.objects.get(barcode="31000000000011").title == world.dune


def test_it_indexes_every_title_it_creates_or_changes(world, tmp_path, monkeypatch):
    indexed: list[list[int]] = []
    monkeypatch.setattr(importer, "index_titles", lambda ids: indexed.append(list(ids)))
    path = write(
        tmp_path / "a.mrc",
        marc_record("Dune", author="Herbert, Frank", year=1965, barcodes=("E7",)),
        marc_record("Moss"),
    )
    import_marc([path], library=world.elk)

    moss = Title.objects.get(title="Moss")
    assert indexed == [sorted([world.dune.pk, moss.pk])]


def test_it_rejects_only_the_record_the_database_refuses(world, tmp_path, monkeypatch):
    write_batch = importer._write_batch

    def refusing(records, library, picker):
        if any(r.title == "Bad" for r in records):
            raise IntegrityError("refused for the test")
        return write_batch(records, library, picker)

    monkeypatch.setattr(importer, "_write_batch", refusing)
    path = write(tmp_path / "a.mrc", marc_record("Good"), marc_record("Bad"), marc_record("Fine"))

    summary = import_marc([path], library=world.riverton)

    assert summary.titles_created == 2
    assert [(r["position"], r["reason"]) for r in summary.rejected] == [
        (2, "the database refused it: refused for the test")
    ]
    assert set(Title.objects.values_list("title", flat=True)) == {"Dune", "Good", "Fine"}


def test_it_rejects_a_refused_record_also_in_batches_of_one(world, tmp_path, monkeypatch):
    def refusing(records, library, picker):
        raise IntegrityError("refused for the test")

    monkeypatch.setattr(importer, "_write_batch", refusing)
    path = write(tmp_path / "a.mrc", marc_record("Bad"))

    summary = import_marc([path], library=world.riverton, batch_size=1)

    assert [r["position"] for r in summary.rejected] == [1]
