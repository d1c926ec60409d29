"""The rebuild job and the two commands."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from onelibrary.insights.build import rebuild
from onelibrary.insights.models import (
    BuiltDay,
    FillDays,
    FillRunning,
    MemberDay,
    PairDay,
    PairRunning,
    SendDays,
    SendRunning,
    TitleDay,
    TitleMonth,
    TransitDays,
    TransitMonth,
    TransitRunning,
)
from onelibrary.insights.tasks import build_yesterday
from tests.insights.conftest import DAY, hold, loan, transit

TABLES = (
    MemberDay,
    PairDay,
    FillDays,
    TransitDays,
    SendDays,
    TitleDay,
    TransitMonth,
    TitleMonth,
    PairRunning,
    TransitRunning,
    FillRunning,
    SendRunning,
)


def snapshot() -> list[list[tuple]]:
    return [
        sorted(tuple(v for k, v in row.items() if k != "id") for row in model.objects.values())
        for model in TABLES
    ]


@pytest.fixture
def some(iw):
    loan(iw.dune_riv, iw.pine, DAY, by_hold=True)
    loan(iw.dune_pine, iw.pine, DAY)
    hold(iw, iw.pine, DAY, shelved=DAY, filled=DAY)
    transit(iw.dune_pine, iw.pine_main, iw.riv_main, DAY, DAY + dt.timedelta(days=2))
    return iw


def test_it_rebuilds_to_the_same_rows_however_often_it_runs(some):
    rebuild(DAY, DAY + dt.timedelta(days=3))
    first = snapshot()
    assert all(first)  # every table has rows
    rebuild(DAY, DAY + dt.timedelta(days=3))
    rebuild(DAY + dt.timedelta(days=1), DAY + dt.timedelta(days=2))
    assert snapshot() == first
    assert BuiltDay.objects.count() == 4


def test_it_picks_up_a_loan_recorded_after_the_day_was_built(some):
    rebuild(DAY, DAY)
    loan(some.dune_riv, some.elk, DAY)
    rebuild(DAY, DAY)
    assert MemberDay.objects.get(day=DAY, library=some.elk).borrowed_walkin == 1


def test_the_nightly_task_builds_yesterday_and_the_missing_days(some):
    today = DAY + dt.timedelta(days=3)
    rebuild(DAY, DAY)
    built = build_yesterday(today)
    assert built == 1 + 88  # yesterday, then the 88 other days of the last 90 not built
    assert BuiltDay.objects.filter(day=today - dt.timedelta(days=1)).exists()
    assert build_yesterday(today) == 1


def test_the_command_prints_the_figures_as_json(some):
    period = ("--from", "2026-03-01", "--to", "2026-03-05")
    built = StringIO()
    call_command("insights_rebuild", "--from", "2026-02-20", "--to", "2026-03-05", stdout=built)
    assert built.getvalue().splitlines()[:2] == [
        "  2026-02-28: 9 of 14 days built",  # progress, month by month
        "  2026-03-05: 14 of 14 days built",
    ]
    out = StringIO()
    call_command("insights", *period, "--json", stdout=out)
    data = json.loads(out.getvalue())
    pine = next(m for m in data["members"] if m["code"] == "PINE")
    assert pine == {
        "code": "PINE",
        "own_loans": 1,
        "lent": 0,
        "borrowed": 1,
        "net": -1,
        "holds_placed": 1,
        "holds_filled": 1,
        "fill_days_median": 0.0,
        "fill_days_p90": 0.0,
    }
    # nets 1, -1, 0: pairs 2·(2 + 1 + 1) = 8 over 2·3·2 = 12.
    assert data["group"] == {"loans": 2, "lent": 1, "gini_net_lending": 0.6667}


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("2026-03-05", "2026-03-01", "is before --from"),
        ("March 1", "2026-03-05", "write it as YYYY-MM-DD"),
        ("0001-01-01", "2026-03-05", "give dates from 1900 to 2199"),
        ("2026-03-01", "9999-12-31", "give dates from 1900 to 2199"),
    ],
)
def test_it_refuses_a_bad_period_and_says_how_to_write_it(some, start, end, message):
    with pytest.raises(CommandError, match=message):
        call_command("insights_rebuild", "--from", start, "--to", end, stdout=StringIO())
    assert not BuiltDay.objects.exists()
