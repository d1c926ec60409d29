"""The report form: refusals keep what was typed (HELP-1 to HELP-4), a screenshot is kept
through the storage API and across a refusal, filing thanks the person and tells
technical staff (HELP-9), and every staff page links to the form with its own path."""

from __future__ import annotations

import io
import re

from django.core import mail
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from onelibrary.helpdesk import screenshots
from onelibrary.helpdesk.models import Report
from tests.helpdesk.conftest import client_for, png, text

FORM = "/helpdesk/report/"


def typed(desk, **fields: object) -> dict[str, object]:
    """A report as desk.pine types it, every field filled but those given."""
    values: dict[str, object] = {
        "symptom": "The check-in page showed a red message: 'No rule covers this item'.",
        "doing": "Checking in the morning's returns.",
        "message_seen": "No rule covers this item.",
        "started": "Today about 10:40",
        "tried": "Scanned it again; logged out and in.",
        "device": "Circulation desk PC 2",
        "branch": desk.world.pine_main.pk,
        "affects": "branch",
    }
    values.update(fields)
    return values


def test_help_1_a_report_with_no_symptom_is_refused_and_keeps_what_was_typed(desk):
    before = Report.objects.count()
    response = client_for(desk.world.desk_pine).post(FORM, typed(desk, symptom="   "))
    assert response.status_code == 400
    page = text(response)
    assert "Please say what you saw" in page and "(HELP-1)" in page
    assert "Everything you typed is still here" in page
    assert "Circulation desk PC 2" in page and "Checking in the morning" in page
    assert "checked" in re.search(r'<input[^>]*value="branch"[^>]*>', page).group()
    assert Report.objects.count() == before


def test_help_2_an_upload_that_is_not_an_image_is_refused_and_the_rest_is_kept(desk):
    fake = SimpleUploadedFile("notes.png", b"%PDF-1.4 not a picture", content_type="image/png")
    response = client_for(desk.world.desk_pine).post(FORM, typed(desk, screenshot=fake))
    assert response.status_code == 400
    page = text(response)
    assert "“notes.png” is not a picture we can read" in page and "(HELP-2)" in page
    assert "PNG, JPEG" in page and "Circulation desk PC 2" in page
    assert Report.objects.count() == 2
    assert not default_storage.exists(screenshots.FOLDER) or not any(
        default_storage.listdir(screenshots.FOLDER)[1]
    )


def test_help_3_an_upload_too_large_is_refused_with_the_limit(desk):
    big = SimpleUploadedFile("huge.png", b"\0" * (screenshots.MAX_BYTES + 1))
    response = client_for(desk.world.desk_pine).post(FORM, typed(desk, screenshot=big))
    assert response.status_code == 400
    page = text(response)
    assert "may be at most 8 MB" in page and "(HELP-3)" in page
    assert "No rule covers this item" in page
    assert Report.objects.count() == 2


def test_help_3_an_image_with_too_many_pixels_is_refused_with_the_limit(desk):
    wide = png((8000, 6000), mode="1", name="three-screens.png")  # 48 million, tiny file
    assert wide.size < screenshots.MAX_BYTES
    response = client_for(desk.world.desk_pine).post(FORM, typed(desk, screenshot=wide))
    assert response.status_code == 400
    page = text(response)
    assert "8000 × 6000 pixels" in page and "at most 40 million pixels" in page
    assert Report.objects.count() == 2


def test_help_4_a_branch_of_another_library_is_refused(desk):
    response = client_for(desk.world.desk_pine).post(
        FORM, typed(desk, branch=desk.world.riv_main.pk)
    )
    assert response.status_code == 400
    assert "Choose one of your library's branches" in text(response)
    assert Report.objects.count() == 2


def test_help_4_the_action_refuses_another_library_s_branch_too(desk):
    from onelibrary.helpdesk import actions

    problem = actions.Problem(symptom="Slow", branch=desk.world.elk_main)
    try:
        actions.file_report(desk.world.desk_pine, problem)
    except actions.HelpRefused as refused:
        assert refused.decision == "HELP-4" and "Elk Valley" in refused.message
    else:
        raise AssertionError("filed a report for another library's branch")


