"""Scheduled reports: an insights table emailed as CSV to chosen staff on a schedule.

A huey task (`tasks.send_due_reports`, every 10 minutes) runs the schedules whose time
has come. Each run first moves the schedule's `next_run_at` on with a conditional UPDATE
and goes ahead only if it changed the row: two workers, or a task retried, send one
email, not two.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone

from onelibrary.insights import exports, tables
from onelibrary.insights.models import ReportSchedule

log = logging.getLogger(__name__)
Every = ReportSchedule.Every
Period = ReportSchedule.Period


def period_before(day: dt.date, period: str) -> tuple[dt.date, dt.date]:
    """The dates a schedule's report covers when run on `day` (both included)."""
    if period == Period.LAST_WEEK:
        return day - dt.timedelta(days=7), day - dt.timedelta(days=1)
    months = {Period.LAST_MONTH: 1, Period.LAST_QUARTER: 3, Period.LAST_YEAR: 12}[Period(period)]
    end = day.replace(day=1) - dt.timedelta(days=1)
    first = day.replace(day=1)
    for _ in range(months):
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return first, end


def next_after(moment: dt.datetime, every: str) -> dt.datetime:
    """The next run after `moment`: 06:00 local on the next day, Monday or 1st."""
    local = timezone.localtime(moment)
    day = local.date() + dt.timedelta(days=1)
    if every == Every.WEEK:
        while day.weekday() != 0:
            day += dt.timedelta(days=1)
    elif every == Every.MONTH:
        day = (local.date().replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(6)))


def run_due(now: dt.datetime | None = None) -> int:
    """Send every schedule due at `now`; how many were sent."""
    now = now or timezone.now()
    sent = 0
    for schedule in ReportSchedule.objects.filter(next_run_at__lte=now):
        claimed = ReportSchedule.objects.filter(
            pk=schedule.pk, next_run_at=schedule.next_run_at
        ).update(next_run_at=next_after(now, schedule.every))
        if claimed != 1:
            continue  # another worker took it
        sent += run(schedule, now)
    return sent


def run(schedule: ReportSchedule, now: dt.datetime) -> int:
    """Build and send one schedule's report now; record the result on it. 1 if sent."""
    start, end = period_before(timezone.localtime(now).date(), schedule.period)
    to = sorted(u.email for u in schedule.recipients.all() if u.email)
    try:
        if not to:
            raise ValueError("no recipient has an email address: add one to their account")
        table = tables.build(schedule.report, start, end)
        message = EmailMessage(
            subject=f"{schedule.name}: {table.title}, {start} to {end}",
            body=f"{table.takeaway}\n\nThe table is attached as CSV ({len(table.rows)} rows).\n",
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=to,
        )
        message.attach(f"{table.slug}-{start}-{end}.csv", exports.to_csv(table), "text/csv")
        message.send()
    except KeyError:
        result, ok = f"Not sent: there is no report {schedule.report!r}.", 0
    except Exception as error:  # noqa: BLE001 - the page shows what went wrong
        log.exception("insights: schedule %s failed", schedule.pk)
        result, ok = f"Not sent: {error}", 0
    else:
        result, ok = f"Sent to {len(to)} ({start} to {end}).", 1
    ReportSchedule.objects.filter(pk=schedule.pk).update(last_run_at=now, last_result=result[:300])
    return ok
