"""The policy history: every change of a circulation rule, the group policy, an exemption
reason, a member policy or a float rule, read from django-auditlog (who, when, before and
after), with the decision that made it where one is linked (`PolicyChange`)."""

from __future__ import annotations

from dataclasses import dataclass

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, QuerySet

from onelibrary.floating.models import FloatRule
from onelibrary.governance.models import Decision, PolicyChange
from onelibrary.policy.models import CirculationRule, ExemptionReason, GroupPolicy, MemberPolicy

WATCHED: tuple[type[Model], ...] = (
    CirculationRule,
    GroupPolicy,
    ExemptionReason,
    MemberPolicy,
    FloatRule,
)
ACTIONS = {0: "created", 1: "changed", 2: "deleted", 3: "read"}


@dataclass(frozen=True)
class Change:
    entry: LogEntry
    what: str  # "Circulation rule “DVDs 7 days”"
    action: str
    who: str
    fields: list[tuple[str, str, str]]  # (field, before, after)
    decision: Decision | None


def entries() -> QuerySet[LogEntry]:
    types = ContentType.objects.get_for_models(*WATCHED).values()
    return (
        LogEntry.objects.filter(content_type__in=list(types))
        .select_related("actor", "content_type")
        .order_by("-timestamp", "-pk")
    )


def _changes(found: QuerySet[LogEntry]) -> list[Change]:
    rows = list(found)
    linked = {
        p.entry_id: p.decision
        for p in PolicyChange.objects.filter(entry__in=rows).select_related("decision")
    }
    out = []
    for entry in rows:
        diff = entry.changes_dict if isinstance(entry.changes_dict, dict) else {}
        fields = [
            (name, str(values[0]), str(values[1]))
            for name, values in sorted(diff.items())
            if isinstance(values, list) and len(values) == 2
        ]
        model = entry.content_type.model_class()
        label = model._meta.verbose_name.capitalize() if model else entry.content_type.model
        out.append(
            Change(
                entry,
                f"{label} “{entry.object_repr}”",
                ACTIONS.get(entry.action, str(entry.action)),
                entry.actor.get_username() if entry.actor else "the system",
                fields,
                linked.get(entry.pk),
            )
        )
    return out


def recent(limit: int = 200) -> list[Change]:
    return _changes(entries()[:limit])


def of_object(model: type[Model], pk: int) -> list[Change]:
    """Every change of one rule, newest first: why it is as it is."""
    kind = ContentType.objects.get_for_model(model)
    return _changes(entries().filter(content_type=kind, object_pk=str(pk)))
