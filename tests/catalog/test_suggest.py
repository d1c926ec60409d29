"""Search that forgives (issue 13, Build 6): "Did you mean" from the index's own words.

Run on SQLite and PostgreSQL: the vocabulary comes from each database's own index
(fts5vocab, ts_stat).
"""

from __future__ import annotations

import pytest
from django.test import Client

from onelibrary.catalog.facets import SearchFilters
from onelibrary.catalog.models import SearchTerm, Title
from onelibrary.catalog.search import index_titles, rebuild_index
from onelibrary.catalog.suggest import closest, did_you_mean, edits
from onelibrary.catalog.terms import refresh_terms

# --- the words, without a database -------------------------------------------------


def test_it_counts_a_swap_of_two_letters_as_one_edit():
    assert edits("raod", "road", 2) == 1
    assert edits("wintr", "winter", 2) == 1
    assert edits("kitten", "sitting", 3) == 3


def test_it_stops_counting_past_the_limit():
    assert edits("winter", "summer", 2) == 3
    assert edits("a", "abcdef", 1) == 2


def test_it_prefers_the_fewest_edits_then_the_most_titles():
    vocabulary = [("winters", 50), ("winter", 3), ("winner", 90)]
    assert closest("wintr", vocabulary) == "winter"  # one edit beats more titles
    assert closest("wintet", [("winter", 3), ("wintel", 9)]) == "wintel"


def test_it_allows_one_edit_in_a_short_word_and_two_in_a_longer_one():
    assert closest("rod", [("road", 1)]) == "road"
    assert closest("rd", [("road", 1)]) is None
    assert closest("gardn", [("garden", 1)]) == "garden"
    assert closest("grdn", [("garden", 1)]) is None


# --- the catalog's own words -------------------------------------------------------


@pytest.fixture
def shelf(world):
    titles = [
        Title.objects.create(title="Winter road", author="Ostby, Kari", title_key="w1"),
        Title.objects.create(title="The winter garden", subjects="Gardening", title_key="w2"),
        Title.objects.create(title="Road atlas of Montana", subjects="Maps", title_key="w3"),
        Title.objects.create(title="Wine country", subjects="Wineries", title_key="w4"),
    ]
    rebuild_index()
    return titles


def test_it_builds_the_vocabulary_from_titles_authors_and_subjects(shelf):
    words = dict(SearchTerm.objects.values_list("term", "titles"))
    assert words["winter"] == 2 and words["road"] == 2 and words["ostby"] == 1
    assert "gardening" in words and "dune" in words and "herbert" in words
    assert "of" not in words  # shorter than a prefix search
    assert not any(w.isdigit() for w in words)  # no ISBNs


def test_it_suggests_winter_road_for_wintr_raod(shelf):
    assert did_you_mean("wintr raod") == "winter road"


def test_it_keeps_a_word_the_index_has_and_corrects_the_other(shelf):
    assert did_you_mean("winter raod") == "winter road"
    assert did_you_mean("Wintr") == "winter"


def test_it_suggests_nothing_when_the_suggestion_finds_nothing(shelf):
    # "atlas" and "garden" exist, but no title has both.
    assert did_you_mean("atlsa gardn") == ""
    assert did_you_mean("road", field="author") == ""
    assert did_you_mean("wintr", filters=SearchFilters(format="video")) == ""


def test_it_suggests_nothing_for_words_nothing_is_close_to(shelf):
    assert did_you_mean("xylophone quartet") == ""


def test_it_knows_the_words_of_a_title_indexed_since_the_last_refresh(shelf):
    new = Title.objects.create(title="Glacier lakes", title_key="g1")
    index_titles([new.pk])
    assert did_you_mean("glaceir") == "glacier"
    assert refresh_terms() == SearchTerm.objects.count()
    assert SearchTerm.objects.get(term="glacier").titles == 1


def test_it_links_the_suggestion_on_the_search_page(shelf):
    html = Client().get("/catalog/", {"q": "wintr raod"}).content.decode()
    assert "Nothing matched" in html
    assert 'Did you mean <a href="?q=winter+road&amp;field=keyword">winter road</a>?' in html
    followed = Client().get("/catalog/", {"q": "winter road"}).content.decode()
    assert "1 title for <strong>winter road</strong>" in followed


def test_it_offers_nothing_when_the_search_finds_titles(shelf):
    html = Client().get("/catalog/", {"q": "winter"}).content.decode()
    assert "Did you mean" not in html
