"""Back after a search or a facet shows the whole page, not the htmx fragment (issue 13, bug 1).

The search page answers htmx with the results alone and a plain GET with the page, at the
same address; without `Vary: HX-Request` Chromium's back/forward cache hands the fragment
to a plain navigation.
"""

from __future__ import annotations

import pytest

from tests.catalog.test_search_browser import river_shelf  # noqa: F401 - a fixture

HAS_PAGE = (
    "() => !!document.querySelector('header.site')"
    " && getComputedStyle(document.body).fontFamily !== ''"
    " && document.styleSheets.length > 0"
)


def whole_page(page) -> bool:
    return page.evaluate(HAS_PAGE)


@pytest.mark.browser
def test_it_shows_the_whole_page_on_back_after_a_search_and_a_facet(
    live_server,
    river_shelf,  # noqa: F811 - the fixture imported above
    page,
):
    page.set_default_timeout(30_000)  # the shared 2-core machine is often busy
    page.goto(f"{live_server.url}/catalog/")
    page.get_by_label("Search the catalog").fill("river")
    # htmx fetches the results while typing and pushes their address.
    page.get_by_role("heading", name="4 titles for river").wait_for()
    page.get_by_role("link", name="Book (2)").click()
    page.get_by_role("heading", name="2 titles for river").wait_for()
    page.get_by_role("link", name="River of stars").click()
    page.get_by_role("heading", name="River of stars").wait_for()

    page.go_back()
    page.get_by_role("heading", name="2 titles for river").wait_for()
    assert whole_page(page), "back to the facet's page shows a bare fragment"
    page.go_back()
    page.get_by_role("heading", name="4 titles for river").wait_for()
    assert whole_page(page), "back to the typed search shows a bare fragment"
