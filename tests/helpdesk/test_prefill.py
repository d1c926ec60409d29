"""HELP-8: opened from a refused scan or an error page, the form fills in what OneLibrary
knew — decision id, message, time, page, branch — as text the person can correct; none
of it is trusted: a scan is read only by those who may see it, a branch only if it is
theirs, a page only if it is a path on this site."""

from __future__ import annotations

import html
import re

from django.utils import timezone

from onelibrary.circulation.models import UnprocessedScan
from onelibrary.helpdesk.models import Report
from tests.helpdesk.conftest import client_for, text


def field(page: str, name: str) -> str:
    """What the form shows in one field (an input's value, a textarea's text)."""
    found = re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', page)
    if found:
        return html.unescape(found.group(1))
    found = re.search(rf'<textarea[^>]*name="{name}"[^>]*>\n?(.*?)</textarea>', page, re.S)
    return html.unescape(found.group(1)) if found else ""


def selected_branch(page: str) -> str:
    found = re.search(r'<option value="(\d+)" selected>', page)
    return found.group(1) if found else ""


def link_on(page: str, label: str = "Report a problem with this") -> str:
    found = re.search(rf'<a href="([^"]+)">{label}', page)
    assert found, f"no “{label}” link on the page"
    return html.unescape(found.group(1))


def refused_checkin(client) -> str:
    """Scan an unknown barcode at Pine Creek's check-in; the page with the refused line."""
    client.post("/desk/checkin/item/", {"barcode": "39999999999999"})
    return client.get("/desk/checkin/").content.decode()


def test_help_8_a_refused_scan_line_fills_in_the_message_time_page_and_branch(desk):
    client = client_for(desk.world.desk_pine)
    link = link_on(refused_checkin(client))
    assert link.startswith("/helpdesk/report/?page=/desk/checkin/")
    page = client.get(link).content.decode()
    message = UnprocessedScan.objects.get().message
    assert field(page, "context_message") == message
    assert field(page, "message_seen") == message
    assert field(page, "context_page") == "/desk/checkin/"
    assert field(page, "context_at").startswith(f"{timezone.localdate():%Y-%m-%d} ")
    assert selected_branch(page) == str(desk.world.pine_main.pk)
    assert field(page, "symptom") == ""  # what they saw is theirs to say
    assert "What OneLibrary recorded (filled in for you)" in page


def test_help_8_a_decision_id_is_filled_in_and_kept_on_the_report(desk):
    client = client_for(desk.world.desk_pine)
    page = client.get(
        "/helpdesk/report/?decision=CHECKIN-13&message=That+is+a+library+card&at=10:42:13"
        "&page=/desk/checkin/"
    ).content.decode()
    assert field(page, "context_decision") == "CHECKIN-13"
    form = {
        name: field(page, name)
        for name in ("context_page", "context_decision", "context_message", "context_at")
    }
    form.update(symptom="The check-in refused a book.", branch=desk.world.pine_main.pk)
    form["affects"] = "me"
    client.post("/helpdesk/report/", form)
    filed = Report.objects.latest("pk")
    assert (filed.context_decision, filed.context_page) == ("CHECKIN-13", "/desk/checkin/")
    assert filed.context_message == "That is a library card"
    assert filed.context_at.endswith("10:42:13")


def test_help_8_the_unprocessed_scans_link_fills_in_from_the_kept_scan(desk):
    client = client_for(desk.world.desk_pine)
    refused_checkin(client)
    scan = UnprocessedScan.objects.get()
    link = link_on(client.get("/desk/unprocessed/").content.decode())
    assert link == f"/helpdesk/report/?scan={scan.pk}"
    page = client.get(link).content.decode()
    assert field(page, "context_scan") == str(scan.pk)
    assert field(page, "context_message") == scan.message
    assert field(page, "doing") == "Scanning 39999999999999 at the checkin screen."
    assert selected_branch(page) == str(desk.world.pine_main.pk)


