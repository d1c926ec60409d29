"""Keeping the summaries current: huey builds yesterday every night, and any day of the
last 90 not built yet — the days routing's load term reads (docs/insights.md)."""

from __future__ import annotations

import datetime as dt
import logging

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from onelibrary.holds.inputs import LOAD_WINDOW_DAYS
from onelibrary.insights.build import build_day, build_missing
from onelibrary.insights.schedules import run_due

log = logging.getLogger(__name__)
KEPT_DAYS = LOAD_WINDOW_DAYS  # the load term counts this far back


def build_yesterday(today: dt.date | None = None) -> int:
    """Build yesterday again (loans made late yesterday count) and any missing day."""
    today = today or timezone.localdate()
    yesterday = today - dt.timedelta(days=1)
    build_day(yesterday)
    return 1 + build_missing(today - dt.timedelta(days=KEPT_DAYS), yesterday)


@db_periodic_task(crontab(hour="2", minute="17"))
def nightly() -> None:
    log.info("insights: built %s days", build_yesterday())


@db_periodic_task(crontab(minute="*/10"))
def send_due_reports() -> None:
    log.info("insights: sent %s scheduled reports", run_due())
