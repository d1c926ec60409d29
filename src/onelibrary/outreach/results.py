"""A partnership's evaluation and history, read from the database for its page: each
project's indicators with their verdicts (the pure rules in `evaluation`), and one
timeline of interactions, memorandum versions and recorded values."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from onelibrary.outreach.evaluation import (
    IndicatorFacts,
    Reading,
    Verdict,
    indicator_verdict,
    project_verdict,
)
from onelibrary.outreach.models import (
    Indicator,
    IndicatorValue,
    MemorandumVersion,
    Partner,
    Project,
)


@dataclass(frozen=True)
class IndicatorResult:
    indicator: Indicator
    values: list[IndicatorValue]
    facts: IndicatorFacts
    verdict: Verdict

    @property
    def latest(self) -> IndicatorValue | None:
        return self.values[-1] if self.values else None


@dataclass(frozen=True)
class ProjectResult:
    project: Project
    indicators: list[IndicatorResult]
    verdict: Verdict

    @property
    def measured(self) -> bool:
        return any(row.values for row in self.indicators)


def indicator_result(indicator: Indicator) -> IndicatorResult:
    values = list(indicator.values.order_by("on", "id"))
    facts = IndicatorFacts(
        name=indicator.name,
        target=indicator.target,
        higher_is_better=indicator.higher_is_better,
        readings=[Reading(on=v.on, value=v.value) for v in values],
    )
    return IndicatorResult(indicator, values, facts, indicator_verdict(facts))


def project_result(project: Project) -> ProjectResult:
    rows = [indicator_result(i) for i in project.indicators.all()]
    return ProjectResult(project, rows, project_verdict([r.facts for r in rows]))


def partnership_verdict(results: list[ProjectResult]) -> Verdict:
    """EVAL-3 over every indicator of every project: the partnership met its goals when
    each of them is met."""
    return project_verdict([row.facts for result in results for row in result.indicators])


@dataclass(frozen=True)
class HistoryLine:
    on: dt.date
    what: str
    text: str
    url: str = ""


def history(partner: Partner) -> list[HistoryLine]:
    """Everything that happened with this partner, newest first."""
    lines = [HistoryLine(i.on, i.get_kind_display(), i.notes) for i in partner.interactions.all()]
    versions = MemorandumVersion.objects.filter(memorandum__partner=partner).select_related(
        "memorandum"
    )
    for v in versions:
        state = "signed" if v.signed else "draft signed off"
        lines.append(
            HistoryLine(
                timezone.localdate(v.saved_at),
                "Memorandum",
                f"{v.title}: version {v.number}, {state}",
                url=reverse("outreach:version", args=[v.memorandum_id, v.number]),
            )
        )
    values = IndicatorValue.objects.filter(indicator__project__partner=partner).select_related(
        "indicator__project"
    )
    for value in values:
        unit = f" {value.indicator.unit}" if value.indicator.unit else ""
        lines.append(
            HistoryLine(
                value.on,
                "Indicator",
                f"{value.indicator.project.name} — {value.indicator.name}: "
                f"{value.value.normalize():f}{unit}" + (f" ({value.note})" if value.note else ""),
            )
        )
    return sorted(lines, key=lambda line: line.on, reverse=True)
