"""Facet counts, narrowing, relevance and bad input of the public search, on a small known
catalog (catalog/search.py and catalog.views.search). Expected figures are worked out
here from the rows themselves, never written in by hand."""

from __future__ import annotations

import random

import pytest
from django.test import Client

from onelibrary.catalog import search as search_module
from onelibrary.catalog.facets import SearchFilters
from onelibrary.catalog.models import Item, Title
from onelibrary.catalog.search import index_titles, search_titles

FORMATS = ["book", "book", "book", "video", "large_print", "music"]
LANGUAGES = ["eng", "eng", "eng", "spa", "fre", ""]
STATUSES = ["available", "available", "checked_out", "in_transit", "withdrawn"]
WORDS = ["river", "mountain", "prairie", "winter", "harvest"]


@pytest.fixture
def shelf(world):
    """60 titles with seeded formats, languages, years and copies at RIV, PINE and ELK."""
    rng = random.Random(6)
    branches = [
        (world.riverton, world.riv_main),
        (world.pine, world.pine_main),
        (world.elk, world.elk_main),
    ]
    titles = []
    barcode = 35000000000000
    for n in range(60):
        words = rng.sample(WORDS, 2)
        title = Title.objects.create(
            title=f"{words[0].capitalize()} {words[1]} volume {n}",
            author=f"Author{n % 7}, Pat",
            subjects="Landscape" if n % 3 else "River valleys",
            format=rng.choice(FORMATS),
            language=rng.choice(LANGUAGES),
            year=rng.choice([None, 1948, 1961, 1975, 1979, 1988, 1999, 2004, 2011, 2023]),
            title_key=f"shelf{n}",
        )
        for _ in range(rng.choice([0, 1, 1, 2, 3])):
            library, branch = rng.choice(branches)
            barcode += 1
            Item.objects.create(
                barcode=str(barcode),
                title=title,
                owning_library=library,
                home_branch=branch,
                current_branch=branch,
                status=rng.choice(STATUSES),
            )
        titles.append(title)
    index_titles(t.pk for t in titles)
    return titles


def matching(shelf, word: str) -> list[Title]:
    """Titles with the word in their title or subjects (the keyword fields used here)."""
    return [t for t in shelf if word in t.title.lower() or word in t.subjects.lower()]


def copies_of(title: Title) -> list[Item]:
    return [i for i in title.items.all() if i.status != Item.Status.WITHDRAWN]


