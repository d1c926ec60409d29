"""Background work: book what has happened, every ten minutes (`posting.catch_up`).

Pages and commands also catch up when they open, so this only keeps the books current
between visits; running it twice, or at the same time as a page, books nothing twice.
"""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from onelibrary.ledger import disputes, posting, reminders

log = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="*/10"))
def post_entries() -> None:
    report = posting.catch_up()
    log.info("ledger: %s booked, %s refused", report.booked, len(report.refused))


@db_periodic_task(crontab(hour="6", minute="15"))
def damage_report_deadlines() -> None:
    """Daily: reports past their deadline are accepted or go to the central office
    (DISPUTE-10, 11), then the reminders due are sent, once each (DISPUTE-16)."""
    passed = disputes.pass_deadlines()
    sent = reminders.send_due()
    log.info(
        "ledger: %s reports accepted, %s to the central office, %s reminders",
        passed.accepted,
        passed.escalated,
        sent,
    )
