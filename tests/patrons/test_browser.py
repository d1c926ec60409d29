"""The register page on a phone, by keyboard: an error keeps what was typed, then a record."""

from __future__ import annotations

import os

import pytest

from onelibrary.patrons.models import Patron
from tests.conftest import PASSWORD

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
SCREENSHOTS = os.environ.get("ONELIBRARY_SCREENSHOTS", "")


@pytest.mark.browser
def test_it_registers_by_keyboard_on_a_phone(live_server, world, browser, default_permissions):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto(f"{live_server.url}/login/?next=/patrons/register/")
        page.get_by_label("Username").fill("desk.pine")
        page.get_by_label("Password").fill(PASSWORD)
        page.keyboard.press("Enter")
        page.get_by_role("heading", name="Register a patron").wait_for()

        page.get_by_label("First name").fill("Cora")
        page.keyboard.press("Tab")
        page.keyboard.type("Whitfield")
        page.get_by_label("Birth date").fill("2999-01-01")
        page.get_by_label("Postcode").fill("59850")
        page.get_by_role("button", name="Register").press("Enter")
        page.get_by_text("A birth date cannot be in the future.").wait_for()
        assert page.get_by_label("Last name").input_value() == "Whitfield"
        assert not Patron.objects.filter(last_name="Whitfield").exists()
        if SCREENSHOTS:
            page.screenshot(path=f"{SCREENSHOTS}/register-phone.png", full_page=True)

        page.get_by_label("Birth date").fill("1975-03-02")
        page.get_by_role("button", name="Register").press("Enter")
        page.get_by_role("heading", name="Cora Whitfield").wait_for()
        assert page.get_by_text("Home library: Pine Creek Library").first.is_visible()
        if SCREENSHOTS:
            page.screenshot(path=f"{SCREENSHOTS}/record-phone.png", full_page=True)
    finally:
        context.close()
