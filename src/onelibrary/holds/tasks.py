"""Background work on holds: the hourly maintenance run.

`run_maintenance()` does, once:

1. expire holds whose pickup deadline (`shelf_expires_on`) has passed: the copy goes to
   the next hold or home, and appears on the pickup branch's list to clear;
2. re-route holds whose copy was not pulled within `GroupPolicy.pull_deadline_days`,
   recorded against the lender (HoldEvent "pull_deadline_missed", lender = the owner);
3. route titles whose waiting holds a copy on a shelf could now fill (a suspension ended,
   a local-priority window closed, a copy was put back on the shelf by an edit).

Huey runs it every hour (`maintenance`, a periodic task; `onelibrary run_huey` is the
worker); `onelibrary holds-maintenance` runs it once, for cron and for tests. Each hold is
claimed with a conditional UPDATE in its own transaction, so a second worker or a cron
run at the same moment does nothing twice, and one failure does not undo the rest.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from onelibrary.catalog.models import Item
from onelibrary.holds import actions, inputs, shelf
from onelibrary.holds.models import Hold
from onelibrary.policy.models import GroupPolicy

log = logging.getLogger(__name__)
S = Hold.State


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


def expire_holds(now: dt.datetime) -> int:
    today = inputs.local_date(now)
    done = 0
    for pk in Hold.objects.filter(state=S.ON_SHELF, shelf_expires_on__lt=today).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            if not actions.claim(pk, S.ON_SHELF, "expire", S.EXPIRED, closed_at=now):
                continue  # another worker took it
            hold = actions.load_hold(pk)
            assert hold.shelf_expires_on is not None  # as filtered above
            instruction = shelf.release_from_shelf(hold, now=now, staff=None)
            actions.record(
                hold,
                "expired",
                now=now,
                item=hold.assigned_item,
                shelf_expires_on=hold.shelf_expires_on.isoformat(),
                instruction=instruction,
            )
        done += 1
    return done


def reroute_missed_pulls(now: dt.datetime) -> int:
    deadline = now - dt.timedelta(days=GroupPolicy.current().pull_deadline_days)
    done = 0
    late = Hold.objects.filter(state=S.ROUTED, routed_at__lt=deadline).values_list(
        "pk", "title_id", "assigned_item_id", "routed_at"
    )
    for pk, title_id, item_id, routed_at in late:
        assert routed_at is not None  # as filtered above
        with transaction.atomic():
            claimed = actions.claim(
                pk, S.ROUTED, "pull_deadline_missed", S.WAITING, assigned_item=None, routed_at=None
            )
            if not claimed:
                continue
            hold = actions.load_hold(pk)
            item = Item.objects.select_related("owning_library").get(pk=item_id)
            actions.record(
                hold,
                "pull_deadline_missed",
                now=now,
                item=item,
                routed_at=routed_at.isoformat(),
                branch=item.current_branch.code,
            )
            # The copy that was not pulled sits out this run: it is probably not there.
            actions.route_titles([title_id], now=now, unavailable=frozenset({item_id}))
        done += 1
    return done


def route_waiting(now: dt.datetime) -> int:
    """Titles with an unsuspended waiting hold and a copy on a shelf promised to nobody."""
    today = inputs.local_date(now)
    promised = Hold.objects.filter(
        assigned_item=OuterRef("pk"), state__in=(S.ROUTED, S.IN_TRANSIT, S.ON_SHELF)
    )
    on_shelf = (
        Item.objects.filter(status=Item.Status.AVAILABLE)
        .exclude(Exists(promised))
        .values("title_id")
    )
    titles = sorted(
        set(
            Hold.objects.filter(state=S.WAITING, title_id__in=on_shelf)
            .filter(inputs.not_suspended(today))
            .values_list("title_id", flat=True)
        )
    )
    for title_id in titles:
        with transaction.atomic():
            actions.route_titles([title_id], now=now)
    return len(titles)


def run_maintenance(now: dt.datetime | None = None) -> MaintenanceReport:
    now = now or timezone.now()
    return MaintenanceReport(
        expired=expire_holds(now),
        rerouted=reroute_missed_pulls(now),
        titles_routed=route_waiting(now),
    )


@db_periodic_task(crontab(minute="7"))
def maintenance() -> None:
    report = run_maintenance()
    log.info("holds maintenance: %s", report)
