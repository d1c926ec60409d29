"""Background work the desk runs: the hourly holds maintenance.

`run_maintenance()` does, once:

1. expire holds whose pickup deadline (`shelf_expires_on`) has passed: the copy goes to
   the next hold or home (holds answers, the desk moves it: `holds_desk.expire_holds`),
   and appears on the pickup branch's list to clear;
2. re-route holds whose copy was not pulled within `GroupPolicy.pull_deadline_days`
   (`holds.tasks.reroute_missed_pulls`);
3. route titles whose waiting holds a copy on a shelf could now fill
   (`holds.tasks.route_waiting`).

Huey runs it every hour (`maintenance`, a periodic task found by `onelibrary run_huey` in
each app's `tasks` module); `onelibrary holds-maintenance` runs it once, for cron and for
tests. Each hold is claimed in its own transaction, so a second worker or a cron run at
the same moment does nothing twice, and one failure does not undo the rest.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from onelibrary.circulation import holds_desk
from onelibrary.holds import tasks as holds_tasks

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class MaintenanceReport:
    expired: int
    rerouted: int
    titles_routed: int

    def __str__(self) -> str:
        return (
            f"{self.expired} holds expired on the shelf, {self.rerouted} re-routed after a "
            f"missed pull deadline, {self.titles_routed} titles routed again."
        )


def run_maintenance(now: dt.datetime | None = None) -> MaintenanceReport:
    now = now or timezone.now()
    return MaintenanceReport(
        expired=holds_desk.expire_holds(now),
        rerouted=holds_tasks.reroute_missed_pulls(now),
        titles_routed=holds_tasks.route_waiting(now),
    )


@db_periodic_task(crontab(minute="7"))
def maintenance() -> None:
    report = run_maintenance()
    log.info("holds maintenance: %s", report)
