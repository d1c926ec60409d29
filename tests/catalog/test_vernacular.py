"""Original-script fields (880): kept at import, searched beside their romanized twins,
shown next to them with the direction and language of their script."""

from __future__ import annotations

import importlib
import io
from pathlib import Path

import pymarc
import pytest
from django.apps import apps

from onelibrary.catalog.importer import import_marc
from onelibrary.catalog.marc import vernacular_lines
from onelibrary.catalog.models import Title
from onelibrary.catalog.scripts import ScriptText
from onelibrary.catalog.search import search_titles, words

HEBREW_TITLE = "ספר הדקדוק העברי"


def datafield(tag: str, *pairs: str, indicators: str = "  ") -> pymarc.Field:
    subfields = [pymarc.Subfield(p[0], p[1:]) for p in pairs]
    return pymarc.Field(tag=tag, indicators=pymarc.Indicators(*indicators), subfields=subfields)


def hebrew_record() -> pymarc.Record:
    """A made-up Hebrew book: romanized 100/245/650, their 880 twins right to left."""
    record = pymarc.Record(leader="00000nam a2200000 a 4500", force_utf8=True)
    record.add_field(pymarc.Field(tag="008", data="200101s2020    is a          000 0 heb d"))
    record.add_field(datafield("100", "6880-01", "aGesenius, Wilhelm,", indicators="1 "))
    record.add_field(datafield("245", "6880-02", "aSefer ha-dikduk ha-ivri /", indicators="10"))
    record.add_field(datafield("650", "6880-03", "aHebrew language", "xGrammar.", indicators=" 0"))
    record.add_field(datafield("880", "6100-01/(2/r", "aגזניוס, וילהלם,", indicators="1 "))
    record.add_field(datafield("880", "6245-02/(2/r", f"a{HEBREW_TITLE} /", indicators="10"))
    record.add_field(datafield("880", "6650-03/(2/r", "aעברית", "xדקדוק.", indicators=" 0"))
    record.add_field(datafield("880", "6250-04/(2/r", "aמהדורה 2"))  # edition: kept, not indexed
    record.add_field(datafield("949", "i36000000000001", "mRIV-MAIN"))
    return record


def cyrillic_record() -> pymarc.Record:
    record = pymarc.Record(leader="00000nam a2200000 a 4500", force_utf8=True)
    record.add_field(pymarc.Field(tag="008", data="200101s2020    ru a          000 0 rus d"))
    record.add_field(datafield("245", "6880-01", "aVoĭna i mir /", indicators="10"))
    record.add_field(datafield("880", "6245-01/(N", "aВойна и мир /", indicators="10"))
    return record


def concerto_records(data: Path, ids: set[str]) -> bytes:
    """Evergreen's Concerto bib records with these ids, as one MARCXML stream: the MARCXML
    is column 13 of the COPY dump, with COPY's backslash escapes."""
    blocks = []
    for line in (data / "biblio.record_entry.sql").read_text(encoding="utf-8").splitlines()[1:]:
        if line.startswith("\\."):
            break
        columns = line.split("\t")
        if columns[0] in ids:
            blocks.append(
                columns[12].replace("\\n", "\n").replace("\\t", "\t").replace("\\\\", "\\")
            )
    return "\n".join(blocks).encode()


@pytest.fixture
def concerto(shared_data) -> Path:
    return shared_data.parent / "concerto_enhanced"


@pytest.fixture
def hebrew(world, tmp_path) -> Title:
    path = tmp_path / "hebrew.mrc"
    path.write_bytes(hebrew_record().as_marc() + cyrillic_record().as_marc())
    import_marc([path], library=world.riverton)
    return Title.objects.get(title="Sefer ha-dikduk ha-ivri")


# -- reading -----------------------------------------------------------------------------


def test_it_keeps_each_880_by_the_field_it_is_the_twin_of():
    fields: dict[str, list[pymarc.Field]] = {}
    for field in hebrew_record().fields:
        fields.setdefault(field.tag, []).append(field)
    assert vernacular_lines(fields).splitlines() == [
        "100\t(2/r\tגזניוס, וילהלם",
        f"245\t(2/r\t{HEBREW_TITLE}",
        "650\t(2/r\tעברית -- דקדוק",
    ]


def test_it_reads_direction_and_language_from_the_script_code():
    hebrew = ScriptText("245", HEBREW_TITLE, "(2/r", "heb")
    assert (hebrew.dir, hebrew.lang) == ("rtl", "he")
    arabic_in_an_english_book = ScriptText("100", "نجيب محفوظ", "(3", "eng")
    assert (arabic_in_an_english_book.dir, arabic_in_an_english_book.lang) == ("rtl", "und-Arab")
    chinese = ScriptText("245", "图说中国节", "$1", "chi")
    assert (chinese.dir, chinese.lang) == ("ltr", "zh")
    unknown = ScriptText("100", "開米潤", "", "eng")
    assert (unknown.dir, unknown.lang) == ("auto", "")


def test_it_splits_han_and_kana_into_one_word_per_character():
    assert words("图说中国节 = Tushuo") == ["图", "说", "中", "国", "节", "tushuo"]
    assert words("Война и мир") == ["воина", "и", "мир"]  # й folds like the query's
    assert words(HEBREW_TITLE) == ["ספר", "הדקדוק", "העברי"]


# -- importing, searching, showing -----------------------------------------------------------