def expected_facets(titles: list[Title], library_code: str | None = None) -> dict:
    formats, languages, decades, libraries = {}, {}, {}, {}
    available = 0
    for t in titles:
        formats[t.format] = formats.get(t.format, 0) + 1
        if t.language:
            languages[t.language] = languages.get(t.language, 0) + 1
        if t.year:
            decade = str(t.year // 10 * 10)
            decades[decade] = decades.get(decade, 0) + 1
        copies = copies_of(t)
        for code in {i.owning_library.code for i in copies}:
            libraries[code] = libraries.get(code, 0) + 1
        available += any(
            i.status == "available"
            and (library_code is None or i.owning_library.code == library_code)
            for i in copies
        )
    return {
        "formats": formats,
        "languages": languages,
        "decades": decades,
        "libraries": libraries,
        "available": available,
    }


def found_facets(results) -> dict:
    f = results.facets
    return {
        "formats": {v.value: v.count for v in f.formats},
        "languages": {v.value: v.count for v in f.languages},
        "decades": {v.value: v.count for v in f.decades},
        "libraries": {v.value: v.count for v in f.libraries},
        "available": f.available,
    }


def test_it_counts_every_facet_of_a_query(shelf):
    results = search_titles("river", per_page=100)
    expected = matching(shelf, "river")
    assert results.total == len(expected)
    assert not results.capped
    assert found_facets(results) == expected_facets(expected)


@pytest.mark.parametrize(
    "filters",
    [
        SearchFilters(format="book"),
        SearchFilters(language="spa"),
        SearchFilters(decade=1970),
        SearchFilters(library="PINE"),
        SearchFilters(available=True),
        SearchFilters(library="ELK", available=True),
        SearchFilters(format="book", decade=1970, available=True),
    ],
)
def test_it_narrows_to_the_titles_with_the_chosen_facets(shelf, filters):
    def keep(t: Title) -> bool:
        copies = copies_of(t)
        if filters.library:
            copies = [i for i in copies if i.owning_library.code == filters.library]
        return (
            (not filters.format or t.format == filters.format)
            and (not filters.language or t.language == filters.language)
            and (filters.decade is None or (t.year or 0) // 10 * 10 == filters.decade)
            and (not filters.library or bool(copies))
            and (not filters.available or any(i.status == "available" for i in copies))
        )

    expected = [t for t in matching(shelf, "river") if keep(t)]
    results = search_titles("river", filters=filters, per_page=100)
    assert {h.title_id for h in results.hits} == {t.pk for t in expected}
    assert results.total == len(expected)
    assert found_facets(results) == expected_facets(expected, filters.library or None)


def test_a_selected_facet_count_is_the_narrowed_total(shelf):
    broad = search_titles("river", per_page=100)
    for value in broad.facets.formats + broad.facets.decades:
        name = "format" if value in broad.facets.formats else "decade"
        narrowed = search_titles("river", filters=SearchFilters.from_params({name: value.value}))
        assert narrowed.total == value.count, (name, value)


def test_it_shows_each_hits_copies_and_available_copies(shelf):
    for hit in search_titles("river", per_page=100).hits:
        copies = copies_of(Title.objects.get(pk=hit.title_id))
        assert hit.total_copies == len(copies)
        assert hit.available_copies == sum(i.status == "available" for i in copies)


def test_an_unknown_library_code_matches_nothing(shelf):
    assert search_titles("river", filters=SearchFilters(library="NOPE")).total == 0


def test_it_counts_facets_over_the_best_matches_when_there_are_too_many(shelf, monkeypatch):
    monkeypatch.setattr(search_module, "CANDIDATES", 5)
    results = search_titles("river", per_page=2)
    expected = matching(shelf, "river")
    assert results.total == len(expected) and results.capped
    assert results.counted == 5
    assert sum(v.count for v in results.facets.formats) == 5
    assert results.num_pages == 3  # the five counted, two a page
    assert search_titles("river", per_page=2, page=99).page_clamped


def test_it_filters_an_isbn_lookup_too(world):
    world.dune.isbns = "9780441013593"
    index_titles([world.dune.pk])
    assert search_titles("0441013597", field="isbn").total == 1
    assert (
        search_titles("0441013597", field="isbn", filters=SearchFilters(format="video")).total == 0
    )
    pine = SearchFilters(library="PINE", available=True)
    assert search_titles("0441013597", field="isbn", filters=pine).total == 1


# --- relevance -------------------------------------------------------------------------


def make(title: str, **fields) -> Title:
    fields.setdefault("title_key", title.lower())
    return Title.objects.create(title=title, **fields)


@pytest.fixture
def ranked(world):
    titles = {
        "subject": make("Field notes", author="Ames, Lee", subjects="Beekeeping"),
        "author": make("Field notes two", author="Beekeeping, Ann", subjects="Insects"),
        "title": make("A year of beekeeping practice", author="Cole, Max"),
        "exact": make("Beekeeping", author="Dunn, Ray", year=1990),
        "long": make("Beekeeping for the busy: bees, hives, honey and the seasons", year=2020),
    }
    index_titles(t.pk for t in titles.values())
    return titles


def order_of(query: str, **kwargs) -> list[int]:
    return [h.title_id for h in search_titles(query, **kwargs).hits]


def test_it_ranks_exact_title_then_title_then_author_then_subject(ranked):
    found = order_of("beekeeping")
    position = {name: found.index(t.pk) for name, t in ranked.items()}
    assert position["exact"] == 0
    assert position["title"] < position["author"] < position["subject"]
    assert position["long"] < position["author"]


def test_it_breaks_ties_with_an_available_copy(world):
    first = make("Hives")
    second = make("Hives")
    index_titles([first.pk, second.pk])
    assert order_of("hives") == [first.pk, second.pk]  # same score, same title: by id
    Item.objects.create(
        barcode="36000000000001",
        title=second,
        owning_library=world.pine,
        home_branch=world.pine_main,
        current_branch=world.pine_main,
    )
    assert order_of("hives") == [second.pk, first.pk]


def test_it_sorts_by_newest_and_by_title(ranked):
    newest = order_of("beekeeping", sort="newest")
    assert newest[:2] == [ranked["long"].pk, ranked["exact"].pk]
    by_title = [h.title for h in search_titles("beekeeping", sort="title").hits]
    assert by_title == sorted(by_title, key=str.casefold)


# --- the page: bad input gets a message, never a 500 --------------------------------------


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": "river", "format": "scroll"}, "There is no format “scroll”"),
        ({"q": "river", "decade": "19x0"}, "“19x0” is not a decade"),
        ({"q": "river", "decade": "1975"}, "“1975” is not a decade"),
        ({"q": "river", "language": "english!"}, "is not a language code"),
        ({"q": "river", "library": "NOPE"}, "No member library has the code “NOPE”"),
        ({"q": "river", "page": "abc"}, "Page must be a whole number."),
        ({"q": "river", "page": "99999999999999999999"}, "is past the end"),
        ({"format": "book"}, "Type at least one word"),
        ({"q": "river", "sort": "price"}, "Select a valid choice"),
    ],
)
def test_it_explains_bad_input_and_still_answers(shelf, params, message):
    response = Client().get("/catalog/", params)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_it_searches_without_the_bad_facet(shelf):
    html = Client().get("/catalog/", {"q": "river", "format": "scroll"}).content.decode()
    assert f"{len(matching(shelf, 'river'))} titles for" in html


