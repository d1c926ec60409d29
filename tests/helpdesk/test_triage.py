"""HELP-5 to HELP-7: a member's staff see their own library's reports, technical staff
see and sort all of them; a reply is a line in the thread and goes by email; a report,
its screenshot, its thread and its triage are 404 to anyone who may not see it, and
nothing changes."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.test import Client

from onelibrary.helpdesk import actions, screenshots
from onelibrary.helpdesk.models import Message, Report
from tests.helpdesk.conftest import client_for, png, text
from tests.members.test_staff_idor import routes_of

TRIAGE = {"category": "printing", "priority": "high", "status": "in_progress", "assignee": ""}


def test_help_5_a_member_s_staff_see_their_own_library_s_reports_only(desk):
    queue = text(client_for(desk.world.admin_riv).get("/helpdesk/"))
    assert "The receipt printer" in queue and "types the barcode twice" not in queue
    assert text(client_for(desk.elk).get("/helpdesk/")).count("/helpdesk/reports/") == 0
    own = client_for(desk.world.desk_riv).get(f"/helpdesk/reports/{desk.riv_report.pk}/")
    assert own.status_code == 200


def test_help_5_technical_staff_see_every_report(desk):
    queue = text(client_for(desk.tech).get("/helpdesk/"))
    assert "The receipt printer" in queue and "types the barcode twice" in queue
    assert "Riverton City Library" in queue and "Pine Creek Library" in queue
    central = text(client_for(desk.world.central).get("/helpdesk/"))
    assert "types the barcode twice" in central


def test_help_5_another_library_s_report_is_404_like_one_that_does_not_exist(desk):
    client = client_for(desk.world.desk_pine)
    assert client.get(f"/helpdesk/reports/{desk.riv_report.pk}/").status_code == 404
    assert client.get("/helpdesk/reports/9999/").status_code == 404


def test_help_6_technical_staff_sort_a_report_and_each_change_is_in_the_thread(
    desk, django_capture_on_commit_callbacks
):
    report = desk.riv_report
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(desk.tech).post(
            f"/helpdesk/reports/{report.pk}/triage/", {**TRIAGE, "assignee": desk.tech.pk}
        )
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.category, report.priority, report.status) == ("printing", "high", "in_progress")
    assert report.assignee == desk.tech
    change = Message.objects.get(report=report, kind="change")
    assert "Priority: High" in change.body and "Assigned to tech" in change.body
    # the person who reported it is told, with what happens next
    assert [m.to for m in mail.outbox] == [["desk.riv@library.example"]]
    assert "will write when they know more" in mail.outbox[0].body


def test_help_6_a_member_s_staff_may_read_but_not_sort_their_report(desk):
    report = desk.riv_report
    client = client_for(desk.world.admin_riv)
    assert "Sort this report" not in text(client.get(f"/helpdesk/reports/{report.pk}/"))
    assert client.post(f"/helpdesk/reports/{report.pk}/triage/", TRIAGE).status_code == 403
    report.refresh_from_db()
    assert report.status == "new" and not Message.objects.exists()


def test_help_6_a_report_is_assigned_only_to_technical_staff(desk):
    report = desk.riv_report
    with pytest.raises(actions.HelpRefused) as refused:
        actions.triage(
            desk.tech,
            report,
            actions.Triage("desk", "normal", "new", assignee=desk.world.desk_riv),
        )
    assert refused.value.decision == "HELP-6"
    response = client_for(desk.tech).post(
        f"/helpdesk/reports/{report.pk}/triage/", {**TRIAGE, "assignee": desk.world.desk_riv.pk}
    )
    assert response.status_code == 400  # not among the choices
    report.refresh_from_db()
    assert report.assignee is None and report.priority == "normal"


def test_help_7_technical_staff_s_reply_is_emailed_to_the_person_who_reported_it(
    desk, django_capture_on_commit_callbacks
):
    report = desk.riv_report
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(desk.tech).post(
            f"/helpdesk/reports/{report.pk}/reply/",
            {"text": "Thank you! Could you open the lid and tell me if paper is stuck?"},
            follow=True,
        )
    assert "emailed to desk.riv@library.example" in text(response)
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["desk.riv@library.example"]
    assert sent.subject.startswith(f"Re: problem report {report.pk}")
    assert "open the lid" in sent.body and f"/helpdesk/reports/{report.pk}/" in sent.body
    thread = text(client_for(desk.world.desk_riv).get(f"/helpdesk/reports/{report.pk}/"))
    assert "open the lid" in thread


def test_help_7_the_reporter_s_answer_goes_to_the_assignee_and_reopens_the_report(
    desk, django_capture_on_commit_callbacks
):
    report = desk.riv_report
    actions.triage(desk.tech, report, actions.Triage("printing", "normal", "waiting", desk.tech))
    with django_capture_on_commit_callbacks(execute=True):
        client_for(desk.world.desk_riv).post(
            f"/helpdesk/reports/{report.pk}/reply/", {"text": "Yes, a crumpled slip was stuck."}
        )
    report.refresh_from_db()
    assert report.status == "in_progress"
    assert [m.to for m in mail.outbox] == [["tech@county.example"]]


def test_help_7_an_empty_reply_is_refused(desk):
    response = client_for(desk.tech).post(f"/helpdesk/reports/{desk.riv_report.pk}/reply/", {})
    assert response.status_code == 400
    assert "Write a reply before sending" in text(response) and "(HELP-7)" in text(response)
    assert not Message.objects.exists()


def test_help_7_a_reply_by_someone_who_may_not_see_the_report_is_404(
    desk, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(desk.world.desk_pine).post(
            f"/helpdesk/reports/{desk.riv_report.pk}/reply/", {"text": "Seen it too."}
        )
    assert response.status_code == 404
    assert not Message.objects.exists() and mail.outbox == []


def test_help_5_the_screenshot_is_served_only_to_those_who_may_see_the_report(desk):
    shot = screenshots.keep(png())
    report = actions.file_report(
        desk.world.desk_riv,
        actions.Problem(symptom="The screen went blank.", branch=desk.world.riv_east),
        screenshot=shot,
    )
    url = f"/helpdesk/reports/{report.pk}/screenshot/"
    own = client_for(desk.world.admin_riv).get(url)
    assert own.status_code == 200 and own["Content-Type"] == "image/png"
    assert own["Cache-Control"] == "private, no-store"
    with default_storage.open(shot.name) as kept:
        assert b"".join(own.streaming_content) == kept.read()
    assert client_for(desk.world.desk_pine).get(url).status_code == 404
    assert Client().get(url).status_code == 302  # to the login page
    assert client_for(desk.tech).get(url).status_code == 200


# Every help desk page that takes an id, and what it is for this scene (r: a report).
ROUTES = {
    "helpdesk/reports/<int:pk>/": ("get", "/helpdesk/reports/{r}/"),
    "helpdesk/reports/<int:pk>/reply/": ("post", "/helpdesk/reports/{r}/reply/"),
    "helpdesk/reports/<int:pk>/triage/": ("post", "/helpdesk/reports/{r}/triage/"),
    "helpdesk/reports/<int:pk>/screenshot/": ("get", "/helpdesk/reports/{r}/screenshot/"),
}
PUBLIC_TO_STAFF = {"helpdesk/answers/<slug:slug>/"}  # the known answers: every staff member's


def test_every_help_desk_page_with_an_id_is_listed_here():
    assert routes_of("helpdesk/") == set(ROUTES) | PUBLIC_TO_STAFF


@pytest.mark.parametrize("route", sorted(ROUTES))
def test_help_5_every_page_with_a_report_id_is_404_to_another_library(desk, route):
    method, address = ROUTES[route]
    url = address.format(r=desk.riv_report.pk)
    before = (Report.objects.values_list("status", "priority").get(pk=desk.riv_report.pk),)
    data = {**TRIAGE, "text": "Hello"} if method == "post" else None
    response = getattr(client_for(desk.elk), method)(url, data)
    assert response.status_code == 404
    assert (Report.objects.values_list("status", "priority").get(pk=desk.riv_report.pk),) == before
    assert not Message.objects.exists()


def test_technical_staff_with_no_staff_role_get_the_queue_in_the_header(desk):
    header = text(client_for(desk.tech).get("/"))
    assert 'href="/helpdesk/">Help desk</a>' in header and "Report a problem" in header
    desk_header = text(client_for(desk.world.desk_pine).get("/"))
    assert "Report a problem" in desk_header and ">Help desk</a>" not in desk_header


def test_help_7_the_reporter_saying_it_happened_again_reopens_a_resolved_report(desk):
    report = desk.pine_report
    actions.triage(desk.tech, report, actions.Triage("hardware", "normal", "resolved", None))
    actions.reply(desk.world.desk_pine, report, "It happened again this morning.")
    report.refresh_from_db()
    assert report.status == "in_progress"
    assert "answered" in report.messages.filter(kind="change").last().body
