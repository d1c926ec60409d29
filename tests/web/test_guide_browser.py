"""The desk with bad input, in headless Chromium: wrong and repeated scans, money that is
not right, a note far too long, a waiver over the desk's limit, a phone-width screen.
Each refusal must say what is wrong and what to do, change nothing, and keep the page
inside the screen. With ONELIBRARY_GUIDE_SHOTS=1 these pages are photographed for the
staff guide too (the rest of its pictures come from test_desk_day_browser.py).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from onelibrary.circulation import holds_desk
from onelibrary.circulation.actions import check_in, check_out
from onelibrary.circulation.models import Charge, ChargeEntry, Event, Payment
from onelibrary.holds import actions as holds_actions
from onelibrary.holds.models import Hold
from onelibrary.transit import crates
from onelibrary.transit.models import Crate, CrateScan
from tests.circulation.money_world import charge
from tests.holds.conftest import make_copy, make_title

from .test_desk_day_browser import PHONE, focused, follow, log_in, scan, shot, tab_to, type_over

LONG_SCAN = "4" * 200
LONG_NOTE = "flood " * 333 + "xx"  # 2,000 characters, with spaces
UNBROKEN = "x" * 2000  # and without


def fits(page, width: int) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= width


def lines(page) -> list[str]:
    return page.locator("#scan-results > li").all_inner_texts()


@pytest.mark.browser
def test_checkin_and_checkout_refuse_bad_scans_and_say_what_to_do(
    live_server, transactional_db, hw, page
):
    page.set_default_timeout(20_000)
    log_in(page, live_server.url, "desk.pine")
    follow(page, "Check in", exact=True)
    assert "Item barcode" in focused(page)
    scan(page, hw.dune_riv.barcode)  # Riverton's copy, returned here: send it home
    scan(page, hw.dune_pine.barcode)  # ours: shelve
    scan(page, "31000000009999")  # no such copy
    scan(page, LONG_SCAN)
    page.wait_for_function("document.querySelectorAll('#scan-results > li').length === 4")
    said = lines(page)
    assert "SEND TO RIVERTON MAIN" in said[3].upper() and "SHELVE" in said[2].upper()
    assert "No item in the group has the barcode 31000000009999" in said[1], said[1]
    assert "No item in the group has the barcode 4444" in said[0], said[0]
    assert "Item barcode" in focused(page)  # ready for the next scan, after four
    shot(page, "checkin", phone=True)
    page.set_viewport_size(PHONE)
    assert fits(page, PHONE["width"])

    follow(page, "Check out", exact=True)
    scan(page, "29000000009999")  # no such card
    page.get_by_text("NO PATRON", exact=True).wait_for()
    assert "Patron's library card" in focused(page)
    type_over(page, hw.ben.card)
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Ben Okafor").wait_for()
    scan(page, hw.dune_pine.barcode)
    scan(page, hw.dune_pine.barcode)  # the scanner fired twice
    scan(page, hw.ada.card)  # a card at the item prompt
    page.wait_for_function("document.querySelectorAll('#scan-results > li').length === 3")
    said = lines(page)
    assert "DUE " in said[2]
    assert "already checked out to Ben" in said[1] or "repeat" in said[1].lower(), said[1]
    assert "is a patron's library card, not an item" in said[0]
    assert fits(page, PHONE["width"])
    assert Event.objects.filter(kind="checkout").count() == 1


@pytest.mark.browser
def test_money_refuses_too_much_not_money_and_a_waiver_over_the_limit(
    live_server, transactional_db, hw, page
):
    """Pine Creek lets its desk waive up to $2.00 of a charge (MONEY-7)."""
    page.set_default_timeout(20_000)
    hw.pine.desk_waiver_limit = Decimal("2.00")
    hw.pine.save(update_fields=["desk_waiver_limit"])
    fine = charge(hw.ben, hw.dune_pine, "4.50", days_ago=10)
    log_in(page, live_server.url, "desk.pine")
    page.goto(f"{live_server.url}/desk/patrons/{hw.ben.card}/money/")
    for typed, says in (
        ("500", "more than the $4.50 owed"),
        ("four", "'four' is not one"),
        ("1.234", "two decimal places"),
        ("-1", "must be more than $0.00"),
    ):
        tab_to(page, "Amount")
        type_over(page, typed)
        with page.expect_navigation():
            page.keyboard.press("Enter")
        error = page.locator("#money-error").inner_text()
        assert says in error and "nothing was changed" in error, (typed, error)
    assert not Payment.objects.exists()

    tab_to(page, "Overdue fine: Dune —")
    page.keyboard.press("Enter")  # opens the waiver's details
    tab_to(page, "Waive ($)")
    type_over(page, "3")
    page.keyboard.press("Tab")
    page.keyboard.type(UNBROKEN[:300])
    with page.expect_navigation():
        page.keyboard.press("Enter")
    error = page.locator("#money-error").inner_text()
    assert "MONEY-7" in error and "$2.00" in error, error
    shot(page, "money-waiver-refused", phone=True)
    page.set_viewport_size(PHONE)
    assert fits(page, PHONE["width"])
    assert not ChargeEntry.objects.filter(charge=fine).exists()


@pytest.mark.browser
def test_an_item_action_keeps_a_long_note_inside_the_page(live_server, transactional_db, hw, page):
    page.set_default_timeout(20_000)
    log_in(page, live_server.url, "desk.pine")
    follow(page, "Find a copy", exact=True)
    scan(page, "not a barcode at all")
    page.get_by_role("alert").wait_for()
    assert "No item in the group has the barcode" in page.get_by_role("alert").inner_text()
    type_over(page, hw.dune_pine.barcode)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    follow(page, "Mark damaged", exact=True)
    tab_to(page, "Note")
    page.keyboard.insert_text(UNBROKEN)
    follow(page, "Mark damaged", exact=True)
    page.get_by_text("DAMAGED-1").first.wait_for()
    page.set_viewport_size(PHONE)
    assert fits(page, PHONE["width"])
    shot(page, "item-damaged")
    event = Event.objects.get(kind="damaged")
    assert len(event.detail["note"]) <= 2000


@pytest.mark.browser
def test_a_wrong_unpack_scan_is_undone_and_the_shelf_cleared(
    live_server, transactional_db, hw, page
):
    """At Riverton Main: a crate from Pine Creek with one copy; a copy already on the shelf
    scanned by mistake, then undone. And a hold that expired on the shelf, cleared."""
    page.set_default_timeout(20_000)
    travelling = make_copy(
        hw, make_title("Kindred"), "31000000000052", library=hw.riverton, branch=hw.riv_main
    )
    check_out(hw.desk_pine, hw.pine_main, hw.ben, travelling)
    check_in(hw.desk_pine, hw.pine_main, travelling)  # returned at Pine Creek: goes home
    crate = crates.open_crate(hw.desk_pine, hw.pine_main, destination=hw.riv_main)
    crates.scan_into_crate(hw.desk_pine, hw.pine_main, crate, travelling.barcode)
    crates.close_crate(hw.desk_pine, hw.pine_main, crate)
    crates.ship_crate(hw.desk_pine, hw.pine_main, crate)
    placed = holds_actions.place_hold(hw.desk_riv, hw.ada, hw.riv_main, title=hw.dune).hold
    check_in(hw.desk_riv, hw.riv_main, hw.dune_riv)  # on the hold shelf for Ada
    Hold.objects.filter(pk=placed.pk).update(
        shelf_expires_on=timezone.localdate() - dt.timedelta(days=1)
    )
    holds_desk.expire_holds(timezone.now())

    log_in(page, live_server.url, "desk.riv")
    follow(page, "Riverton Main")
    follow(page, "way here")
    page.get_by_role("heading", name="Receive a crate at Riverton Main").wait_for()
    scan(page, "CRATE-NOPE")
    page.get_by_text("No crate has the label CRATE-NOPE.").first.wait_for()
    scan(page, Crate.objects.get().label)
    page.get_by_label("Item barcode taken out of this crate").wait_for()
    scan(page, hw.dune_pine.barcode)  # a copy off our own shelf, not from this crate
    wrong = page.locator("#scan-results > li", has_text=hw.dune_pine.barcode)
    wrong.wait_for()
    assert "cannot have come in this crate. Nothing was recorded" in wrong.inner_text()
    scan(page, travelling.barcode)
    page.locator("#scan-results > li[data-outcome='arrived']").wait_for()
    assert "Item barcode taken out of this crate" in focused(page)
    # Scanned by mistake (say, before it was out of the crate): undone, with no reload.
    follow(page, "Undo the last scan")
    page.get_by_text("undone").first.wait_for()
    shot(page, "crate-undo", phone=True)
    assert CrateScan.objects.filter(undone_at__isnull=False).count() == 1

    follow(page, "Desk", exact=True)
    follow(page, "to clear from the hold shelf")
    page.get_by_role("heading", name="To clear from the hold shelf").wait_for()
    shot(page, "hold-shelf-clear", phone=True)
    follow(page, "Cleared")
    page.get_by_text("Nothing to clear from the hold shelf").wait_for()
    assert Charge.objects.count() == 0
