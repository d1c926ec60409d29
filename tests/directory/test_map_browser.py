"""The directory's map in real Chromium: with the tile server unreachable, and with
JavaScript off, the markers and the list still work."""

from __future__ import annotations

import pytest

TILES = "https://tiles.example.org/{z}/{x}/{y}.png"


@pytest.mark.browser
def test_the_map_and_list_work_when_every_tile_fails(live_server, listed, page, settings):
    settings.MAP_TILE_URL = TILES
    settings.MAP_TILE_ATTRIBUTION = "Example tiles"
    blocked: list[str] = []

    def refuse(route):
        blocked.append(route.request.url)
        route.abort()

    page.route("https://tiles.example.org/**", refuse)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/directory/")

    markers = page.locator(".leaflet-marker-icon")
    markers.first.wait_for()
    assert markers.count() == 4
    assert {markers.nth(i).get_attribute("data-code") for i in range(4)} == {
        "RIV-MAIN",
        "RIV-EAST",
        "PINE",
        "ELK",
    }
    page.wait_for_function("document.querySelectorAll('img.leaflet-tile').length > 0")
    # A tile's <img> is in the page before its request reaches our route handler, which
    # Playwright calls only while it waits: give it up to 5 s to see one.
    for _ in range(50):
        if blocked:
            break
        page.wait_for_timeout(100)
    assert blocked, "the page asked the tile server, and every request failed"
    assert not errors
    assert not page.get_by_text("The map needs JavaScript").is_visible()

    # A marker opens its popup, whose link leads to the branch in the list.
    page.locator('.leaflet-marker-icon[data-code="PINE"]').click()
    popup = page.locator(".leaflet-popup-content")
    popup.get_by_text("Pine Creek Library, Pine Creek").wait_for()
    popup.get_by_role("link", name="Hours and contacts").click()
    page.wait_for_url("**/directory/#branch-PINE")  # a jump within the page: not at once
    assert page.locator("#branch-PINE").get_by_text("Mara Quill").count() == 0
    assert page.locator("#library-PINE").get_by_text("Mara Quill").is_visible()

    # The list's "Show on the map" opens the branch's popup.
    page.locator("#branch-RIV-EAST button.show-on-map").click()
    page.locator(".leaflet-popup-content").get_by_text("Riverton Eastside").wait_for()


@pytest.mark.browser
def test_with_no_tile_server_the_markers_stand_on_a_plain_background(live_server, listed, page):
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{live_server.url}/directory/")
    page.locator(".leaflet-marker-icon").first.wait_for()
    assert page.locator(".leaflet-marker-icon").count() == 4
    assert page.locator("#branch-map.no-tiles").count() == 1
    assert page.locator("img.leaflet-tile").count() == 0
    assert all(url.startswith(live_server.url) for url in requests), requests


@pytest.mark.browser
def test_with_javascript_off_the_list_is_the_page(live_server, listed, browser):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/directory/")
        assert not page.locator("#branch-map").is_visible()
        assert page.locator("li.directory-branch").count() == 4
        assert page.get_by_text("The map needs JavaScript").is_visible()
        assert page.locator("#branch-PINE").get_by_text("Tue, Thu, Sat").is_visible()
        page.get_by_role("link", name="Riverton Main").click()
        page.get_by_role("heading", name="Riverton Main").wait_for()
    finally:
        context.close()
