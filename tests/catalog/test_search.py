"""Catalog search: every field, ranking, hostile input, availability (catalog/search.py)."""

from __future__ import annotations

import pytest

from onelibrary.catalog.models import Item, Title, TitleIdentifier
from onelibrary.catalog.search import index_titles, normalize_isbn, rebuild_index, search_titles

DUNE_ISBN10 = "0-441-01359-7"  # the ISBN-10 form of Dune's stored 9780441013593


def make_title(**fields) -> Title:
    fields.setdefault("title_key", fields["title"].lower())
    return Title.objects.create(**fields)


@pytest.fixture
def catalog(world):
    """Dune plus a few titles chosen so each field has something to tell apart."""
    TitleIdentifier.objects.create(title=world.dune, kind="isbn", value="9780441013593")
    desert = make_title(
        title="Desert ecology of the American West",
        author="Marsh, Ruth",
        subjects="Deserts\nDune ecology",
        year=1998,
    )
    children = make_title(
        title="Children of Dune",
        author="Herbert, Frank",
        subjects="Science fiction",
        year=1976,
    )
    muller = make_title(
        title="Die Bibliothek",
        author="Müller, Jürgen",
        subjects="Bibliotheken\nGeschichte",
        language="ger",
        year=2004,
    )
    isbn_only = make_title(title="Atlas of Montana", author="", isbns="9781234567897")
    TitleIdentifier.objects.create(title=isbn_only, kind="isbn", value="9781234567897")
    index_titles([world.dune.pk, desert.pk, children.pk, muller.pk, isbn_only.pk])
    return {
        "dune": world.dune,
        "desert": desert,
        "children": children,
        "muller": muller,
        "atlas": isbn_only,
    }


def ids(results) -> list[int]:
    return [hit.title_id for hit in results.hits]


def test_it_finds_titles_by_keyword_in_any_field(catalog):
    assert set(ids(search_titles("dune"))) == {
        catalog["dune"].pk,
        catalog["desert"].pk,
        catalog["children"].pk,
    }
    assert ids(search_titles("herbert children")) == [catalog["children"].pk]


def test_it_matches_every_word_as_a_prefix(catalog):
    assert ids(search_titles("chil dun")) == [catalog["children"].pk]
    assert ids(search_titles("children du")) == []  # two letters match a whole word only
    assert ids(search_titles("dune nonexistentword")) == []


def test_it_searches_by_title_only(catalog):
    found = ids(search_titles("dune", field="title"))
    assert set(found) == {catalog["dune"].pk, catalog["children"].pk}
    assert catalog["desert"].pk not in found


def test_it_searches_by_author(catalog):
    assert set(ids(search_titles("herbert", field="author"))) == {
        catalog["dune"].pk,
        catalog["children"].pk,
    }
    assert ids(search_titles("dune", field="author")) == []


def test_it_searches_by_subject(catalog):
    assert set(ids(search_titles("deserts", field="subject"))) == {
        catalog["dune"].pk,
        catalog["desert"].pk,
    }
    assert ids(search_titles("children", field="subject")) == []


def test_it_ignores_case_and_diacritics(catalog):
    assert ids(search_titles("MULLER", field="author")) == [catalog["muller"].pk]
    assert ids(search_titles("jürgen")) == [catalog["muller"].pk]


def test_it_finds_an_isbn_13_by_its_isbn_10(catalog):
    assert ids(search_titles(DUNE_ISBN10, field="isbn")) == [catalog["dune"].pk]
    assert ids(search_titles("978-0-441-01359-3", field="isbn")) == [catalog["dune"].pk]
    assert ids(search_titles("978 0441 013593", field="isbn")) == [catalog["dune"].pk]


def test_it_finds_an_isbn_in_a_keyword_search(catalog):
    assert ids(search_titles("0441013597")) == [catalog["dune"].pk]
    assert ids(search_titles("9781234567897")) == [catalog["atlas"].pk]
    assert ids(search_titles(f"herbert {DUNE_ISBN10}")) == [catalog["dune"].pk]


def test_it_finds_nothing_for_an_unknown_or_invalid_isbn(catalog):
    assert search_titles("9780000000002", field="isbn").total == 0
    assert search_titles("not an isbn", field="isbn").total == 0


