"""Facet counting, filters and result order as plain Python (catalog/facets.py), no database."""

from __future__ import annotations

import pytest

from onelibrary.catalog.facets import (
    Candidate,
    SearchFilters,
    count_facets,
    order,
    parse_decade,
    passes,
)

LIBRARIES = {1: ("RIV", "Riverton"), 2: ("PINE", "Pine Creek"), 3: ("ELK", "Elk Valley")}


def candidate(pk: int, **fields) -> Candidate:
    fields.setdefault("score", 1.0)
    return Candidate(title_id=pk, **fields)


def test_it_counts_each_title_once_per_value():
    found = count_facets(
        [
            candidate(1, format="book", language="eng", year=1965, copies={1: (2, 1), 2: (1, 0)}),
            candidate(2, format="book", language="fre", year=1969, copies={2: (1, 1)}),
            candidate(3, format="video", language="", year=None, copies={}),
        ],
        format_labels={"book": "Book", "video": "Video"},
        language_labels={"eng": "English"},
        libraries=LIBRARIES,
    )
    assert [(f.value, f.label, f.count) for f in found.formats] == [
        ("book", "Book", 2),
        ("video", "Video", 1),
    ]
    assert [(f.value, f.label, f.count) for f in found.languages] == [
        ("eng", "English", 1),
        ("fre", "fre", 1),
    ]
    assert [(f.value, f.label, f.count) for f in found.decades] == [("1960", "1960s", 2)]
    assert [(f.value, f.count) for f in found.libraries] == [("PINE", 2), ("RIV", 1)]
    assert found.available == 2


def test_it_counts_available_at_the_chosen_library_only():
    rows = [
        candidate(1, copies={1: (1, 1), 2: (1, 0)}),
        candidate(2, copies={2: (2, 2)}),
        candidate(3, copies={1: (1, 0)}),
    ]
    kwargs = {"format_labels": {}, "language_labels": {}, "libraries": LIBRARIES}
    assert count_facets(rows, **kwargs).available == 2
    assert count_facets(rows, library_id=1, **kwargs).available == 1
    assert count_facets(rows, library_id=3, **kwargs).available == 0


def test_it_leaves_out_a_library_that_is_no_member():
    found = count_facets(
        [candidate(1, copies={99: (1, 1)})], format_labels={}, language_labels={}, libraries={}
    )
    assert found.libraries == []


@pytest.mark.parametrize(
    ("text", "decade"),
    [
        ("1990", 1990),
        ("1990s", 1990),
        (" 2020 ", 2020),
        ("1995", None),
        ("199", None),
        ("19x0", None),
        ("0990", None),
        ("9990", None),
        ("", None),
        ("-1990", None),
        ("１９９０", None),
    ],
)
def test_it_reads_a_decade_or_nothing(text, decade):
    assert parse_decade(text) == decade


def test_it_reads_filters_from_a_query_string_leniently():
    filters = SearchFilters.from_params(
        {"format": "book", "language": "ENGLISH", "decade": "19x0", "available": "1"}
    )
    assert filters == SearchFilters(format="book", available=True)
    assert filters.params() == {"format": "book", "available": "1"}
    assert filters.without("available") == SearchFilters(format="book")
    assert not SearchFilters().active and filters.active


def test_it_applies_filters_as_the_sql_does():
    dune = candidate(1, format="book", language="eng", year=1965, copies={1: (1, 0), 2: (1, 1)})
    assert passes(dune, SearchFilters(format="book", decade=1960), None)
    assert not passes(dune, SearchFilters(format="video"), None)
    assert not passes(dune, SearchFilters(decade=1970), None)
    assert not passes(dune, SearchFilters(language="fre"), None)
    assert passes(dune, SearchFilters(library="RIV"), 1)
    assert not passes(dune, SearchFilters(library="RIV", available=True), 1)
    assert passes(dune, SearchFilters(library="PINE", available=True), 2)
    assert not passes(dune, SearchFilters(library="NOPE"), 0)
    assert not passes(candidate(2, copies={1: (2, 0)}), SearchFilters(available=True), None)


def test_it_puts_an_exact_title_first_then_the_score():
    rows = [
        candidate(1, score=9.0, title="Dune messiah"),
        candidate(2, score=2.0, title="Dune", exact_title=True),
        candidate(3, score=5.0, title="Children of Dune"),
    ]
    order(rows, "relevance")
    assert [c.title_id for c in rows] == [2, 1, 3]


def test_it_breaks_a_tie_with_an_available_copy_then_the_title():
    rows = [
        candidate(1, score=3.0, title="B", copies={1: (1, 0)}),
        candidate(2, score=3.0, title="C", copies={1: (1, 1)}),
        candidate(3, score=3.0, title="A", copies={}),
        candidate(4, score=3.5, title="Z", copies={}),
    ]
    order(rows, "relevance")
    assert [c.title_id for c in rows] == [4, 2, 3, 1]


def test_it_sorts_newest_first_with_undated_titles_last():
    rows = [
        candidate(1, year=None, title="A"),
        candidate(2, year=1990, title="B"),
        candidate(3, year=2020, title="C"),
    ]
    order(rows, "newest")
    assert [c.title_id for c in rows] == [3, 2, 1]


def test_it_sorts_by_title_ignoring_case():
    rows = [candidate(1, title="banana"), candidate(2, title="Apple"), candidate(3, title="cherry")]
    order(rows, "title")
    assert [c.title_id for c in rows] == [2, 1, 3]
