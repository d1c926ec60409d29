"""Background tidying of staff accounts' login records: failed staff logins (username,
address, browser) are kept only as long as they count towards a lockout.

Axes itself deletes an account's or address's stale failures when it next checks them;
this deletes the rest, daily (docs/operations.md, "Staff logins").
"""

from __future__ import annotations

import datetime as dt
import logging

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

log = logging.getLogger(__name__)


def tidy_login_records(now: dt.datetime | None = None) -> int:
    """Delete failed-login records past the lockout time; the number deleted."""
    since = (now or timezone.now()) - settings.AXES_COOLOFF_TIME
    deleted = 0
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        deleted += model.objects.filter(attempt_time__lt=since).delete()[0]
    return deleted


@db_periodic_task(crontab(hour="3", minute="17"))
def tidy_logins() -> None:
    log.info("login records tidied: %s deleted", tidy_login_records())
