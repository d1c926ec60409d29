"""Whether a project met its goals: each indicator's latest value against its target.

Pure (EVAL-2, EVAL-3 in docs/outreach.md): plain numbers in, a verdict out.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal


class Verdict(enum.StrEnum):
    MET = "met"
    NOT_MET = "not met"
    UNKNOWN = "not yet measured"


@dataclass(frozen=True)
class Reading:
    on: dt.date
    value: Decimal


@dataclass(frozen=True)
class IndicatorFacts:
    name: str
    target: Decimal
    higher_is_better: bool
    readings: Sequence[Reading]


def indicator_verdict(facts: IndicatorFacts) -> Verdict:
    """EVAL-2: the latest reading reaches the target (at or above it, or at or below it
    when lower is better); no reading yet → not yet measured."""
    if not facts.readings:
        return Verdict.UNKNOWN
    latest = max(facts.readings, key=lambda r: r.on).value
    reached = latest >= facts.target if facts.higher_is_better else latest <= facts.target
    return Verdict.MET if reached else Verdict.NOT_MET


def project_verdict(indicators: Sequence[IndicatorFacts]) -> Verdict:
    """EVAL-3: a project met its goals when every indicator is met; any indicator not met
    → not met; otherwise (no indicators, or some not measured yet) → not yet measured."""
    verdicts = [indicator_verdict(i) for i in indicators]
    if not verdicts:
        return Verdict.UNKNOWN
    if Verdict.NOT_MET in verdicts:
        return Verdict.NOT_MET
    if all(v is Verdict.MET for v in verdicts):
        return Verdict.MET
    return Verdict.UNKNOWN
