"""The daily escalation of tickets past their deadline (docs/directory.md, TICKET-10).

Huey runs it each morning; `onelibrary escalate-tickets` runs it once, for cron and tests.
Running it twice escalates nothing twice (tickets.escalate_overdue claims each row)."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from onelibrary.directory.tickets import escalate_overdue

log = logging.getLogger(__name__)


@db_periodic_task(crontab(hour="6", minute="23"))
def escalate_tickets() -> None:
    log.info("tickets escalated: %s", len(escalate_overdue()))
