"""Forgetting who held what. A closed hold (picked up, cancelled, expired) keeps its patron
for `GroupPolicy.closed_hold_days`, then drops them — unless the patron keeps their
history (`Patron.keep_loan_history`), as loans are cut at check-in. Erasure drops them at
once. The title, dates and events stay, for statistics; the notice events lose the email
address they were sent to. docs/patrons.md, "Privacy".
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from onelibrary.holds.models import OPEN_STATES, Hold, HoldEvent
from onelibrary.patrons.models import Patron
from onelibrary.policy.models import GroupPolicy


@transaction.atomic
def forget_closed_holds(now: dt.datetime | None = None) -> int:
    """Drop the patron from holds closed more than the group's retention ago."""
    before = (now or timezone.now()) - dt.timedelta(days=GroupPolicy.current().closed_hold_days)
    old = Q(closed_at__lt=before) | Q(closed_at__isnull=True, placed_at__lt=before)
    holds = Hold.objects.filter(old, patron__isnull=False, patron__keep_loan_history=False)
    return _forget(holds.exclude(state__in=OPEN_STATES))


def forget_patron(patron: Patron) -> int:
    """Erasure: drop the patron from every closed hold of theirs (none may be open)."""
    return _forget(Hold.objects.filter(patron=patron).exclude(state__in=OPEN_STATES))


def _forget(holds: QuerySet[Hold]) -> int:
    ids = list(holds.values_list("pk", flat=True))
    notices = list(HoldEvent.objects.filter(hold_id__in=ids, detail__has_key="to"))
    for event in notices:
        event.detail = {k: v for k, v in event.detail.items() if k != "to"}
    HoldEvent.objects.bulk_update(notices, ["detail"])
    return Hold.objects.filter(pk__in=ids).update(patron=None)
