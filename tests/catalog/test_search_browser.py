"""The public search in headless Chromium, keyboard only: type, pick facets, remove one."""

from __future__ import annotations

import os

import pytest

from onelibrary.catalog.models import Item, Title
from onelibrary.catalog.search import rebuild_index

SCREENSHOTS = os.environ.get("ONELIBRARY_SCREENSHOTS", "")


def tab_to(page, name: str, limit: int = 80) -> None:
    """Press Tab until the focused element's accessible text starts with `name`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => (document.activeElement.getAttribute('aria-label')"
            " || document.activeElement.textContent || '').trim()"
        )
        if focused.startswith(name):
            return
    raise AssertionError(f"no focusable element named {name!r} within {limit} tabs")


@pytest.fixture
def river_shelf(world):
    titles = [
        Title.objects.create(title="River of stars", format="book", year=1998, title_key="r1"),
        Title.objects.create(title="River songs", format="music", year=2004, title_key="r2"),
        Title.objects.create(title="The river road", format="book", year=2012, title_key="r3"),
        Title.objects.create(title="Mountain river", format="video", year=2015, title_key="r4"),
    ]
    for n, (title, library, branch, status) in enumerate(
        [
            (titles[0], world.pine, world.pine_main, Item.Status.AVAILABLE),
            (titles[1], world.riverton, world.riv_main, Item.Status.CHECKED_OUT),
            (titles[2], world.pine, world.pine_main, Item.Status.CHECKED_OUT),
            (titles[3], world.elk, world.elk_main, Item.Status.AVAILABLE),
        ]
    ):
        Item.objects.create(
            barcode=f"3700000000000{n}",
            title=title,
            owning_library=library,
            home_branch=branch,
            current_branch=branch,
            status=status,
        )
    # A live-server test's database is flushed, not rolled back, and the flush leaves the
    # index rows of an earlier test's titles: rebuild the whole index, not just these.
    rebuild_index()
    return titles


@pytest.mark.browser
def test_it_types_picks_facets_and_removes_one_by_keyboard(live_server, river_shelf, page):
    page.set_default_timeout(30_000)  # the shared 2-core machine is often busy
    page.goto(f"{live_server.url}/catalog/")
    tab_to(page, "Skip to content")
    page.keyboard.press("Enter")
    tab_to(page, "")  # the search box is the first field of the page
    page.keyboard.type("river")
    # htmx fetches the results while typing; no Enter pressed.
    page.get_by_role("heading", name="4 titles for river").wait_for()
    facets = page.get_by_role("navigation", name="Format")
    assert facets.get_by_role("link", name="Book (2)").is_visible()

    tab_to(page, "Book (2)")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="2 titles for river").wait_for()
    assert "format=book" in page.url

    tab_to(page, "Pine Creek Library (2)")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="2 titles for river").wait_for()
    tab_to(page, "Available now at Pine Creek Library (1)")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="1 title for river").wait_for()
    assert page.get_by_role("link", name="River of stars").is_visible()
    assert page.get_by_text("1 of 1 available").is_visible()

    tab_to(page, "Remove Format: Book")
    page.keyboard.press("Enter")
    page.get_by_role("link", name="Remove Available now").wait_for()
    assert page.get_by_role("link", name="Remove Format: Book").count() == 0
    assert "format=" not in page.url and "available=1" in page.url
    assert page.get_by_role("heading", name="1 title for river").is_visible()

    # A new query keeps the chosen facets.
    page.get_by_label("Search the catalog").fill("stars")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="1 title for stars").wait_for()
    assert page.get_by_role("link", name="Remove Library: Pine Creek Library").is_visible()

    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/search-facets.png", full_page=True)
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(f"{live_server.url}/catalog/?q=river")
        page.screenshot(path=f"{SCREENSHOTS}/search-facets-phone.png", full_page=True)


@pytest.mark.browser
def test_it_fits_a_phone_without_sideways_scrolling(live_server, river_shelf, page):
    page.set_default_timeout(30_000)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/catalog/?q=river&format=book")
    page.get_by_role("heading", name="2 titles for river").wait_for()
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 360
    assert page.get_by_role("link", name="Remove Format: Book").is_visible()
