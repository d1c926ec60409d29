"""Writing and reading the patron audit (`PatronAudit`): one row per view or change."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Q, QuerySet

from onelibrary.members.models import Branch, Library
from onelibrary.patrons.models import Patron, PatronAudit


def audit_value(value: Any) -> Any:
    """A field value as kept in the audit: JSON, with places by their codes."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Library | Branch):
        return value.code
    if isinstance(value, Decimal):
        return str(value)
    return value


def write(
    staff: User | None,
    patron: Patron,
    action: str,
    *,
    via: str,
    library_id: int | None,
    fields: list[str],
    changes: dict[str, list[Any]] | None = None,
    detail: dict[str, Any] | None = None,
) -> PatronAudit:
    """`staff` None only with via "self": the patron acting on their own record online."""
    return PatronAudit.objects.create(
        staff=staff,
        library_id=library_id,
        patron=patron,
        action=action,
        via=via,
        fields=fields,
        changes={k: [audit_value(v) for v in pair] for k, pair in (changes or {}).items()},
        detail=detail or {},
    )


def trail(patron: Patron) -> QuerySet[PatronAudit]:
    """The record's audit, with that of every record merged into it."""
    ids = {patron.pk}
    frontier = {patron.pk}
    while frontier:
        frontier = (
            set(Patron.objects.filter(merged_into__in=frontier).values_list("pk", flat=True)) - ids
        )
        ids |= frontier
    return (
        PatronAudit.objects.filter(Q(patron_id__in=ids))
        .select_related("staff", "library", "patron")
        .order_by("-at", "-pk")
    )


def forget_values(patron: Patron) -> int:
    """Erasure: blank the old and new values in the record's audit rows (and those of the
    records merged into it). Who did what, when, for which library and to which fields
    stays; this is the one change the append-only audit allows."""
    ids = list(trail(patron).values_list("pk", flat=True))
    # QuerySet.update itself, past AuditQuerySet's refusal of every other change.
    return QuerySet.update(PatronAudit.objects.filter(pk__in=ids).exclude(changes={}), changes={})
