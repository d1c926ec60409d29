"""One walk through the site in headless Chromium: log in, search, open a title."""

from __future__ import annotations

import os

import pytest

from onelibrary.catalog.search import index_titles
from tests.conftest import PASSWORD

# Playwright's sync API runs an event loop in this thread; Django's ORM calls made by
# the test itself would otherwise refuse to run.

SCREENSHOTS = os.environ.get("ONELIBRARY_SCREENSHOTS", "")


@pytest.mark.browser
def test_it_logs_in_searches_and_opens_a_title(live_server, world, page):
    index_titles([world.dune.pk])
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill("desk.pine")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("button", name="Log out").wait_for()
    page.get_by_role("heading", name="Today at Pine Creek").wait_for()  # staff land at the desk
    page.get_by_role("link", name="Catalog").click()

    page.get_by_label("Search the catalog").fill("herb dune")
    page.get_by_role("button", name="Search").click()
    link = page.get_by_role("link", name="Dune", exact=True)
    link.wait_for()
    assert page.get_by_text("2 of 2 available").first.is_visible()

    link.click()
    page.get_by_role("heading", name="Dune", level=1).wait_for()
    rows = page.locator("table.copies tbody tr")
    assert rows.count() == 2
    assert page.get_by_role("link", name="Edit copy 32000000000019").is_visible()
    assert page.get_by_role("link", name="Edit copy 31000000000011").count() == 0

    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/title-desktop.png", full_page=True)
        page.set_viewport_size({"width": 390, "height": 844})
        page.screenshot(path=f"{SCREENSHOTS}/title-phone.png", full_page=True)
        page.goto(f"{live_server.url}/catalog/?q=dune")
        page.screenshot(path=f"{SCREENSHOTS}/search-phone.png", full_page=True)
        page.goto(f"{live_server.url}/branches/PINE/")
        page.screenshot(path=f"{SCREENSHOTS}/branch-phone.png", full_page=True)
