"""A desk worker's day in headless Chromium, by keyboard alone (issue 13's "Done when").

Riverton Main pulls a copy for Cora's hold, packs it in a crate for Elk Valley and ships
it; Elk Valley receives the crate, unpacks it (the copy goes to the hold shelf and its
slip is printed), and lends it to Cora once she has paid her old fine in two parts. A
copy she borrowed is declared lost, paid for, then found: the payment is handed back.

No mouse: every step is Tab, Enter, Space or typing, and each page is reached from the
one before by a link or a button. With ONELIBRARY_GUIDE_SHOTS=1 (`make guide-shots`) each
step is also photographed, desktop and phone width, for the staff guide (docs/guide/).
"""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from onelibrary.circulation.models import Charge, ChargeEntry, Loan, Payment
from onelibrary.holds import actions as holds_actions
from onelibrary.holds.models import Hold
from onelibrary.members.models import StaffRole
from onelibrary.patrons.models import Patron
from onelibrary.transit.models import Crate
from tests.circulation.money_world import charge
from tests.conftest import PASSWORD, make_staff
from tests.holds.conftest import make_copy, make_title

GUIDE_IMG = Path(__file__).resolve().parents[2] / "docs" / "guide" / "img"
SHOTS = os.environ.get("ONELIBRARY_GUIDE_SHOTS", "") == "1"
DESKTOP = {"width": 1100, "height": 800}
PHONE = {"width": 375, "height": 740}

CORA = "29000000000041"
HELD = "31000000000045"  # Riverton's copy of The Dispossessed, held for Cora
LOSE = "33000000000016"  # Elk Valley's copy of Piranesi, lent to Cora and lost


def shot(page, name: str, *, phone: bool = False) -> None:
    """The page as the guide shows it: the viewport, not the whole page (small files)."""
    if not SHOTS:
        return
    GUIDE_IMG.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(GUIDE_IMG / f"{name}.png"))
    if phone:
        page.set_viewport_size(PHONE)
        page.screenshot(path=str(GUIDE_IMG / f"{name}-phone.png"))
        page.set_viewport_size(DESKTOP)


def focused(page) -> str:
    """What has the focus: its accessible text, as a screen reader would start to say it."""
    return page.evaluate(
        """() => {
          const el = document.activeElement;
          if (!el || el === document.body) return "";
          const label = el.labels && el.labels.length ? el.labels[0].innerText : "";
          return (label || el.getAttribute("aria-label") || el.innerText || el.value || "")
            .replace(/\\s+/g, " ").trim();
        }"""
    )


def tab_to(page, text: str, *, exact: bool = False, limit: int = 80) -> None:
    """Press Tab until the focus is on the link, button or field whose text has `text`
    (or is `text`, exact): the proof that a keyboard reaches it."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = focused(page).lower()
        if now == text.lower() if exact else text.lower() in now:
            return
    raise AssertionError(f"{limit} Tabs never reached {text!r}")


def follow(page, text: str, *, exact: bool = False) -> None:
    """Tab to a link or button and press Enter: the keyboard's click."""
    tab_to(page, text, exact=exact)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def scan(page, code: str) -> None:
    """As a wedge scanner: the barcode typed, then Enter."""
    page.keyboard.type(code)
    page.keyboard.press("Enter")


def type_over(page, text: str) -> None:
    """Replace the focused field's value, as staff select it and type."""
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def log_in(page, url: str, username: str) -> None:
    page.goto(f"{url}/login/")
    assert focused(page).startswith("Username")
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def log_out(page) -> None:
    follow(page, "Log out")
    page.get_by_role("link", name="Staff log in").wait_for()


def count(page, ident: str) -> int:
    return int(page.locator(f"#{ident} .n").inner_text())


@pytest.fixture
def day(hw):
    """Elk Valley with a desk worker and a patron, Cora, who owes an old $12 fine there
    (over the group's $10 block) and holds a title whose one copy is at Riverton Main."""
    make_staff("desk.elk", StaffRole.Role.DESK, hw.elk)
    cora = Patron.objects.create(
        card=CORA,
        first_name="Cora",
        last_name="Whitfeather",
        home_library=hw.elk,
        preferred_branch=hw.elk_main,
        expires_on=timezone.localdate() + dt.timedelta(days=365),
    )
    held = make_copy(
        hw, make_title("The Dispossessed"), HELD, library=hw.riverton, branch=hw.riv_main
    )
    lose = make_copy(hw, make_title("Piranesi"), LOSE, price=Decimal("25.00"))
    charge(cora, lose, "12.00", days_ago=40)
    holds_actions.place_hold(None, cora, hw.elk_main, title=held.title)
    return hw


