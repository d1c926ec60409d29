"""Holds later than the patron was told (docs/holds/expected.md, "Late holds"): the daily
notice to the patron, once per hold, and the pickup branch's list for staff.

A hold is late when the day kept on it at placement or when its copy started out
(`Hold.expected_by`, `holds.expecting.remember`) has passed and its copy is still not on
the hold shelf; a suspended hold is not late. The notice is claimed with a conditional
UPDATE of `late_noticed_at`, so running the job twice, or two workers at once, sends one.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from onelibrary.holds import expecting, inputs, queries
from onelibrary.holds.actions import record
from onelibrary.holds.expected import Expectation
from onelibrary.holds.models import Hold
from onelibrary.members.models import Branch

log = logging.getLogger(__name__)
S = Hold.State
NOT_YET_THERE = (S.WAITING, S.ROUTED, S.IN_TRANSIT)


def late(today: dt.date) -> QuerySet[Hold]:
    return (
        queries.holds()
        .filter(state__in=NOT_YET_THERE, expected_by__lt=today)
        .filter(inputs.not_suspended(today))
    )


def late_at(branch: Branch, today: dt.date | None = None) -> list[Hold]:
    """The late holds for pickup at `branch`, the longest late first (staff's list)."""
    today = today or inputs.local_date()
    return list(late(today).filter(pickup_branch=branch).order_by("expected_by", "pk"))


def notice(hold: Hold, now_said: Expectation | None) -> tuple[str, str]:
    """The late notice's subject and body, in the patron's words."""
    assert hold.patron is not None  # open
    title = hold.title.title
    subject = f"Your hold on {title} is taking longer than we said"
    by = hold.expected_by
    assert by is not None  # late: it has a day
    expected = f"{by:%A} {by.day} {by:%B}"
    lines = [
        f"Dear {hold.patron.first_name},",
        "",
        f"Your hold on {title} was expected on the hold shelf at {hold.pickup_branch.name} "
        f"by {expected}, and it is not there yet. We are sorry for the wait.",
    ]
    if now_said is not None:
        lines += ["", f"Where it is now: {now_said.words}"]
    lines += [
        "",
        "You keep your place, and we email you when it is ready. You can see, change or "
        "cancel the hold in My account.",
    ]
    return subject, "\n".join(lines) + "\n"


def notice_late_holds(now: dt.datetime | None = None) -> int:
    """Tell each patron whose hold has passed its expected day, once per hold; the number
    told. Without an email address the notice is kept as a line in My account."""
    now = now or timezone.now()
    today = inputs.local_date(now)
    told = 0
    for pk in late(today).filter(late_noticed_at__isnull=True).values_list("pk", flat=True):
        with transaction.atomic():
            claimed = Hold.objects.filter(pk=pk, late_noticed_at__isnull=True).update(
                late_noticed_at=now
            )
            if not claimed:  # another run told them a moment ago
                continue
            hold = queries.holds().get(pk=pk)
            _tell(hold, expecting.expectation(hold, now), now)
        told += 1
    return told


def _tell(hold: Hold, now_said: Expectation | None, now: dt.datetime) -> None:
    patron = hold.patron
    assert patron is not None  # open
    subject, body = notice(hold, now_said)
    if not patron.email:
        record(
            hold,
            "late_notice_not_sent",
            now=now,
            subject=subject,
            reason=f"You have no email address. {body.splitlines()[2]}",
        )
        return
    record(hold, "late_notice_sent", now=now, to=patron.email, subject=subject)

    def send() -> None:
        try:
            send_mail(subject, body, None, [patron.email])
        except Exception:  # the notice is kept in My account either way
            log.exception("could not send the late notice for hold %s", hold.pk)

    transaction.on_commit(send)


def late_count(branch: Branch, today: dt.date | None = None) -> int:
    today = today or inputs.local_date()
    return (
        Hold.objects.filter(pickup_branch=branch, state__in=NOT_YET_THERE, expected_by__lt=today)
        .filter(Q(suspended_until__isnull=True) | Q(suspended_until__lt=today))
        .count()
    )
