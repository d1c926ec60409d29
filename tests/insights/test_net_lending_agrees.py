"""One definition of net lending: routing's load term and the report agree on a history,
whether today is built yet or not (docs/insights.md, "Net lending")."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from onelibrary.core import lending
from onelibrary.holds import inputs
from onelibrary.insights import figures
from onelibrary.insights.build import rebuild
from tests.insights.conftest import loan


def test_routings_load_term_and_the_report_agree_on_a_small_history(iw):
    today = timezone.localdate()
    history = [
        (iw.dune_riv, iw.pine, 0, True),  # today, not built yet
        (iw.dune_riv, iw.elk, 1, False),
        (iw.dune_riv, iw.pine, 30, True),
        (iw.dune_pine, iw.riverton, 2, False),
        (iw.dune_pine, iw.pine, 3, False),  # own: neither
        (iw.dune_riv, iw.elk, 89, True),
        (iw.dune_pine, iw.elk, 120, True),  # outside the 90 days
    ]
    for item, borrower, ago, by_hold in history:
        loan(item, borrower, today - dt.timedelta(days=ago), by_hold=by_hold)
    since = today - dt.timedelta(days=inputs.LOAD_WINDOW_DAYS)
    rebuild(today - dt.timedelta(days=130), today - dt.timedelta(days=1))

    load = inputs.lending_load(today)  # today counted from the loans themselves
    rebuild(today, today)
    report = {m.code: m for m in figures.members(since, today)}

    assert (report["RIV"].lent, report["RIV"].borrowed, report["RIV"].net) == (4, 1, 3)
    assert (report["PINE"].lent, report["PINE"].borrowed) == (1, 2)
    assert (report["ELK"].lent, report["ELK"].borrowed) == (0, 2)
    assert load == {
        code: pytest.approx(lending.load_share(m.lent, m.borrowed))
        for code, m in report.items()
        if m.lent or m.borrowed
    }
    assert load["RIV"] == pytest.approx(3 / 5)
    assert inputs.lending_load(today) == load  # the same once today is built