def test_help_8_another_library_s_scan_fills_in_nothing(desk):
    refused_checkin(client_for(desk.world.desk_pine))
    scan = UnprocessedScan.objects.get()
    page = client_for(desk.elk).get(f"/helpdesk/report/?scan={scan.pk}").content.decode()
    assert field(page, "context_scan") == "" and field(page, "context_message") == ""
    assert "39999999999999" not in page
    # technical staff may read any scan
    page = client_for(desk.tech).get(f"/helpdesk/report/?scan={scan.pk}").content.decode()
    assert field(page, "context_message") == scan.message


def test_help_8_a_branch_or_page_that_is_not_to_be_trusted_is_left_out(desk):
    page = client_for(desk.world.desk_pine).get(
        "/helpdesk/report/?branch=RIV-MAIN&page=https://evil.example/&decision=<script>"
    )
    shown = page.content.decode()
    assert selected_branch(shown) == str(desk.world.pine_main.pk)  # their own, only
    assert field(shown, "context_page") == "" and field(shown, "context_decision") == ""
    assert "<script>" not in text(page)
    # a branch of Riverton is not even among the choices
    assert f'<option value="{desk.world.riv_main.pk}"' not in shown


def test_help_8_the_404_page_links_to_the_form_with_the_page(desk):
    client = client_for(desk.world.desk_pine)
    response = client.get("/desk/no-such-page/")
    assert response.status_code == 404
    link = link_on(response.content.decode(), "Report a problem with this page")
    assert link == "/helpdesk/report/?error=404&page=/desk/no-such-page/"
    page = client.get(link).content.decode()
    assert field(page, "context_page") == "/desk/no-such-page/"
    assert "could not be found (404)" in field(page, "context_message")
    assert field(page, "context_at")  # now


def test_help_8_the_404_page_offers_no_report_to_the_public(desk):
    from django.test import Client

    assert "Report a problem" not in Client().get("/desk/no-such-page/").content.decode()


def test_help_8_the_500_page_s_link_takes_the_page_from_the_referer(desk, client):
    from django.template.loader import get_template

    assert 'href="/helpdesk/report/?error=500"' in get_template("500.html").render()
    staff = client_for(desk.world.desk_pine)
    page = staff.get(
        "/helpdesk/report/?error=500", HTTP_REFERER="http://testserver/desk/checkin/?x=1"
    ).content.decode()
    assert field(page, "context_page") == "/desk/checkin/?x=1"
    assert "Something went wrong on our side" in field(page, "context_message")
    elsewhere = staff.get(
        "/helpdesk/report/?error=500", HTTP_REFERER="http://evil.example/desk/"
    ).content.decode()
    assert field(elsewhere, "context_page") == ""


def test_help_8_a_scan_id_posted_for_another_library_s_scan_is_not_kept(desk):
    refused_checkin(client_for(desk.world.desk_pine))
    scan = UnprocessedScan.objects.get()
    client_for(desk.world.desk_riv).post(
        "/helpdesk/report/",
        {
            "symptom": "Something odd",
            "branch": desk.world.riv_main.pk,
            "affects": "me",
            "context_scan": scan.pk,
        },
    )
    filed = Report.objects.latest("pk")
    assert filed.symptom == "Something odd" and filed.context_scan is None


def test_help_8_a_refused_card_s_number_is_not_copied_into_the_report(desk):
    client = client_for(desk.world.desk_pine)
    client.post("/desk/checkout/patron/", {"card": "29999999999999"})
    scan = UnprocessedScan.objects.get()
    link = link_on(client.get("/desk/checkout/").content.decode())  # the refused card's line
    assert link.startswith("/helpdesk/report/?page=/desk/checkout/&message=")
    assert field(client.get(link).content.decode(), "message_seen") == scan.message
    assert scan.patron_card == "29999999999999"
    page = client.get(f"/helpdesk/report/?scan={scan.pk}").content.decode()
    assert field(page, "doing") == "Scanning a library card at the checkout screen."
    assert "29999999999999" not in field(page, "doing")
