"""The checkout and checkin screens in headless Chromium, driven as a wedge scanner does.

A scanner types the barcode and presses Enter; staff never touch the mouse between scans.
"""

from __future__ import annotations

import os

import pytest

from onelibrary.circulation.models import Loan
from tests.conftest import PASSWORD

# Playwright's sync API runs an event loop in this thread; Django's ORM calls made by
# the test itself would otherwise refuse to run.

SCREENSHOTS = os.environ.get("ONELIBRARY_SCREENSHOTS", "")
# The same launch as tests/web/conftest.py, whose fixtures do not reach this directory.


def scan(page, barcode: str) -> None:
    page.keyboard.type(barcode)
    page.keyboard.press("Enter")


def focused_field(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.name")


@pytest.mark.browser
def test_it_checks_out_two_items_and_checks_them_in_by_scanning(
    live_server, transactional_db, world, rules, page
):
    page = page
    page.goto(f"{live_server.url}/login/?next=/desk/checkout/")
    page.get_by_label("Username").fill("desk.riv")
    page.get_by_label("Password").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Riverton Main").click()

    page.get_by_label("Patron's library card").wait_for()
    assert focused_field(page) == "card"
    scan(page, world.ada.card)
    page.get_by_role("heading", name="Ada Lindqvist").wait_for()
    assert focused_field(page) == "barcode"

    # Two scans in quick succession, as from a scanner; the page is never reloaded.
    page.evaluate("window.sameDocument = true")
    scan(page, world.dune_riv.barcode)
    scan(page, world.dune_pine.barcode)
    lines = page.locator("#scan-results > li")
    lines.nth(1).wait_for()
    page.wait_for_function("document.querySelectorAll('#scan-results > li').length === 2")
    assert page.evaluate("window.sameDocument") is True
    assert focused_field(page) == "barcode"
    assert "32000000000019" in lines.nth(0).inner_text()  # the latest scan on top
    for n in (0, 1):
        assert "CHECKED OUT" in lines.nth(n).inner_text().upper()
        assert "DUE " in lines.nth(n).locator(".scan-instruction").inner_text()
    assert page.locator("#patron-panel").get_by_text("2", exact=True).is_visible()
    assert Loan.objects.filter(patron=world.ada, state=Loan.State.ACTIVE).count() == 2

    # Escape: done with this patron.
    page.keyboard.press("Escape")
    page.get_by_label("Patron's library card").wait_for()
    assert page.get_by_role("heading", name="Ada Lindqvist").count() == 0

    page.goto(f"{live_server.url}/desk/checkin/")
    # desk.js puts the cursor in the barcode field once the page is ready: wait for it (a
    # loaded machine ran this check before the script had).
    page.wait_for_function("document.activeElement && document.activeElement.name === 'barcode'")
    scan(page, world.dune_riv.barcode)
    scan(page, world.dune_pine.barcode)
    page.wait_for_function("document.querySelectorAll('#scan-results > li').length === 2")
    instructions = page.locator("#scan-results .scan-instruction")
    assert instructions.nth(0).inner_text() == "SEND TO PINE CREEK (PINE)"
    assert instructions.nth(1).inner_text() == "SHELVE"
    assert "scan-send" in lines.nth(0).get_attribute("class")
    assert "scan-shelve" in lines.nth(1).get_attribute("class")
    assert focused_field(page) == "barcode"
    assert not Loan.objects.filter(state=Loan.State.ACTIVE).exists()

    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert instructions.nth(0).is_visible()
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/desk-checkin-phone.png", full_page=True)


@pytest.mark.browser
def test_a_scan_typed_while_nothing_has_the_focus_arrives_whole(
    live_server, transactional_db, world, rules, page
):
    # A scanner fires while the next page is still loading, before autofocus has run: the
    # keys reach the page, not the field. desk-keys.js hands them to the scan field.
    page.goto(f"{live_server.url}/login/?next=/desk/checkin/")
    page.get_by_label("Username").fill("desk.riv")
    page.get_by_label("Password").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Riverton Main").click()
    page.wait_for_function("document.activeElement && document.activeElement.name === 'barcode'")
    page.evaluate("document.activeElement.blur()")
    assert page.evaluate("document.activeElement === document.body")

    scan(page, world.dune_riv.barcode)
    line = page.locator("#scan-results > li").first
    line.wait_for()
    assert world.dune_riv.barcode in line.inner_text()
    assert focused_field(page) == "barcode"
    assert page.locator("[data-scan-field]").input_value() == ""
