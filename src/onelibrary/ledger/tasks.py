"""Background work: book what has happened, every ten minutes (`posting.catch_up`).

Pages and commands also catch up when they open, so this only keeps the books current
between visits; running it twice, or at the same time as a page, books nothing twice.
"""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from onelibrary.ledger import posting

log = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="*/10"))
def post_entries() -> None:
    report = posting.catch_up()
    log.info("ledger: %s booked, %s refused", report.booked, len(report.refused))
