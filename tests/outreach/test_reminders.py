"""MOU-5: one email per review date, however often the daily job runs."""

from __future__ import annotations

import datetime as dt

from django.core import mail
from django.utils import timezone

from onelibrary.outreach import tasks
from onelibrary.outreach.reminders import send_review_reminders
from tests.outreach.conftest import full_memo

DAY = dt.date(2025, 6, 2)


def test_mou_5_a_reminder_is_sent_once_per_review_date(outreach):
    outreach.world.admin_riv.email = "ruth@riverton.example"
    outreach.world.admin_riv.save()
    memo = full_memo(outreach)
    memo.review_on = DAY
    memo.save()

    assert send_review_reminders(DAY - dt.timedelta(days=1)) == 0  # not yet due
    assert send_review_reminders(DAY) == 1
    assert send_review_reminders(DAY) == 0  # run twice → one email
    assert send_review_reminders(DAY + dt.timedelta(days=1)) == 0  # nor the day after
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ruth@riverton.example"]
    assert "Riverton Literacy Council" in message.subject and "2 June 2025" in message.body

    # The next review date gets its own reminder.
    memo.review_on = DAY + dt.timedelta(days=180)
    memo.save()
    assert send_review_reminders(memo.review_on) == 1 and len(mail.outbox) == 2


def test_mou_5_the_daily_job_sends_what_is_due_today(outreach):
    outreach.world.admin_riv.email = "ruth@riverton.example"
    outreach.world.admin_riv.save()
    memo = full_memo(outreach)
    memo.review_on = timezone.localdate()
    memo.save()
    tasks.review_reminders.call_local()
    tasks.review_reminders.call_local()
    assert len(mail.outbox) == 1
