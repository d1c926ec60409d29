"""Filing a problem report in headless Chromium, checked with axe-core: from a refused
check-in scan to the form (prefilled), known answers appearing as the symptom is typed,
a file that is not a picture refused with everything typed kept, then the report sent
with a real screenshot, which the report's page shows."""

from __future__ import annotations

import importlib
import io

import pytest
from django.apps import apps
from PIL import Image

from onelibrary.helpdesk.models import Report
from tests.axe import check_page
from tests.conftest import PASSWORD
from tests.helpdesk.conftest import make_technical

seed = importlib.import_module("onelibrary.helpdesk.migrations.0002_seed_answers")


def screenshot_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (320, 200), "white").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.browser
def test_filing_a_report_with_a_screenshot(
    live_server, transactional_db, world, settings, tmp_path, page
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    seed.seed(apps, None)  # a committing test starts on a flushed database
    make_technical("tech")

    page.goto(f"{live_server.url}/login/?next=/desk/checkin/")
    page.get_by_label("Username").fill("desk.pine")
    page.get_by_label("Password").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Check in", level=1).wait_for()
    assert page.get_by_role("link", name="Report a problem", exact=True).is_visible()

    page.get_by_label("Barcode").fill("39999999999999")
    page.keyboard.press("Enter")
    report_link = page.get_by_role("link", name="Report a problem with this")
    report_link.wait_for()
    # The scan lines' list sits inside the live log region, not as it: axe's listitem rule.
    check_page(page, "the check-in page with a refused scan")
    report_link.click()

    page.get_by_role("heading", name="Report a problem", level=1).wait_for()
    assert page.get_by_label("Page").input_value() == "/desk/checkin/"
    assert page.get_by_label("Message OneLibrary showed").input_value()
    assert (
        page.get_by_label("Branch").locator("option:checked").inner_text().startswith("Pine Creek")
    )
    check_page(page, "the report form, prefilled")

    page.get_by_label("What did you see?").press_sequentially(
        "The barcode scanner adds characters", delay=20
    )
    suggestion = page.get_by_role("link", name="The barcode scanner adds extra characters")
    suggestion.wait_for()
    check_page(page, "the report form with a suggestion")

    page.get_by_label("Which computer or device?").fill("Circulation desk PC 2")
    page.get_by_label("Everyone at this branch").check()
    page.get_by_label("Screenshot (optional)").set_input_files(
        {"name": "notes.txt", "mimeType": "text/plain", "buffer": b"not a picture"}
    )
    page.get_by_role("button", name="Send the report").click()
    refusal = page.get_by_text("“notes.txt” is not a picture we can read")
    refusal.wait_for()
    assert page.get_by_label("What did you see?").input_value() == (
        "The barcode scanner adds characters"
    )
    assert page.get_by_label("Which computer or device?").input_value() == "Circulation desk PC 2"
    assert page.get_by_label("Everyone at this branch").is_checked()
    assert not Report.objects.exists()
    check_page(page, "the report form with a refused upload")

    page.get_by_label("Screenshot (optional)").set_input_files(
        {"name": "screen.png", "mimeType": "image/png", "buffer": screenshot_png()}
    )
    page.get_by_role("button", name="Send the report").click()
    page.get_by_text("Thank you — your report is filed").wait_for()
    report = Report.objects.get()
    assert report.symptom == "The barcode scanner adds characters"
    assert report.context_page == "/desk/checkin/" and report.screenshot
    image = page.get_by_role("img", name=f"The screenshot attached to Report {report.pk}")
    image.wait_for()
    page.wait_for_function("() => document.querySelector('figure.screenshot img').complete")
    assert image.evaluate("img => img.naturalWidth") == 320  # served, and a real picture
    check_page(page, "the filed report")


@pytest.mark.browser
def test_technical_staff_sort_and_answer_a_report(
    live_server, transactional_db, world, settings, page
):
    from onelibrary.helpdesk import actions

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    make_technical("tech")
    report = actions.file_report(
        world.desk_pine,
        actions.Problem(symptom="The slip printer's light blinks orange.", branch=world.pine_main),
    )
    page.goto(f"{live_server.url}/login/?next=/helpdesk/")
    page.get_by_label("Username").fill("tech")
    page.get_by_label("Password").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Help desk", level=1).wait_for()
    check_page(page, "the triage queue")

    page.get_by_role("link", name=f"Report {report.pk}").click()
    page.get_by_role("heading", name="Sort this report").wait_for()
    page.get_by_label("Priority").select_option("high")
    page.get_by_label("Assigned to").select_option(label="tech")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Saved: Priority: High: work is held up; Assigned to tech.").wait_for()
    page.get_by_label("Your reply").fill("Thank you! Is there paper in the tray?")
    page.get_by_role("button", name="Send the reply").click()
    page.get_by_text("Thank you, your reply is in the thread.").wait_for()
    assert page.get_by_text("Is there paper in the tray?").is_visible()
    check_page(page, "a report with its thread, for technical staff")
