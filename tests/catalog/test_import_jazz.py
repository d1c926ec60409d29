"""Importing Evergreen's jazz_1k.mrc and FSL.marc (catalog/importer.py)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pymarc

from onelibrary.catalog.importer import import_marc
from onelibrary.catalog.models import Item, Title, TitleSource
from onelibrary.members.models import Branch, Library


def words(text: str | None) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", (text or "").lower()).split())


def expected_jazz(path: Path) -> tuple[int, int, int]:
    """(records, distinct titles, copies) counted straight from the file with pymarc.

    A title here is 245 $a, the main entry's surname, 008 date and Leader/06, as plain
    words: no two jazz records share an ISBN or an OCLC number, so that is the whole
    matching rule for this file.
    """
    records = [r for r in pymarc.MARCReader(path.read_bytes(), hide_utf8_warnings=True)]
    assert all(r is not None for r in records)
    isbns = [
        re.sub(r"[^0-9X]", "", text.split()[0])
        for r in records
        for f in r.get_fields("020")
        for text in f.get_subfields("a")
    ]
    assert len(isbns) == len(set(isbns))
    oclc = [f.value() for r in records for f in r.get_fields("035") if "OCoLC" in f.value()]
    assert len(oclc) == len(set(oclc))
    titles = set()
    for r in records:
        main = r.get("100") or r.get("110") or r.get("111")
        surname = words((main.get("a") or "").split(",")[0]) if main else ""
        titles.add((words(r["245"].get("a")), surname, r["008"].data[7:11], r.leader[6]))
    barcodes = {b for r in records for f in r.get_fields("949") for b in f.get_subfields("i")}
    copies = sum(len(r.get_fields("949")) for r in records)
    assert len(barcodes) == copies  # no barcode twice in the file
    return len(records), len(titles), copies


def test_it_imports_every_distinct_title_and_every_copy(world, shared_data):
    path = shared_data / "jazz_1k.mrc"
    records, titles, copies = expected_jazz(path)
    assert (records, titles, copies) == (1000, 995, 1238)  # five CD + score kits collapse

    summary = import_marc([path], library=world.riverton)

    assert summary.records_read == records
    assert summary.titles_created == titles
    assert summary.titles_merged == records - titles
    assert summary.items_created == copies
    assert summary.items_present == 0
    assert summary.rejected == []
    assert Title.objects.count() == titles + 1  # and the world's Dune
    assert Item.objects.filter(owning_library=world.riverton).count() == copies + 1
    assert TitleSource.objects.filter(library=world.riverton).count() == records


def test_it_changes_nothing_when_the_same_file_comes_again(world, shared_data):
    path = shared_data / "jazz_1k.mrc"
    import_marc([path], library=world.riverton)
    counts = (Title.objects.count(), Item.objects.count(), TitleSource.objects.count())

    again = import_marc([path], library=world.riverton)

    assert (again.titles_created, again.items_created) == (0, 0)
    assert again.items_present == 1238
    assert again.titles_merged == 1000
    assert again.rejected == []
    assert (Title.objects.count(), Item.objects.count(), TitleSource.objects.count()) == counts


def test_it_shelves_copies_at_the_first_active_branch_when_949_m_names_none(world, shared_data):
    summary = import_marc([shared_data / "jazz_1k.mrc"], library=world.riverton)

    assert summary.branch_fallbacks == 1238
    assert any("'HUNTINGTON'" in w and "RIV-MAIN" in w for w in summary.warnings)
    assert set(Item.objects.filter(owning_library=world.riverton).values_list(
        "home_branch__code", "current_branch__code"
    )) == {("RIV-MAIN", "RIV-MAIN")}  # fmt: skip


def test_it_shelves_copies_at_the_branch_949_m_names_by_code_or_name(db, shared_data):
    hunt = Library.objects.create(code="HUNT", name="Huntington", size_class="city")
    Branch.objects.create(library=hunt, code="MAIN", name="Main", is_active=False)
    Branch.objects.create(library=hunt, code="HUNTINGTON", name="Huntington Hall")
    Branch.objects.create(library=hunt, code="DES", name="Desmarais Library")

    summary = import_marc([shared_data / "jazz_1k.mrc"], library=hunt)

    assert summary.branch_fallbacks == 0
    by_branch = {
        code: Item.objects.filter(home_branch__code=code).count()
        for code in ("MAIN", "HUNTINGTON", "DES")
    }
    assert by_branch == {"MAIN": 0, "HUNTINGTON": 1215, "DES": 23}


def test_it_maps_the_949_subfields_onto_the_item_and_the_record_onto_the_title(world, shared_data):
    import_marc([shared_data / "jazz_1k.mrc"], library=world.riverton)

    item = Item.objects.select_related("title").get(barcode="30007007467409")
    assert (item.item_type, item.shelf_location, item.collection) == (
        "music_cd",
        "HUNT-AUDIO",
        "COMPDISCS",
    )
    assert (item.call_number, item.holdable, item.status) == ("5490", True, "available")
    assert item.owning_library == world.riverton
    title = item.title
    assert (title.title, title.author, title.publisher) == (
        "Friendly fire",
        "Lovano, Joe, 1952-",
        "Blue Note",
    )
    assert (title.format, title.year, title.language) == ("music", 1999, "eng")
    assert title.subject_list == ["Saxophone with jazz ensemble"]
    assert title.title_key == "friendly fire|lovano|1999"
    priced = Item.objects.exclude(price=None).first()
    assert priced is not None and priced.price > 0


def test_it_stores_the_title_as_utf8_marc_without_holdings_and_the_source_as_sent(
    world, shared_data
):
    data = (shared_data / "jazz_1k.mrc").read_bytes()
    import_marc([shared_data / "jazz_1k.mrc"], library=world.riverton)

    first = data[: data.index(b"\x1d") + 1]
    source = TitleSource.objects.get(record_hash=hashlib.sha256(first).hexdigest())
    assert bytes(source.marc) == first
    assert source.control_number == "03-0018137"
    record = pymarc.Record(bytes(source.title.marc))
    assert record.leader[9] == "a"
    assert record["245"]["a"] == "Friendly fire /"
    assert not record.get_fields("949")


def test_it_keeps_cyrillic_and_armenian_intact(world, shared_data):
    summary = import_marc([shared_data / "FSL.marc"], library=world.elk)

    assert summary.records_read == 52
    assert summary.rejected == []
    assert Title.objects.filter(title="Люди с чистой совестью : [Воспоминания]").exists()
    assert Title.objects.filter(author="Вершигора, Петр Петрович").exists()
    armenian = Title.objects.get(author="Օթթո, Էմիլ")
    assert armenian.title.startswith("Գործնական քերականութիւն գերմանէրեն լեզուի")
    assert "Էմիլ Օթթո" in pymarc.Record(bytes(armenian.marc))["245"]["c"]