def test_it_ranks_a_title_match_above_a_subject_only_match(catalog):
    found = ids(search_titles("dune"))
    assert found.index(catalog["dune"].pk) < found.index(catalog["desert"].pk)
    assert found.index(catalog["children"].pk) < found.index(catalog["desert"].pk)


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        '"',
        '"dune',
        "*",
        "dune*",
        "AND(",
        "NOT",
        "-dune",
        "dune OR",
        "title:dune",
        "{title} : dune",
        "NEAR(dune herbert)",
        "dune & | ! <-> :*",
        "'); DROP TABLE catalog_title; --",
        "^dune",
        "\x00",
        "x" * 5000,
        "a " * 500,
        "🙂",
        "_",
    ],
)
def test_it_does_not_crash_on_weird_input(catalog, query):
    for field in ("keyword", "title", "author", "subject", "isbn"):
        results = search_titles(query, field=field)
        assert results.total == len(results.hits) or results.total > len(results.hits)
    assert Title.objects.filter(pk=catalog["dune"].pk).exists()


def test_it_treats_operators_as_words_not_syntax(catalog):
    # "dune OR desert" must require both words, not either.
    assert ids(search_titles("dune OR desert")) == []
    assert ids(search_titles('"dune"* -herbert')) != []


def test_it_returns_nothing_for_an_empty_query(catalog):
    results = search_titles("")
    assert (results.total, results.hits) == (0, [])


def test_it_counts_copies_and_available_copies_across_the_group(world, catalog):
    world.dune_pine.status = Item.Status.CHECKED_OUT
    world.dune_pine.save()
    Item.objects.create(
        barcode="33000000000017",
        title=world.dune,
        owning_library=world.elk,
        home_branch=world.elk_main,
        current_branch=world.elk_main,
    )
    Item.objects.create(
        barcode="33000000000025",
        title=world.dune,
        owning_library=world.elk,
        home_branch=world.elk_main,
        current_branch=world.elk_main,
        status=Item.Status.WITHDRAWN,
    )
    hits = {hit.title_id: hit for hit in search_titles("dune").hits}
    assert (hits[world.dune.pk].total_copies, hits[world.dune.pk].available_copies) == (3, 2)
    desert = hits[catalog["desert"].pk]
    assert (desert.total_copies, desert.available_copies) == (0, 0)


def test_it_counts_availability_in_one_query_whatever_the_page_size(
    catalog, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):
        search_titles("dune")


def test_it_pages_results(world):
    titles = [make_title(title=f"Volume {n} of the saga", year=2000 + n) for n in range(7)]
    index_titles(t.pk for t in titles)
    first = search_titles("saga", page=1, per_page=3)
    last = search_titles("saga", page=3, per_page=3)
    assert (first.total, len(first.hits), first.num_pages, first.has_next) == (7, 3, 3, True)
    assert (len(last.hits), last.has_next, last.has_previous) == (1, False, True)
    everything = ids(first) + ids(search_titles("saga", page=2, per_page=3)) + ids(last)
    assert sorted(everything) == sorted(t.pk for t in titles)


def test_it_reindexes_changed_titles_and_forgets_deleted_ones(catalog):
    desert = catalog["desert"]
    desert.title = "Sandworm habitats"
    desert.save()
    children = catalog["children"]
    children_pk = children.pk
    children.delete()
    index_titles([desert.pk, children_pk])
    assert ids(search_titles("sandworm")) == [desert.pk]
    assert children_pk not in ids(search_titles("dune"))


def test_it_indexes_a_batch_in_a_few_statements(world, django_assert_max_num_queries):
    titles = Title.objects.bulk_create(
        Title(title=f"Batch title {n}", author="Someone", title_key=f"b{n}") for n in range(500)
    )
    with django_assert_max_num_queries(8):
        index_titles(t.pk for t in titles)
    assert search_titles("batch", per_page=5).total == 500


def test_it_normalizes_isbns():
    assert normalize_isbn("0-441-01359-7") == "9780441013593"
    assert normalize_isbn("ISBN 978-0-441-01359-3") == "9780441013593"
    assert normalize_isbn("0441013598") is None
    assert normalize_isbn("") is None


def test_it_rebuilds_the_whole_index(world):
    assert search_titles("dune").total == 0  # the world's Dune was never indexed
    assert rebuild_index() == 1
    assert ids(search_titles("dune")) == [world.dune.pk]
