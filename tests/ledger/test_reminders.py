"""Reminders before each deadline (DISPUTE-16), sent once by the daily job however often
it runs, to the libraries' contacts and the staff concerned."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from onelibrary.circulation import item_desk
from onelibrary.ledger import disputes, reminders, tasks
from onelibrary.ledger.models import DamageReport, Entry, Reminder
from onelibrary.members.models import SharingGroup

from .damage import DAY, arrived_from_pine, media_root, photo, returned_by_ben  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def contacts(lw):
    for lib, address in ((lw.riverton, "riv@example.org"), (lw.pine, "pine@example.org")):
        lib.contact_email = address
        lib.save()
    SharingGroup.objects.filter(pk=lw.group.pk).update(contact_email="office@example.org")
    lw.desk_pine.email = "sam@pine.example.org"
    lw.desk_pine.save()
    return lw


def reported(lw, monday):
    returned_by_ben(lw, monday)
    return disputes.report_damage(
        lw.desk_pine, lw.dune_riv, "checkin", note="wet", photos=[photo()], now=monday + 8 * DAY
    )


def test_dispute_16_a_dispute_deadline_is_reminded_once(contacts, usual, monday, media):
    report = reported(contacts, monday)
    mail.outbox.clear()
    assert reminders.send_due(now=report.respond_by - 10 * DAY) == 0  # not yet
    week_before = report.respond_by - 6 * DAY
    assert reminders.send_due(now=week_before) == 1
    assert reminders.send_due(now=week_before + DAY) == 0
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert set(sent.to) == {"riv@example.org", "sam@pine.example.org"}
    assert f"#{report.pk}" in sent.subject and "without an answer it is accepted" in sent.body
    assert Reminder.objects.get().recipients == 2


def test_dispute_16_the_daily_job_twice_sends_each_reminder_once(contacts, usual, media):
    # The job runs at the real time: a report whose deadline is five days from now.
    monday = timezone.now() - 33 * DAY
    report = reported(contacts, monday)
    disputes.dispute(contacts.desk_riv, report, body="no", photos=[], now=monday + 9 * DAY)
    mail.outbox.clear()
    tasks.damage_report_deadlines.call_local()
    tasks.damage_report_deadlines.call_local()
    assert len(mail.outbox) == 1
    assert {"riv@example.org", "pine@example.org"} <= set(mail.outbox[0].to)
    assert Reminder.objects.get().deadline == "dispute"

    after = report.respond_by + DAY
    disputes.pass_deadlines(now=after)  # hands it to the central office
    report.refresh_from_db()
    assert report.state == DamageReport.State.ESCALATED and report.decide_by is not None
    escalated = [m for m in mail.outbox if "central office" in m.subject]
    assert len(escalated) == 1 and "office@example.org" in escalated[0].to
    for _ in range(2):
        reminders.send_due(now=report.decide_by - 2 * DAY)
    decide = [m for m in mail.outbox if "decide by" in m.subject]
    assert len(decide) == 1 and "office@example.org" in decide[0].to
    assert sorted(Reminder.objects.values_list("deadline", flat=True)) == ["decision", "dispute"]
    assert not Entry.objects.exists()


def test_dispute_16_a_copy_arrived_damaged_is_reminded_before_its_claim_deadline(
    contacts, usual, monday, media
):
    arrived_from_pine(contacts, monday)
    item_desk.declare_damaged(
        contacts.desk_riv, contacts.riv_main, contacts.dune_riv, note="torn", now=monday + 3 * DAY
    )
    mail.outbox.clear()
    arrival = monday + 2 * DAY
    assert reminders.send_due(now=arrival + 80 * DAY) == 0  # 90 days to claim: not yet
    assert reminders.send_due(now=arrival + 85 * DAY) == 1
    assert reminders.send_due(now=arrival + 86 * DAY) == 0
    assert mail.outbox[0].to == ["riv@example.org"]
    assert "damaged on arrival" in mail.outbox[0].body
    # once reported, no claim reminder is due for it
    Reminder.objects.all().delete()
    disputes.report_damage(
        contacts.desk_riv,
        contacts.dune_riv,
        "arrival",
        note="torn",
        photos=[],
        now=arrival + 85 * DAY,
    )
    assert not [d for d in reminders._claims(arrival + 85 * DAY)]


def test_it_sends_no_reminder_after_the_deadline(contacts, usual, monday, media):
    report = reported(contacts, monday)
    mail.outbox.clear()
    assert reminders.send_due(now=report.respond_by + dt.timedelta(minutes=1)) == 0
    assert not mail.outbox
