"""Scheduled reports: a due schedule sends its email with the CSV attached, once; the
page shows the last run and its result."""

from __future__ import annotations

import datetime as dt

from django.core import mail
from django.test import Client
from django.utils import timezone

from onelibrary.insights import schedules
from onelibrary.insights.models import ReportSchedule
from tests.insights.conftest import DAY, at
from tests.insights.test_figures import NEXT, history  # noqa: F401 - a fixture


def schedule(world, **fields) -> ReportSchedule:
    world.admin_riv.email = "admin@riverton.example"
    world.admin_riv.save(update_fields=["email"])
    found = ReportSchedule.objects.create(
        name="Board pack",
        report=fields.pop("report", "members"),
        period=ReportSchedule.Period.LAST_WEEK,
        every=ReportSchedule.Every.WEEK,
        next_run_at=fields.pop("next_run_at", at(NEXT + dt.timedelta(days=1), 6)),
        created_by=world.admin_riv,
    )
    found.recipients.add(world.admin_riv)
    return found


def test_a_due_schedule_sends_its_email_with_the_csv_once(history):  # noqa: F811
    due = schedule(history)
    now = at(NEXT + dt.timedelta(days=1), 7)  # the day after NEXT: the last 7 days hold it
    assert schedules.run_due(now) == 1
    assert schedules.run_due(now) == 0  # moved on: not sent again
    (email,) = mail.outbox
    assert email.to == ["admin@riverton.example"]
    assert "Riverton City Library lent 1 more than it borrowed" in email.body
    (name, body, kind) = email.attachments[0]
    assert kind == "text/csv" and name.startswith("members-")
    text = body.decode("utf-8-sig") if isinstance(body, bytes) else body  # Django decodes text/*
    assert "RIV,Riverton City Library,City system,2,2,1,1" in text
    due.refresh_from_db()
    assert due.last_run_at == now and due.last_result.startswith("Sent to 1")
    assert timezone.localtime(due.next_run_at).weekday() == 0  # next Monday, 06:00
    assert due.next_run_at > now


def test_a_schedule_not_due_is_not_sent(history):  # noqa: F811
    schedule(history, next_run_at=at(DAY + dt.timedelta(days=30), 6))
    assert schedules.run_due(at(DAY, 7)) == 0
    assert mail.outbox == []


def test_a_failed_run_says_why_on_the_page(history):  # noqa: F811
    broken = schedule(history, report="no-such-report")
    schedules.run_due(at(NEXT + dt.timedelta(days=1), 7))
    broken.refresh_from_db()
    assert broken.last_result == "Not sent: there is no report 'no-such-report'."
    client = Client()
    client.force_login(history.admin_riv)
    assert "Not sent: there is no report" in client.get("/insights/schedules/").content.decode()


def test_the_periods_are_the_calendar_ones():
    day = dt.date(2026, 3, 15)
    assert schedules.period_before(day, "last_month") == (dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    assert schedules.period_before(day, "last_year") == (dt.date(2025, 3, 1), dt.date(2026, 2, 28))
    assert schedules.period_before(day, "last_week") == (dt.date(2026, 3, 8), dt.date(2026, 3, 14))


def test_staff_add_a_schedule_on_the_page(world):
    world.admin_riv.email = "admin@riverton.example"
    world.admin_riv.save(update_fields=["email"])
    client = Client()
    client.force_login(world.admin_riv)
    client.post(
        "/insights/schedules/",
        {
            "name": "Monthly",
            "report": "matrix",
            "period": "last_month",
            "every": "month",
            "recipients": [world.admin_riv.pk],
        },
    )
    (made,) = ReportSchedule.objects.all()
    assert (made.report, made.created_by) == ("matrix", world.admin_riv)
    assert timezone.localtime(made.next_run_at).day == 1
    assert client.get("/insights/schedules/help/").status_code == 200
