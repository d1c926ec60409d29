"""The patron's side in headless Chromium, checked with axe-core on every page: log in,
place a hold, change its pickup branch, cancel it, renew a loan; on a desktop and on a
375 px phone, by keyboard where it matters."""

from __future__ import annotations

import os

import pytest

from onelibrary.catalog.search import index_titles
from onelibrary.circulation.models import Loan
from onelibrary.holds.models import Hold
from tests.account.conftest import ADA_PIN
from tests.axe import check_page

SCREENSHOTS = os.environ.get("ONELIBRARY_SCREENSHOTS", "")
PHONE = {"width": 375, "height": 740}


def log_in(page, card: str, pin: str) -> None:
    page.get_by_label("Library card number").fill(card)
    page.get_by_label("PIN", exact=True).fill(pin)
    page.get_by_role("button", name="Log in").click()


def fits(page) -> bool:
    """Nothing wider than the screen: no sideways scrolling."""
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.browser
def test_it_searches_and_checks_home_search_and_title_pages(
    live_server, transactional_db, pins, page
):
    index_titles([pins.dune.pk])
    page.goto(live_server.url + "/")
    check_page(page, "the home page")
    page.get_by_label("Search the catalog").fill("dune")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Dune", exact=True).wait_for()
    check_page(page, "the search results")
    page.get_by_role("link", name="Dune", exact=True).click()
    page.get_by_role("heading", name="Dune", level=1).wait_for()
    check_page(page, "a title page")


@pytest.mark.browser
def test_it_logs_in_from_a_title_page_places_a_hold_and_changes_it(
    live_server, transactional_db, pins, page
):
    page.goto(f"{live_server.url}/catalog/titles/{pins.dune.pk}/")
    page.get_by_role("link", name="Log in with your library card").click()
    page.get_by_role("heading", name="Log in to your account").wait_for()
    check_page(page, "the login page")

    log_in(page, pins.ada.card, "0000")
    page.get_by_text("The card number or PIN is not right.").wait_for()
    assert page.get_by_label("Library card number").input_value() == pins.ada.card
    check_page(page, "the login page with an error")
    page.get_by_label("PIN", exact=True).fill(ADA_PIN)
    page.get_by_role("button", name="Log in").click()

    page.get_by_role("heading", name="Dune", level=1).wait_for()  # back where we were
    form = page.get_by_role("form", name="Place a hold for me")
    assert form.get_by_label("Pickup branch").input_value() == "RIV-MAIN"
    check_page(page, "a title page, logged in")
    form.get_by_label("Pickup branch").select_option("ELK")
    form.get_by_role("button", name="Place hold").click()

    page.get_by_role("heading", name="My account").wait_for()
    assert page.get_by_text("Your hold on Dune is placed, for pickup at Elk Valley.").is_visible()
    check_page(page, "My account with a hold")

    page.goto(f"{live_server.url}/account/titles/{pins.dune.pk}/hold/")
    page.get_by_role("heading", name="Place a hold: Dune").wait_for()
    check_page(page, "the place-hold page")
    page.get_by_role("button", name="Place hold").click()
    page.get_by_text("You already have a hold on Dune").wait_for()
    check_page(page, "the place-hold page with a refusal")
    page.goto(f"{live_server.url}/account/")
    page.get_by_role("link", name="Change or cancel the hold on Dune").click()
    page.get_by_role("heading", name="Hold: Dune").wait_for()
    check_page(page, "a hold's page")
    page.get_by_label("Pickup branch", exact=True).select_option("PINE")
    page.get_by_role("button", name="Change pickup branch").click()
    page.get_by_text("Pickup changed to Pine Creek.").wait_for()
    assert Hold.objects.get().pickup_branch == pins.pine_main

    page.get_by_role("button", name="Cancel this hold").click()
    page.get_by_text("The hold is cancelled").wait_for()
    assert Hold.objects.get().state == Hold.State.CANCELLED
    check_page(page, "My account after cancelling")


@pytest.mark.browser
def test_it_renews_on_a_phone_by_keyboard(live_server, transactional_db, accounts, browser):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto(live_server.url + "/account/")
        page.get_by_role("heading", name="Log in to your account").wait_for()
        assert fits(page)
        check_page(page, "the login page on a phone")
        # Keyboard: the skip link comes first and moves to the content.
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.activeElement.textContent") == "Skip to content"
        page.keyboard.press("Enter")
        assert page.evaluate("() => document.activeElement.id") == "main"
        page.get_by_label("Library card number").focus()
        page.keyboard.type(accounts.world.ada.card)
        page.keyboard.press("Tab")
        page.keyboard.type(ADA_PIN)
        page.keyboard.press("Enter")

        page.get_by_role("heading", name="My account").wait_for()
        assert fits(page)
        check_page(page, "My account (loans, holds) on a phone")
        renew = page.get_by_role("button", name="Renew Dune")
        renew.focus()
        page.keyboard.press("Enter")
        page.get_by_text("Dune is renewed until").wait_for()
        assert Loan.objects.get(pk=accounts.ada_loan.pk).renewals == 1
        check_page(page, "My account after renewing, on a phone")

        page.goto(f"{live_server.url}/catalog/titles/{accounts.world.dune.pk}/")
        assert fits(page)
        check_page(page, "a title page on a phone")
        if SCREENSHOTS:
            page.goto(live_server.url + "/account/")
            page.screenshot(path=f"{SCREENSHOTS}/account-phone.png", full_page=True)
    finally:
        context.close()
