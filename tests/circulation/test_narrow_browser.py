"""Long unbroken text does not widen a page on a phone (issue 13, bug 5).

A 200-digit scan and a 2,000-character note once made the desk and patron pages 2,000 to
23,000 px wide. At 375 px (a phone) nothing may scroll sideways.
"""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD

PHONE = 375
LONG_SCAN = "1" * 200
LONG_NOTE = "x" * 2000


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def scan(page, label: str, text: str) -> None:
    page.get_by_label(label).fill(text)
    page.keyboard.press("Enter")


@pytest.fixture
def phone(page, live_server):
    page.set_viewport_size({"width": PHONE, "height": 800})
    page.set_default_timeout(30_000)  # the shared 2-core machine is often busy
    page.goto(f"{live_server.url}/login/?next=/desk/checkout/")
    page.get_by_label("Username").fill("desk.riv")
    page.get_by_label("Password").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Riverton Main").click()
    page.get_by_label("Patron's library card").wait_for()
    return page


@pytest.mark.browser
def test_it_keeps_the_checkout_page_phone_wide_after_a_200_digit_scan(
    live_server, transactional_db, world, rules, phone
):
    scan(phone, "Patron's library card", LONG_SCAN)
    phone.get_by_text("NO PATRON", exact=True).wait_for()
    assert page_width(phone) <= PHONE

    scan(phone, "Patron's library card", world.ada.card)
    phone.get_by_role("heading", name="Ada Lindqvist").wait_for()
    scan(phone, "Item barcode", LONG_SCAN)
    phone.get_by_text("NOT CHECKED OUT", exact=True).wait_for()
    assert page_width(phone) <= PHONE


@pytest.mark.browser
def test_it_keeps_the_checkin_page_phone_wide_after_a_200_digit_scan(
    live_server, transactional_db, world, rules, phone
):
    phone.goto(f"{live_server.url}/desk/checkin/")
    scan(phone, "Item barcode", LONG_SCAN)
    phone.get_by_text("NOT CHECKED IN", exact=True).wait_for()
    assert page_width(phone) <= PHONE
    phone.goto(f"{live_server.url}/desk/unprocessed/")
    phone.get_by_role("heading", level=1).wait_for()
    assert page_width(phone) <= PHONE


@pytest.mark.browser
def test_it_keeps_the_patron_pages_phone_wide_with_a_2000_character_note(
    live_server, transactional_db, world, rules, field_permissions, phone
):
    # The live server's database is flushed between tests: `field_permissions` seeds
    # what migration 0004 seeds, so that Riverton's desk sees Ada's notes.
    world.ada.notes = LONG_NOTE
    world.ada.address = "9" * 300
    world.ada.email = "a" * 200 + "@example.org"
    world.ada.save()
    phone.goto(f"{live_server.url}/patrons/{world.ada.pk}/")
    phone.get_by_text(LONG_NOTE[:50], exact=False).first.wait_for()
    assert page_width(phone) <= PHONE
    phone.goto(f"{live_server.url}/patrons/?q={'z' * 500}")
    phone.get_by_role("heading", name="Find a patron").wait_for()
    assert page_width(phone) <= PHONE
