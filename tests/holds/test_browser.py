"""Placing a hold from the public catalog's title page as staff, in headless Chromium."""

from __future__ import annotations

import os

import pytest

from onelibrary.holds.models import Hold
from tests.conftest import PASSWORD

# Playwright's sync API runs an event loop in this thread; Django's ORM calls made by
# the test itself would otherwise refuse to run.

# The same launch as tests/web/conftest.py, whose fixtures do not reach this directory.
SCREENSHOTS = os.environ.get("ONELIBRARY_SCREENSHOTS", "")


@pytest.mark.browser
def test_it_places_a_hold_from_the_title_page_as_staff(live_server, transactional_db, hw, page):
    page.goto(f"{live_server.url}/login/?next=/catalog/titles/{hw.dune.pk}/")
    page.get_by_label("Username").fill("desk.pine")
    page.get_by_label("Password").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Dune", level=1).wait_for()
    assert page.get_by_text("No holds on this title.").is_visible()

    form = page.get_by_role("form", name="Place a hold")
    form.get_by_label("Patron's library card").fill("29000000000025")
    assert form.get_by_label("Pickup branch").input_value() == ""  # the preferred branch
    form.get_by_label("Copy").select_option(label="Any copy (the quickest to reach the patron)")
    form.get_by_role("button", name="Place hold").click()

    page.get_by_role("heading", name="Holds: Ben Okafor").wait_for()
    assert page.get_by_text(
        "Hold placed for Ben Okafor on Dune, for pickup at Pine Creek."
    ).is_visible()
    hold = Hold.objects.get()
    assert (hold.patron, hold.pickup_branch, hold.assigned_item) == (
        hw.ben,
        hw.pine_main,
        hw.dune_pine,
    )
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/holds-patron.png", full_page=True)
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(f"{live_server.url}/holds/pick/")
        page.screenshot(path=f"{SCREENSHOTS}/holds-pick-phone.png", full_page=True)

    page.goto(f"{live_server.url}/catalog/titles/{hw.dune.pk}/")
    assert page.get_by_text("1 hold on this title: 1 with a copy on its way.").is_visible()