def test_a_screenshot_is_kept_across_a_refusal_and_filed_with_the_report(desk):
    client = client_for(desk.world.desk_pine)
    first = client.post(FORM, typed(desk, symptom="", screenshot=png()))
    assert first.status_code == 400
    page = text(first)
    assert "Your screenshot “screen.png” is attached" in page
    token = page.split('name="kept_screenshot" value="')[1].split('"')[0]

    response = client.post(FORM, typed(desk, kept_screenshot=token))
    report = Report.objects.latest("pk")
    assert response.status_code == 302 and response["Location"] == f"/helpdesk/reports/{report.pk}/"
    assert report.screenshot.startswith("helpdesk/screenshots/")
    assert report.screenshot_type == "image/png" and default_storage.exists(report.screenshot)


def test_a_kept_screenshot_token_is_the_person_s_own(desk):
    page = client_for(desk.world.desk_pine).post(FORM, typed(desk, symptom="", screenshot=png()))
    token = text(page).split('name="kept_screenshot" value="')[1].split('"')[0]
    desk_riv = desk.world.desk_riv
    client_for(desk_riv).post(
        FORM, typed(desk, branch=desk.world.riv_main.pk, kept_screenshot=token)
    )
    assert Report.objects.latest("pk").screenshot == ""


def test_help_9_filing_thanks_the_person_and_emails_technical_staff(
    desk, django_capture_on_commit_callbacks
):
    client = client_for(desk.world.desk_pine)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(FORM, typed(desk, screenshot=png()), follow=True)
    report = Report.objects.latest("pk")
    page = text(response)
    assert f"Thank you — your report is filed as Report {report.pk}" in page
    assert "nothing else you need to do" in page
    assert report.library == desk.world.pine and report.affects == "branch"
    assert report.device == "Circulation desk PC 2" and report.status == "new"
    assert [m.to for m in mail.outbox] == [["tech@county.example"]]
    assert "No rule covers this item" in mail.outbox[0].body
    assert "Pine Creek" in mail.outbox[0].body
    assert f"http://testserver/helpdesk/reports/{report.pk}/" in mail.outbox[0].body


def test_the_screenshot_file_is_the_upload_itself(desk):
    buffer = io.BytesIO()
    Image.new("RGB", (30, 20), "red").save(buffer, "JPEG")
    upload = SimpleUploadedFile("photo.jpeg", buffer.getvalue())
    client_for(desk.world.desk_pine).post(FORM, typed(desk, screenshot=upload))
    report = Report.objects.latest("pk")
    assert report.screenshot.endswith(".jpg") and report.screenshot_type == "image/jpeg"
    with default_storage.open(report.screenshot) as kept:
        assert kept.read() == buffer.getvalue()


def test_the_form_asks_for_symptoms_not_conclusions(desk):
    page = text(client_for(desk.world.desk_pine).get(FORM))
    assert "What did you see?" in page
    assert "not what you think the cause is" in page and "the server is down" in page
    for asked in (
        "What were you doing just before?",
        "The exact message",
        "Screenshot",
        "When did it start?",
        "What have you tried already?",
        "Which computer or device?",
        "How many people does it affect?",
    ):
        assert asked in page
    assert "user error" not in page.lower()


def test_every_staff_page_links_to_the_form_with_its_path(desk):
    page = text(client_for(desk.world.desk_pine).get("/desk/checkin/"))
    assert 'href="/helpdesk/report/?page=/desk/checkin/"' in page
    assert "Report a problem" not in text(client_for_anonymous().get("/"))


def client_for_anonymous():
    from django.test import Client

    return Client()


def test_only_staff_may_open_the_form(desk, django_user_model):
    assert client_for_anonymous().get(FORM).status_code == 302
    django_user_model.objects.create_user("visitor", password="correct horse battery")
    visitor = django_user_model.objects.get(username="visitor")
    assert client_for(visitor).get(FORM).status_code == 403
