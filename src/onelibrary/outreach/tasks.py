"""Outreach's background work: the daily memorandum review reminders (MOU-5)."""

from __future__ import annotations

import logging

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from onelibrary.outreach.reminders import send_review_reminders

log = logging.getLogger(__name__)


@db_periodic_task(crontab(hour="7", minute="5"))
def review_reminders() -> None:
    log.info("memorandum review reminders sent: %s", send_review_reminders(timezone.localdate()))