def test_facet_links_and_chips_carry_the_whole_search(shelf):
    html = Client().get("/catalog/", {"q": "river", "format": "book"}).content.decode()
    assert 'href="?q=river&amp;field=keyword&amp;format=book&amp;decade=' in html
    assert 'aria-label="Remove Format: Book" href="?q=river&amp;field=keyword"' in html or (
        'href="?q=river&amp;field=keyword" aria-label="Remove Format: Book"' in html
    )
    assert '<input type="hidden" name="format" value="book" form="search-form">' in html


def test_it_pages_with_the_facets_kept(shelf):
    html = Client().get("/catalog/", {"q": "river volume"}).content.decode()
    total = len(matching(shelf, "river"))
    assert f"1–20 of {total} titles" in html
    narrowed = Client().get("/catalog/", {"q": "river", "available": "1", "page": "2"})
    assert narrowed.status_code == 200


def test_a_title_match_is_found_however_many_other_titles_match(world, monkeypatch):
    monkeypatch.setattr(search_module, "CORE", 3)
    newer = [make(f"Field notes {n}", subjects="Beekeeping") for n in range(6)]
    exact = make("Beekeeping")  # after the first CORE matches: found by the title pass
    index_titles([exact.pk, *(t.pk for t in newer)])
    monkeypatch.setattr(search_module, "TITLE_CORE", 2)
    results = search_titles("beekeeping")
    assert (results.total, results.more) == (3, True)  # "more than 3"
    assert results.hits[0].title_id == exact.pk
    # A field search has one pass: the first CORE matches the index yields, only. Which
    # three is the index's order (PostgreSQL's GIN gives no fixed one), so only that they
    # are three of the subject's titles, and not the exact title, which has no subject.
    by_subject = [h.title_id for h in search_titles("beekeeping", field="subject").hits]
    assert len(by_subject) == 3 and set(by_subject) <= {t.pk for t in newer}


def test_it_counts_up_to_the_core_and_then_says_more_than(shelf, monkeypatch):
    monkeypatch.setattr(search_module, "CANDIDATES", 5)
    monkeypatch.setattr(search_module, "CORE", 8)
    assert len(matching(shelf, "river")) > 8
    results = search_titles("river")
    assert (results.total, results.more, results.counted) == (8, True, 5)
    html = Client().get("/catalog/", {"q": "river"}).content.decode()
    assert "more than 8 titles" in html
