"""Search results with availability and paging (catalog.views.search)."""

from django.test import Client

from onelibrary.catalog.models import Item, Title
from onelibrary.catalog.search import index_titles


def test_it_lists_matches_with_group_availability(indexed_world):
    world = indexed_world
    world.dune_pine.status = Item.Status.CHECKED_OUT
    world.dune_pine.save()
    response = Client().get("/catalog/", {"q": "dune"})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="/catalog/titles/{world.dune.pk}/"' in html
    assert "1 of 2 available" in html
    assert "Herbert, Frank" in html


def test_it_searches_in_the_chosen_field(indexed_world):
    assert "Dune" in Client().get("/catalog/", {"q": "herbert", "field": "author"}).content.decode()
    nothing = Client().get("/catalog/", {"q": "herbert", "field": "title"}).content.decode()
    assert "Nothing matched" in nothing


def test_it_finds_by_isbn_10(indexed_world):
    html = Client().get("/catalog/", {"q": "0441013597", "field": "isbn"}).content.decode()
    assert f"/catalog/titles/{indexed_world.dune.pk}/" in html


def test_it_pages_through_results(world):
    titles = [
        Title.objects.create(title=f"River tales {n:02}", title_key=f"river{n}") for n in range(25)
    ]
    index_titles(t.pk for t in titles)
    first = Client().get("/catalog/", {"q": "river"}).content.decode()
    assert "1–20 of 25 titles" in first
    assert "Page 1 of 2" in first
    assert 'href="?q=river&amp;field=keyword&amp;page=2"' in first
    second = Client().get("/catalog/", {"q": "river", "page": 2}).content.decode()
    assert "21–25 of 25 titles" in second
    assert 'rel="prev"' in second and 'rel="next"' not in second


def test_it_handles_empty_and_hostile_queries(world):
    for params in [{}, {"q": ""}, {"q": '"*AND( -'}, {"q": "x\x00y"}, {"page": "abc"}]:
        assert Client().get("/catalog/", params).status_code == 200
    assert "Type a word" in Client().get("/catalog/").content.decode()


def test_it_answers_htmx_with_the_results_alone(indexed_world):
    response = Client().get("/catalog/", {"q": "dune"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "Dune" in html
    assert "<html" not in html


def test_it_says_the_answer_varies_on_htmx_and_restores_history_with_the_page(indexed_world):
    """Bug 1 (issue 13): Back showed the cached fragment as the page."""
    page = Client().get("/catalog/", {"q": "dune"})
    assert "HX-Request" in page["Vary"] and "Cookie" in page["Vary"]
    restore = Client().get(
        "/catalog/", {"q": "dune"}, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )
    assert "<html" in restore.content.decode()
    assert "HX-History-Restore-Request" in restore["Vary"]


def test_it_answers_a_2000_character_query_with_one_clear_message(world):
    """Bug 10 (issue 13): Django's stock message sat under a contradictory one (left out
    / shorten it)."""
    html = Client().get("/catalog/", {"q": "dune " * 399 + "dunes"}).content.decode()
    assert "This search is 2000 characters long; a search can be at most 500." in html
    assert "Ensure this value" not in html
    assert "left out" not in html
    assert html.count('role="alert"') == 1


def test_it_still_lists_a_bad_facet_as_left_out(world):
    html = Client().get("/catalog/", {"q": "dune", "format": "scroll"}).content.decode()
    assert "could not be used, so it was left out" in html and "no format “scroll”" in html


def test_it_names_languages_in_the_facet_the_chip_and_the_title_page(indexed_world):
    """Bug 10 (issue 13): the language facet showed "nor" and "eng"."""
    saga = Title.objects.create(
        title="Dune saga", language="nor", format="book", title_key="dune-saga|nor"
    )
    odd = Title.objects.create(title="Dune odd", language="xyz", format="book", title_key="x")
    index_titles([saga.pk, odd.pk])
    html = Client().get("/catalog/", {"q": "dune"}).content.decode()
    assert "Norwegian" in html and "English" in html and "xyz" in html
    assert ">nor<" not in html and "nor (" not in html
    chip = Client().get("/catalog/", {"q": "dune", "language": "nor"}).content.decode()
    assert "Language: Norwegian" in chip
    page = Client().get(f"/catalog/titles/{saga.pk}/").content.decode()
    assert "<dd>Norwegian</dd>" in page
    assert "<dd>English</dd>" in Client().get(f"/catalog/titles/{indexed_world.dune.pk}/").text