def test_it_keeps_the_880s_at_import_and_leaves_the_romanized_title_as_it_was(hebrew):
    assert hebrew.author == "Gesenius, Wilhelm"
    assert hebrew.vernacular_title == ScriptText("245", HEBREW_TITLE, "(2/r", "heb")
    assert hebrew.vernacular_author is not None
    assert hebrew.vernacular_author.text == "גזניוס, וילהלם"
    record = pymarc.Record(bytes(hebrew.marc), force_utf8=True)
    assert len(record.get_fields("880")) == 4  # the edition's twin too, in the record


@pytest.mark.parametrize(
    ("query", "field"),
    [
        (HEBREW_TITLE, "keyword"),
        ("הדקדוק", "title"),
        ("גזניוס", "author"),
        ("דקדוק", "subject"),
        ("Sefer ha-dikduk", "title"),
    ],
)
def test_it_finds_a_hebrew_title_by_its_script_or_its_romanization(hebrew, query, field):
    found = search_titles(query, field=field)
    assert [hit.title_id for hit in found.hits] == [hebrew.pk]


def test_it_finds_a_cyrillic_title_and_shows_its_twin_in_the_results(hebrew):
    hits = search_titles("Война и мир").hits
    assert [hit.title for hit in hits] == ["Voĭna i mir"]
    assert hits[0].vernacular_title == ScriptText("245", "Война и мир", "(N", "rus")
    assert search_titles("мир", field="author").hits == []


def test_it_imports_evergreens_cjk_880s_and_finds_them(world, concerto, tmp_path):
    path = tmp_path / "concerto.xml"
    path.write_bytes(concerto_records(concerto, {"204", "205", "209"}))
    summary = import_marc([path], library=world.elk)
    assert (summary.records_read, summary.titles_created, summary.rejected) == (3, 3, [])

    festivals = Title.objects.get(title__startswith="Tu shuo Zhongguo jie")
    assert festivals.vernacular_title is not None
    assert festivals.vernacular_title.text == "图说中国节 = Tushuo Zhongguojie"
    assert festivals.vernacular_author is not None
    assert (festivals.vernacular_author.text, festivals.vernacular_author.dir) == ("大乔", "ltr")
    for query, field in [("图说中国节", "title"), ("中国节", "keyword"), ("大乔", "author")]:
        assert festivals.pk in [h.title_id for h in search_titles(query, field=field).hits], query

    # 205's 880s name no script ("100-01"): kept, shown with dir="auto".
    witness = Title.objects.get(title__startswith="Matsumoto Shigeharu")
    kaimai = witness.vernacular_author
    assert kaimai is not None and (kaimai.text, kaimai.dir) == ("開米潤, 1957-", "auto")
    assert witness.pk in [h.title_id for h in search_titles("松本重治").hits]  # a 600's twin
    laozi = Title.objects.get(title__startswith="Laozi shuo I")
    assert laozi.pk in [h.title_id for h in search_titles("老子说", field="title").hits]


def test_the_title_page_shows_the_original_script_right_to_left(client, hebrew):
    page = client.get(f"/catalog/titles/{hebrew.pk}/").content.decode()
    assert f'dir="rtl" lang="he">{HEBREW_TITLE}</p>' in page
    assert 'dir="rtl" lang="he">גזניוס, וילהלם</span>' in page


def test_the_results_show_the_original_script_beside_the_romanized_title(client, hebrew):
    page = client.get("/catalog/", {"q": "dikduk"}).content.decode()
    assert "Sefer ha-dikduk ha-ivri</a>" in page
    assert f'dir="rtl" lang="he">{HEBREW_TITLE}</span>' in page


def test_the_migration_reads_the_880s_of_titles_imported_before_it(world):
    title = Title.objects.create(
        title="Sefer ha-dikduk ha-ivri", title_key="sefer", marc=hebrew_record().as_marc()
    )
    migration = importlib.import_module("onelibrary.catalog.migrations.0005_title_vernacular")
    migration.read_vernacular(apps, None)

    title.refresh_from_db()
    assert title.vernacular_title is not None and title.vernacular_title.text == HEBREW_TITLE
    assert [h.title_id for h in search_titles("הדקדוק").hits] == [title.pk]


def test_it_reads_880s_from_marcxml_too(world, tmp_path):
    out = io.BytesIO()
    writer = pymarc.XMLWriter(out)
    writer.write(hebrew_record())
    writer.close(close_fh=False)
    path = tmp_path / "hebrew.xml"
    path.write_bytes(out.getvalue())
    import_marc([path], library=world.riverton)
    assert Title.objects.get(title="Sefer ha-dikduk ha-ivri").vernacular_title is not None


@pytest.mark.browser
def test_chromium_shows_the_hebrew_title_right_to_left_on_its_page(live_server, hebrew, page):
    page.set_default_timeout(30_000)  # the shared 2-core machine is often busy
    page.goto(f"{live_server.url}/catalog/?q=dikduk")
    page.get_by_role("link", name="Sefer ha-dikduk ha-ivri").click()
    page.get_by_role("heading", name="Sefer ha-dikduk ha-ivri").wait_for()

    twin = page.locator("p.vernacular")
    assert twin.inner_text() == HEBREW_TITLE
    assert (twin.get_attribute("dir"), twin.get_attribute("lang")) == ("rtl", "he")
    # The browser lays it out right to left: its text hugs the right edge of its box.
    direction = twin.evaluate("el => getComputedStyle(el).direction")
    assert direction == "rtl"
    starts_right = twin.evaluate(
        "el => { const r = document.createRange(); r.selectNodeContents(el);"
        " const text = r.getBoundingClientRect(), box = el.getBoundingClientRect();"
        " return box.right - text.right < text.left - box.left; }"
    )
    assert starts_right
