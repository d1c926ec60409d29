"""A crate's life in headless Chromium: typed scans (as a wedge scanner types them) at the
sending branch, then the crate received and unpacked at the other end."""

from __future__ import annotations

import os

import pytest

from onelibrary.circulation.actions import check_in
from onelibrary.transit.models import Crate, CrateScan, Transit
from tests.conftest import PASSWORD

from .conftest import copy_of

SCREENSHOTS = os.environ.get("ONELIBRARY_SCREENSHOTS", "")


def scan(page, barcode: str) -> None:
    page.keyboard.type(barcode)
    page.keyboard.press("Enter")


def log_in(page, url, username, branch=None):
    page.goto(f"{url}/login/?next=/transit/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.keyboard.press("Enter")
    if branch:
        page.get_by_role("button", name=branch).click()
        page.goto(f"{url}/transit/")
    page.get_by_role("heading", name="Crates at").wait_for()


@pytest.mark.browser
def test_it_packs_ships_receives_and_reconciles_a_crate_by_scanning(
    live_server, transactional_db, tw, page
):
    home = copy_of(tw, "31000000000029", at=tw.pine_main, home=tw.riv_main)
    other = copy_of(tw, "31000000000037", at=tw.pine_main, home=tw.elk_main)
    for item in (home, other):
        check_in(tw.desk_pine, tw.pine_main, item)

    log_in(page, live_server.url, "desk.pine")
    page.get_by_label("Crate for branch").select_option(label="Riverton Main (RIV-MAIN)")
    page.get_by_role("button", name="Open the crate").click()
    crate = Crate.objects.get()
    page.locator("#crate-label").get_by_text(crate.label).wait_for()

    page.evaluate("window.sameDocument = true")
    page.get_by_label("Item barcode to put in this crate").focus()
    scan(page, home.barcode)
    scan(page, other.barcode)  # for Elk Valley: refused, says where it goes
    scan(page, home.barcode)  # the scanner fired twice
    page.wait_for_function("document.querySelectorAll('#scan-results > li').length === 3")
    lines = page.locator("#scan-results > li")
    assert page.evaluate("window.sameDocument") is True
    assert lines.nth(2).get_attribute("data-outcome") == "added"
    assert "goes to Elk Valley (ELK)" in lines.nth(1).inner_text()
    assert lines.nth(0).get_attribute("data-outcome") == "repeat"
    assert CrateScan.objects.count() == 3

    page.get_by_role("button", name="Close the crate").click()
    page.get_by_role("button", name="mark shipped").click()
    page.locator("#crate-state").get_by_text("Shipped").wait_for()

    page.context.clear_cookies()
    log_in(page, live_server.url, "desk.riv", branch="Riverton Main")
    page.get_by_role("link", name="Receive a crate").click()
    page.get_by_role("textbox", name="Crate label").focus()
    scan(page, crate.label)
    page.get_by_label("Item barcode taken out of this crate").wait_for()
    page.get_by_label("Item barcode taken out of this crate").focus()
    scan(page, home.barcode)
    page.locator("#scan-results > li[data-outcome='arrived']").wait_for()
    assert "SHELVE" in page.locator("#scan-results > li").first.inner_text()
    page.get_by_role("button", name="reconcile").click()
    page.locator("#reconcile-summary").get_by_text("Everything matched").wait_for()
    assert Transit.objects.get(item=home).state == "received"
    assert Crate.objects.get().state == "reconciled"
    if SCREENSHOTS:
        page.set_viewport_size({"width": 390, "height": 844})
        page.screenshot(path=f"{SCREENSHOTS}/transit-crate-phone.png", full_page=True)


@pytest.mark.browser
def test_the_manifest_follows_an_in_page_pack_scan(live_server, transactional_db, tw, page):
    """Bug 2: the manifest said "The crate is empty" after an htmx pack scan until reload."""
    item = copy_of(tw, "31000000000029", at=tw.pine_main, home=tw.riv_main)
    check_in(tw.desk_pine, tw.pine_main, item)
    log_in(page, live_server.url, "desk.pine")
    page.goto(f"{live_server.url}/transit/to-send/")
    page.get_by_role("button", name="Open a crate for RIV-MAIN").click()
    page.locator("#crate-label").wait_for()
    assert "The crate is empty" in page.locator("#crate-manifest").inner_text()
    page.evaluate("window.sameDocument = true")
    page.get_by_label("Item barcode to put in this crate").focus()
    scan(page, item.barcode)
    page.locator("#manifest").get_by_text(item.barcode).wait_for()
    assert page.evaluate("window.sameDocument") is True
    assert "The crate is empty" not in page.locator("#crate-manifest").inner_text()
