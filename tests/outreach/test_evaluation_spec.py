"""Whether a project met its goals, as plain rules (EVAL-2, EVAL-3)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from onelibrary.outreach.evaluation import (
    IndicatorFacts,
    Reading,
    Verdict,
    indicator_verdict,
    project_verdict,
)

JAN, MAR = dt.date(2025, 1, 31), dt.date(2025, 3, 31)


def facts(target: str, *values: tuple[dt.date, str], higher: bool = True) -> IndicatorFacts:
    readings = [Reading(on, Decimal(v)) for on, v in values]
    return IndicatorFacts("attendance", Decimal(target), higher, readings)


def test_eval_2_the_latest_reading_decides_not_the_best():
    assert indicator_verdict(facts("40", (JAN, "45"), (MAR, "38"))) is Verdict.NOT_MET
    assert indicator_verdict(facts("40", (MAR, "40"), (JAN, "12"))) is Verdict.MET  # by date


def test_eval_2_lower_is_better_is_met_at_or_under_the_target():
    assert indicator_verdict(facts("5", (JAN, "5"), higher=False)) is Verdict.MET
    assert indicator_verdict(facts("5", (JAN, "6"), higher=False)) is Verdict.NOT_MET


def test_eval_2_no_reading_is_not_yet_measured():
    assert indicator_verdict(facts("40")) is Verdict.UNKNOWN


def test_eval_3_a_project_meets_its_goals_when_every_indicator_does():
    met, missed, unmeasured = facts("1", (JAN, "2")), facts("9", (JAN, "2")), facts("1")
    assert project_verdict([met, met]) is Verdict.MET
    assert project_verdict([met, missed]) is Verdict.NOT_MET
    assert project_verdict([met, unmeasured]) is Verdict.UNKNOWN
    assert project_verdict([missed, unmeasured]) is Verdict.NOT_MET
    assert project_verdict([]) is Verdict.UNKNOWN
