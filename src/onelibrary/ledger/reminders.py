"""Reminders before each deadline, sent once (DISPUTE-16): the daily job (`tasks`).

- **claim**: a copy marked damaged that arrived by courier from another member, with no
  report yet: its library may report it "damaged on arrival" until the arrival plus the
  policy's days to claim.
- **dispute**: a report not yet answered (the responder is reminded), or in dispute (both
  members are), before its deadline to dispute.
- **decision**: a dispute with the central office, before the day it is to be decided by.

Each goes `REMIND_DAYS` before the deadline, to the libraries' contact addresses and the
staff concerned (`notices`). A `Reminder` row, unique by deadline and subject, is written
in the same transaction as the sending: running the job twice, or two at once, sends
each reminder once; a send that fails rolls its row back, to be tried the next day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from onelibrary.catalog.models import Item
from onelibrary.ledger import notices, rules
from onelibrary.ledger.policies import in_force_rules
from onelibrary.ledger.report_models import DamageReport, Reminder
from onelibrary.transit.models import Transit

REMIND_DAYS = 7
Deadline = Reminder.Deadline


@dataclass(frozen=True)
class Due:
    deadline: str
    subject: str
    due_at: dt.datetime
    title: str
    body: str
    addresses: frozenset[str]


def send_due(now: dt.datetime | None = None) -> int:
    """Send every reminder now due and not yet sent; the number sent."""
    now = now or timezone.now()
    sent = 0
    for due in (*_claims(now), *_disputes(now), *_decisions(now)):
        try:
            with transaction.atomic():
                Reminder.objects.create(
                    deadline=due.deadline, subject=due.subject, due_at=due.due_at, sent_at=now
                )
                count = notices.send(due.title, due.body, set(due.addresses))
                Reminder.objects.filter(deadline=due.deadline, subject=due.subject).update(
                    recipients=count
                )
        except IntegrityError:
            continue  # sent before, by this job or another run at the same moment
        sent += 1
    return sent


def _window(now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    return now, now + dt.timedelta(days=REMIND_DAYS)


def _claims(now: dt.datetime) -> Iterator[Due]:
    policy = in_force_rules()
    terms = policy.cases.get(rules.DAMAGED_IN_TRANSIT) if policy else None
    if terms is None:
        return
    days = dt.timedelta(days=terms.claim_days)
    start, end = _window(now)
    arrivals = Transit.objects.filter(
        received_at__gt=start - days,
        received_at__lte=end - days,
        item__status=Item.Status.DAMAGED,
    ).select_related("item__title", "sender__library", "receiver__library", "received_branch")
    reported = set(
        DamageReport.objects.filter(fact__startswith="transit:").values_list("fact", flat=True)
    )
    for transit in arrivals:
        receiver = (transit.received_branch or transit.receiver).library
        if f"transit:{transit.pk}" in reported or transit.sender.library_id == receiver.pk:
            continue
        assert transit.received_at is not None
        due_at = transit.received_at + days
        yield Due(
            Deadline.CLAIM,
            f"transit:{transit.pk}",
            due_at,
            f"Claim by {due_at:%d %b %Y}: copy {transit.item.barcode} arrived damaged?",
            f"Copy {transit.item.barcode} ({transit.item.title.title}) arrived from "
            f"{transit.sender.library.name} on {transit.received_at:%d %b %Y} and is marked "
            f"damaged. If it arrived so, report it 'damaged on arrival' with photos by "
            f"{due_at:%d %b %Y}; after that it cannot be claimed.\n",
            frozenset(notices.contacts([receiver])),
        )


def _disputes(now: dt.datetime) -> Iterator[Due]:
    start, end = _window(now)
    reports = DamageReport.objects.filter(
        state__in=(DamageReport.State.OPEN, DamageReport.State.DISPUTED),
        respond_by__gt=start,
        respond_by__lte=end,
    ).select_related("item__title", "owner", "payer", "responder", "created_by", "answered_by")
    for report in reports:
        if report.state == DamageReport.State.OPEN:
            who = notices.contacts([report.responder], central=report.responder is None)
            what = "accept or dispute it; without an answer it is accepted"
        else:
            who = notices.contacts([report.owner, report.payer])
            what = "settle it in the thread; after that the central office decides"
        yield Due(
            Deadline.DISPUTE,
            f"report:{report.pk}",
            report.respond_by,
            f"Damage report #{report.pk}: deadline {report.respond_by:%d %b %Y}",
            f"The deadline for report #{report.pk} is {report.respond_by:%d %b %Y}: {what}."
            f"\n\n{notices.report_url(report)}\n",
            frozenset(who | notices.staff_concerned(report)),
        )


def _decisions(now: dt.datetime) -> Iterator[Due]:
    start, end = _window(now)
    reports = DamageReport.objects.filter(
        state=DamageReport.State.ESCALATED, decide_by__gt=start, decide_by__lte=end
    ).select_related("item__title", "created_by", "answered_by")
    for report in reports:
        assert report.decide_by is not None
        yield Due(
            Deadline.DECISION,
            f"report:{report.pk}",
            report.decide_by,
            f"Damage report #{report.pk}: decide by {report.decide_by:%d %b %Y}",
            f"The dispute over report #{report.pk} (copy {report.item.barcode}) is to be "
            f"decided by {report.decide_by:%d %b %Y}.\n\n{notices.report_url(report)}\n",
            frozenset(notices.contacts([], central=True) | notices.staff_concerned(report)),
        )
