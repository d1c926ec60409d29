"""The memorandum builder in headless Chromium, step by step, checked with axe-core: what
is typed survives back and next, the progress and the wording warning show, signing is
refused while sections are empty and the signers typed stay on the form."""

from __future__ import annotations

import pytest

from onelibrary.outreach import mou
from onelibrary.outreach.models import Memorandum
from tests.axe import check_page
from tests.conftest import PASSWORD


def log_in(page, live_server, username: str, next_path: str) -> None:
    page.goto(f"{live_server.url}/login/?next={next_path}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.keyboard.press("Enter")


@pytest.mark.browser
def test_the_mou_builder_step_by_step(live_server, transactional_db, outreach, page):
    partner = f"/outreach/partners/{outreach.literacy.id}/"
    log_in(page, live_server, "admin.riv", partner)
    page.get_by_role("heading", name="Riverton Literacy Council", level=1).wait_for()
    check_page(page, "the partnership page")

    page.get_by_label("Title").fill("Homework help")
    page.get_by_role("button", name="Start a memorandum").click()
    page.get_by_role("heading", name="Step 1 of 12: Assets and needs").wait_for()
    check_page(page, "the builder's first step")

    page.get_by_label("Assets and needs").fill("Rooms on weekday evenings; volunteer tutors.")
    page.get_by_role("button", name="Save and next").click()
    page.get_by_role("heading", name="Step 2 of 12: Audiences").wait_for()
    assert page.get_by_text("1 of 10 required sections written").is_visible()

    page.get_by_label("Audiences").fill("Adults learning to read, as in our partnership agreement.")
    page.get_by_role("button", name="Back").click()
    page.get_by_role("heading", name="Step 1 of 12: Assets and needs").wait_for()
    assert page.get_by_label("Assets and needs").input_value().startswith("Rooms on weekday")
    warning = page.get_by_role("status").filter(has_text="Words to avoid")
    assert "“partnership agreement” appears in: Audiences" in warning.inner_text()
    check_page(page, "a step with the wording warning")

    # The step list saves too: jump to Termination, then come back to Audiences.
    nav = page.get_by_role("navigation", name="Sections of the memorandum")
    nav.get_by_role("button", name="Termination").click()
    page.get_by_role("heading", name="Step 9 of 12: Termination").wait_for()
    page.get_by_label("Termination").fill("Either side may end it with a month's notice.")
    nav.get_by_role("button", name="Audiences").click()
    page.get_by_role("heading", name="Step 2 of 12: Audiences").wait_for()
    assert "partnership agreement" in page.get_by_label("Audiences").input_value()
    page.get_by_label("Audiences").fill("Adults learning to read.")
    page.get_by_role("button", name="Save and see the whole memorandum").click()
    page.get_by_role("heading", name="Homework help", level=1).wait_for()
    assert page.get_by_text("Words to avoid").count() == 0  # the warning went with the words
    check_page(page, "the memorandum's page")

    page.get_by_label("Signed for the library by").fill("Ruth Okafor")
    page.get_by_label("Signed for the partner by").fill("María Ruiz")
    page.get_by_role("button", name="Mark signed").click()
    alert = page.get_by_role("alert").first
    alert.wait_for()
    assert "MOU-1" in alert.inner_text() and "Goals and shared agreements" in alert.inner_text()
    assert page.get_by_label("Signed for the library by").input_value() == "Ruth Okafor"
    check_page(page, "the memorandum's page with a refusal")

    memo = Memorandum.objects.get(title="Homework help")
    assert memo.status == Memorandum.Status.DRAFT and not memo.versions.exists()
    assert memo.texts["audiences"] == "Adults learning to read."
    assert len([s for s in mou.SECTIONS if memo.texts.get(s.key)]) == 3
