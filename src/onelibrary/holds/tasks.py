"""Background work on holds that moves no copy: pull deadlines missed, and waiting holds
a copy on a shelf could now fill.

`reroute_missed_pulls` re-routes holds whose copy was not pulled within
`GroupPolicy.pull_deadline_days`, recorded against the lender (HoldEvent
"pull_deadline_missed", lender = the owner); `route_waiting` routes titles whose waiting
holds a copy on a shelf could now fill (a suspension ended, a local-priority window
closed, a copy was put back on the shelf by an edit).

The hourly run that calls them, after expiring holds not picked up in time (which moves
their copies, so the desk applies it), is circulation's: `circulation/tasks.py`, also
run once by `onelibrary holds-maintenance`. Each hold is claimed with a conditional
UPDATE in its own transaction, so a second worker or a cron run at the same moment does
nothing twice, and one failure does not undo the rest.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.db.models import Exists, OuterRef
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from onelibrary.catalog.models import Item
from onelibrary.core.states import SYSTEM
from onelibrary.holds import actions, inputs, late, retention
from onelibrary.holds.models import Hold
from onelibrary.policy.models import GroupPolicy

log = logging.getLogger(__name__)
S = Hold.State


def reroute_missed_pulls(now: dt.datetime) -> int:
    deadline = now - dt.timedelta(days=GroupPolicy.current().pull_deadline_days)
    done = 0
    late = Hold.objects.filter(state=S.ROUTED, routed_at__lt=deadline).values_list(
        "pk", "title_id", "assigned_item_id", "routed_at"
    )
    for pk, title_id, item_id, routed_at in late:
        assert routed_at is not None  # as filtered above
        with transaction.atomic():
            claimed = actions.claim(  # HOLD-7
                pk, S.ROUTED, "pull_deadline_missed", SYSTEM, assigned_item=None, routed_at=None
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


@db_periodic_task(crontab(hour="2", minute="37"))
def forget_closed_holds() -> None:
    """Daily: closed holds past the group's retention drop their patron (retention.py)."""
    log.info("closed holds forgotten: %s", retention.forget_closed_holds())


@db_periodic_task(crontab(hour="7", minute="13"))
def notice_late_holds() -> None:
    """Daily, before most branches open: tell patrons whose hold passed its expected day,
    once per hold (holds/late.py)."""
    log.info("late holds noticed: %s", late.notice_late_holds())
