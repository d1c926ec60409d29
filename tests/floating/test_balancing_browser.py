"""The float-balancing page in headless Chromium: read it, type a capacity, on a phone."""

from __future__ import annotations

import os

import pytest

from onelibrary.floating.models import Capacity
from tests.conftest import PASSWORD
from tests.floating.test_balancing_page import over_at_pine

SCREENSHOTS = os.environ.get("ONELIBRARY_SCREENSHOTS", "")


@pytest.mark.browser
def test_it_edits_a_capacity_with_typed_input(live_server, transactional_db, fw, page):
    over_at_pine(fw)
    page.goto(f"{live_server.url}/login/?next=/floating/%3Fgroup%3Dwest")
    page.get_by_label("Username").fill("central")
    page.get_by_label("Password").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Float balancing: West floats", level=1).wait_for()
    pine = page.get_by_role("row", name="Pine Creek PINE")
    assert pine.get_by_role("cell", name="3 over").is_visible()
    assert page.get_by_text("Move 2 items from Pine Creek (PINE) to Riverton Main").is_visible()

    box = page.get_by_label("Capacity of Pine Creek for ADULT")
    box.fill("")
    box.press_sequentially("4")
    box.press("Enter")
    page.get_by_text("Pine Creek now holds up to 4 floating ADULT.").wait_for()
    assert Capacity.objects.get(branch=fw.pine_main, collection="ADULT").capacity == 4
    pine = page.get_by_role("row", name="Pine Creek PINE")
    assert pine.get_by_role("cell", name="at capacity").is_visible()
    assert page.get_by_text("No moves to suggest.").is_visible()

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    box = page.get_by_label("Capacity of Riverton Eastside for ADULT")
    assert box.is_visible()
    fits = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert fits, "the page scrolls sideways on a phone"
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/floating-phone.png", full_page=True)
    box.fill("")
    box.press_sequentially("2")
    page.get_by_role("button", name="Save capacity of Riverton Eastside for ADULT").click()
    page.get_by_text("Riverton Eastside now holds up to 2 floating ADULT.").wait_for()
    assert Capacity.objects.get(branch=fw.riv_east, collection="ADULT").capacity == 2
