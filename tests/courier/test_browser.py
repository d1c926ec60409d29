"""The route pages in headless Chromium: the schedule on a phone, and editing a route
by typing branch codes and ticking weekdays."""

from __future__ import annotations

import os

import pytest

from onelibrary.courier.models import Route
from tests.conftest import PASSWORD
from tests.courier.conftest import make_courier

SCREENSHOTS = os.environ.get("ONELIBRARY_SCREENSHOTS", "")


def log_in(page, live_server, username: str, next_path: str) -> None:
    page.goto(f"{live_server.url}/login/?next={next_path}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.keyboard.press("Enter")


@pytest.mark.browser
def test_the_route_page_shows_the_schedule_on_a_phone(live_server, transactional_db, world, page):
    make_courier(world)
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, live_server, "desk.pine", "/courier/")
    page.get_by_role("heading", name="Courier routes", level=1).wait_for()
    page.get_by_role("link", name="West loop").click()
    page.get_by_role("heading", name="West loop WEST", level=1).wait_for()
    schedule = page.get_by_role("table", name="Schedule")
    assert schedule.get_by_role("rowheader", name="1. Riverton Main RIV-MAIN").is_visible()
    assert page.get_by_text("No received transits picked up by this route yet.").is_visible()
    # Nothing wider than the phone: the table turns into cards.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.get_by_role("link", name="Edit this route").count() == 0  # desk staff look
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/courier-route-phone.png", full_page=True)


@pytest.mark.browser
def test_the_central_office_edits_a_route_by_typing(live_server, transactional_db, world, page):
    make_courier(world)
    log_in(page, live_server, "central", "/courier/routes/WEST/")
    page.get_by_role("link", name="Edit this route").click()
    page.get_by_role("heading", name="Edit route WEST").wait_for()
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/courier-edit.png", full_page=True)
        page.set_viewport_size({"width": 390, "height": 844})
        page.screenshot(path=f"{SCREENSHOTS}/courier-edit-phone.png", full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.set_viewport_size({"width": 1100, "height": 800})

    # A typo first: refused, with the reason, and nothing saved.
    page.get_by_label("Stop 3: branch code").fill("ELKK")
    page.locator("#id_stops-2-days_0").check()
    page.get_by_role("button", name="Save route").click()
    alert = page.get_by_role("alert").first
    alert.wait_for()
    assert "no branch has the code ELKK" in alert.inner_text()
    assert Route.objects.get(code="WEST").stops.count() == 2

    page.get_by_label("Stop 3: branch code").fill("elk")
    page.locator("#id_stops-2-days_2").check()  # Wednesday too
    page.get_by_label("Name").fill("West and Elk loop")
    page.get_by_role("button", name="Save route").click()

    page.get_by_role("heading", name="West and Elk loop WEST", level=1).wait_for()
    assert page.get_by_text("Route WEST saved.").is_visible()
    row = page.get_by_role("row", name="3. Elk Valley ELK")
    assert row.get_by_text("called on Mon").count() == 1
    assert list(
        Route.objects.get(code="WEST").stops.values_list("position", "branch__code", "days")
    ) == [(1, "RIV-MAIN", "1010100"), (2, "RIV-EAST", "0101000"), (3, "ELK", "1010000")]

    page.get_by_role("link", name="Expected days").click()
    page.get_by_label("From branch").fill("elk")
    page.get_by_label("To branch").fill("riv-east")
    page.get_by_label("Shipped on").fill("2030-01-07")
    page.get_by_role("button", name="Ask").click()
    # ELK called Monday, RIV-EAST next called Tuesday, same van.
    page.get_by_text("1 day: arrives Tue 8 Jan 2030").wait_for()