@pytest.mark.browser
def test_a_desk_workers_day_by_keyboard(live_server, transactional_db, day, page):
    page.set_default_timeout(20_000)
    url = live_server.url
    hold = Hold.objects.get()

    # --- Riverton Main: the branch home says what to pull ---------------------------------
    log_in(page, url, "desk.riv")
    follow(page, "Riverton Main")  # Riverton has two branches: choose one
    page.get_by_role("heading", name="Today at Riverton Main").wait_for()
    assert count(page, "count-pull") == 1
    shot(page, "home", phone=True)

    follow(page, "hold to pull")
    page.get_by_role("heading", name="Pick list: Riverton Main").wait_for()
    assert focused(page) == "Scan a pulled copy"
    shot(page, "pick-list", phone=True)
    scan(page, HELD)
    page.get_by_text("SEND TO ELK VALLEY").first.wait_for()
    assert focused(page) == "Scan a pulled copy"
    shot(page, "pick-list-pulled")

    # --- pack a crate for Elk Valley and ship it ------------------------------------------
    follow(page, "Desk", exact=True)
    page.get_by_role("heading", name="Today at Riverton Main").wait_for()
    assert count(page, "count-send") == 1
    follow(page, "Open a crate for ELK")
    page.locator("#crate-label").wait_for()
    crate = Crate.objects.get()
    assert "Item barcode to put in this crate" in focused(page)
    scan(page, HELD)
    page.locator("#scan-results > li[data-outcome='added']").wait_for()
    assert "Item barcode to put in this crate" in focused(page)
    shot(page, "crate-pack", phone=True)
    follow(page, "Close the crate")
    page.locator("#crate-state").get_by_text("Closed").wait_for()
    follow(page, "mark shipped")
    page.locator("#crate-state").get_by_text("Shipped").wait_for()
    shot(page, "crate-shipped")
    log_out(page)

    # --- Elk Valley: receive, unpack, the hold slip ---------------------------------------
    log_in(page, url, "desk.elk")
    page.get_by_role("heading", name="Today at Elk Valley").wait_for()
    shot(page, "home-receiving")
    assert count(page, "count-due") == 1  # due in two days, here today: received anyway
    follow(page, "way here")
    page.get_by_role("heading", name="Receive a crate at Elk Valley").wait_for()
    assert "Crate label" in focused(page)
    scan(page, crate.label)
    page.get_by_label("Item barcode taken out of this crate").wait_for()
    assert "Item barcode taken out of this crate" in focused(page)
    scan(page, HELD)
    line = page.locator("#scan-results > li[data-outcome='arrived']")
    line.wait_for()
    assert "HOLD SHELF" in line.inner_text()
    shot(page, "crate-unpack", phone=True)
    tab_to(page, "Print slip")
    with page.context.expect_page() as opened:
        page.keyboard.press("Enter")
    slip = opened.value
    slip.wait_for_load_state()
    text = slip.locator("body").inner_text()
    # Elk Valley prints the privacy-safe code, not the name (Library.slip_patron_label).
    assert "WHIT-0041" in text and "Whitfeather" not in text
    assert "Elk Valley" in text and "The Dispossessed" in text and HELD in text
    hold.refresh_from_db()
    assert hold.state == Hold.State.ON_SHELF
    assert f"{hold.shelf_expires_on:%-d %b %Y}" in text
    if SHOTS:
        slip.set_viewport_size(DESKTOP)
        slip.screenshot(path=str(GUIDE_IMG / "hold-slip.png"))
    slip.close()
    page.bring_to_front()
    follow(page, "reconcile")
    page.locator("#reconcile-summary").get_by_text("Everything matched").wait_for()

    # --- the hold shelf --------------------------------------------------------------------
    follow(page, "Desk", exact=True)
    follow(page, "waiting on the hold shelf")
    page.get_by_role("heading", name="Hold shelf: Elk Valley").wait_for()
    assert page.get_by_role("cell", name="Whitfeather, Cora").is_visible()
    shot(page, "hold-shelf", phone=True)

    # --- lend: refused for the fine, which she pays in two parts --------------------------
    follow(page, "Check out", exact=True)
    assert "Patron's library card" in focused(page)
    scan(page, CORA)
    page.get_by_role("heading", name="Cora Whitfeather").wait_for()
    scan(page, HELD)
    refused = page.locator("#scan-results > li").first
    refused.get_by_text("CHECKOUT-8").wait_for()
    shot(page, "checkout-fines-block", phone=True)
    follow(page, "Take a payment")
    page.get_by_role("heading", name="Money: Cora Whitfeather").wait_for()
    shot(page, "money", phone=True)
    tab_to(page, "Amount")
    type_over(page, "5")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Receipt").wait_for()
    receipt = page.locator(".receipt").inner_text()
    assert "$5.00" in receipt and "$7.00" in receipt
    shot(page, "receipt", phone=True)
    follow(page, "Back to Cora's money")
    assert page.locator("#owed").inner_text() == "$7.00"
    tab_to(page, "Amount")
    page.keyboard.press("Enter")  # the amount offered is what she owes
    page.get_by_role("heading", name="Receipt").wait_for()
    receipt = page.locator(".receipt").inner_text()
    assert "Still owed after this payment, all charges: $0.00" in receipt
    assert Payment.objects.count() == 2

    # Back at the checkout, Cora is still the patron being served, her block gone.
    follow(page, "Back to Cora's money")
    follow(page, "Back to check out")
    page.get_by_role("heading", name="Cora Whitfeather").wait_for()
    assert "No blocks." in page.locator("#patron-panel").inner_text()
    assert "Item barcode" in focused(page)
    scan(page, HELD)
    scan(page, LOSE)
    # Below them, the refusal from before she paid: the list is the day's log for Cora.
    lines = page.locator("#scan-results > li")
    page.wait_for_function("document.querySelectorAll('#scan-results > li').length === 3")
    assert "CHECKOUT-1" in lines.nth(0).inner_text() and "DUE " in lines.nth(0).inner_text()
    assert "CHECKOUT-16" in lines.nth(1).inner_text()  # the hold's copy, picked up
    assert "Item barcode" in focused(page)
    shot(page, "checkout", phone=True)
    assert Loan.objects.filter(patron__card=CORA, state=Loan.State.ACTIVE).count() == 2
    page.keyboard.press("Escape")  # done with Cora
    page.get_by_label("Patron's library card").wait_for()

    # --- lost, paid for, found: the payment handed back -----------------------------------
    follow(page, "Find a copy", exact=True)
    assert "Item barcode" in focused(page)
    scan(page, LOSE)
    page.get_by_role("heading", name=f"Copy {LOSE}").wait_for()
    shot(page, "item", phone=True)
    follow(page, "Mark lost", exact=True)
    page.get_by_role("heading", name="Mark lost").wait_for()
    tab_to(page, "Note")
    page.keyboard.type("Cora says it went in the river.")
    tab_to(page, "Yes, mark lost")
    page.keyboard.press("Space")
    shot(page, "item-lost")
    follow(page, "Mark lost", exact=True)
    page.get_by_text("LOST-1").first.wait_for()
    lost = Charge.objects.get(kind=Charge.Kind.LOST)
    assert lost.amount == Decimal("25.00")

    follow(page, "Check out", exact=True)
    scan(page, CORA)
    page.get_by_role("heading", name="Cora Whitfeather").wait_for()
    follow(page, "Take a payment")
    tab_to(page, "Amount")
    assert page.locator("#amount").input_value() == "25.00"
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Receipt").wait_for()

    follow(page, "Find a copy", exact=True)
    scan(page, LOSE)
    page.get_by_role("heading", name=f"Copy {LOSE}").wait_for()
    follow(page, "Found: check it in here", exact=True)
    page.get_by_role("heading", name="Found: check it in here").wait_for()
    tab_to(page, "Note")
    page.keyboard.type("Dried out on the returns cart.")
    follow(page, "Found: check it in here", exact=True)
    page.get_by_text("FOUND-1").first.wait_for()
    said = page.get_by_role("status").inner_text()
    assert "refund $25.00 to the patron ($25.00 by cash)" in said, said
    shot(page, "item-found", phone=True)
    refund = ChargeEntry.objects.get(charge=lost, kind=ChargeEntry.Kind.REFUND)
    assert refund.amount == Decimal("25.00")
    lost.refresh_from_db()
    assert lost.settled_at is not None
