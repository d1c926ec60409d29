"""MOU-5: the email that says a memorandum is due to be revisited, once per review date.

The daily job (`tasks.review_reminders`) asks for every memorandum whose review date has
come and whose reminder for that date has not gone. Each one is claimed with a
conditional UPDATE (`reminded_for` moves to the review date only if it is not there yet)
and the row count says whether this run won it, so two runs — or two workers — send one
email. The claim and the send share a transaction: a failed send leaves it unclaimed for
the next run.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q

from onelibrary.outreach.models import Memorandum

log = logging.getLogger(__name__)


def due(today: dt.date):  # noqa: ANN201 - a QuerySet of Memorandum
    return Memorandum.objects.filter(review_on__lte=today).filter(
        Q(reminded_for__isnull=True) | ~Q(reminded_for=F("review_on"))
    )


def _message(memo: Memorandum) -> tuple[str, str]:
    subject = f"Time to revisit the memorandum with {memo.partner.name}"
    body = (
        f"The memorandum of understanding “{memo.title}” with {memo.partner.name} was set "
        f"to be revisited on {memo.review_on:%d %B %Y}.\n\n"
        "Read it again with the partner: is it still what both sides do? Are there new "
        "people or new skills to bring in? Record what you agree as a new version, and set "
        "the next review date.\n"
    )
    return subject, body


def send_review_reminders(today: dt.date) -> int:
    """Send each due reminder once; the number sent."""
    sent = 0
    for memo in due(today).select_related("partner", "lead"):
        with transaction.atomic():
            claimed = (
                Memorandum.objects.filter(pk=memo.pk, review_on=memo.review_on)
                .filter(Q(reminded_for__isnull=True) | ~Q(reminded_for=memo.review_on))
                .update(reminded_for=memo.review_on)
            )
            if claimed != 1:
                continue  # another run sent it
            address = memo.lead.email if memo.lead else ""
            if not address:
                log.warning("memorandum %s is due for review but its lead has no email", memo.pk)
                continue
            subject, body = _message(memo)
            send_mail(subject, body, None, [address])
            sent += 1
    return sent
