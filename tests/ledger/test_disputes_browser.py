"""A dispute in headless Chromium, from report to decision: Pine Creek's desk checks in
Riverton's copy and reports it damaged with a photo; Riverton disputes it with a photo of
its own; Pine Creek answers in the thread; the central office decides and the entry is
booked. Each page is checked with axe-core."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from onelibrary.circulation import actions
from onelibrary.ledger.models import DamageReport, Entry, Photo
from tests.axe import check_page
from tests.conftest import PASSWORD

from .damage import media_root, png  # noqa: F401


def log_in(page, url: str, username: str, then: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{url}/login/?next={then}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda address: "/login/" not in address and address.endswith(then))
    page.wait_for_load_state("load")


def photo_loaded(page) -> bool:
    page.wait_for_load_state("load")
    return page.evaluate(
        "[...document.querySelectorAll('.photos img')].every(i => i.complete && i.naturalWidth > 0)"
    )


@pytest.mark.browser
def test_a_dispute_from_report_to_decision(
    live_server, transactional_db, lw, usual, media, page, tmp_path
):
    url = live_server.url
    actions.check_out(
        lw.desk_riv, lw.riv_main, lw.ben, lw.dune_riv, now=timezone.now() - dt.timedelta(days=10)
    )
    stain = tmp_path / "stain.png"
    stain.write_bytes(png((64, 48)))

    # Pine Creek checks the copy in, sees the damage and reports it from the checkin line.
    log_in(page, url, "desk.pine", "/desk/checkin/")
    page.get_by_label("Item barcode").fill(lw.dune_riv.barcode)
    page.keyboard.press("Enter")
    page.locator("#scan-results > li").first.wait_for()
    page.get_by_role("link", name="Report damage").first.click()
    page.get_by_role("heading", name="Report damage").wait_for()
    assert page.get_by_label("Item barcode").input_value() == lw.dune_riv.barcode
    check_page(page, "the report form")
    page.get_by_label("What is damaged").fill("Water damage through the first chapters")
    page.get_by_label("Photos").set_input_files(str(stain))
    page.get_by_role("button", name="Send the report").click()
    page.locator("#report-state").get_by_text("Awaiting an answer").wait_for()
    report = DamageReport.objects.get()
    assert (report.owner, report.payer, report.responder) == (lw.riverton, lw.pine, lw.riverton)
    assert photo_loaded(page)
    check_page(page, "the report as its reporter sees it")

    # Riverton sees it waiting on its ledger page and disputes it, with a photo.
    log_in(page, url, "desk.riv", "/ledger/")
    page.get_by_role("link", name=f"Report #{report.pk}").click()
    page.get_by_label("Why you dispute it").fill("Beyond repair: it must be replaced")
    page.get_by_label("Photos", exact=True).first.set_input_files(str(stain))
    page.get_by_role("button", name="Dispute").click()
    page.locator("#report-state").get_by_text("Disputed").wait_for()
    assert Photo.objects.count() == 2
    check_page(page, "the disputed report")

    # Pine Creek answers in the thread.
    log_in(page, url, "desk.pine", f"/ledger/reports/{report.pk}/")
    page.get_by_label("Message").fill("It was already worn when our patron borrowed it")
    page.get_by_role("button", name="Send the message").click()
    page.locator(".thread").get_by_text("already worn").wait_for()
    assert page.get_by_role("button", name="Record the decision").count() == 0

    # The central office decides; the entry is booked.
    log_in(page, url, "central", f"/ledger/reports/{report.pk}/")
    assert photo_loaded(page)
    check_page(page, "the report before the decision")
    page.get_by_label("Decision", exact=True).select_option("charge")
    page.get_by_label("Amount").fill("15.00")
    page.get_by_label("Reason (required)").fill("Repairable; the borrower pays the repair")
    page.get_by_role("button", name="Record the decision").click()
    page.locator("#report-state").get_by_text("Decided by the central office").wait_for()
    assert (
        "Pine Creek Library owes Riverton City Library $15.00"
        in page.locator("#decision-text").inner_text()
    )
    entry = Entry.objects.get()
    assert (entry.debtor, entry.creditor, str(entry.amount), entry.decision) == (
        lw.pine,
        lw.riverton,
        "15.00",
        "DISPUTE-12",
    )
    page.locator("#booked-entries").get_by_text(f"Entry #{entry.pk}").wait_for()
    check_page(page, "the decided report")
