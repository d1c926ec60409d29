import datetime as dt

import pytest

from onelibrary.core.duedates import NoOpenDayError, days_late, due_date, next_open_day

MON = dt.date(2026, 11, 2)


def test_it_due_1_adds_the_loan_period():
    assert due_date(MON, 21, "1111111", set()) == dt.date(2026, 11, 23)


def test_it_due_2_moves_a_due_date_off_a_closed_weekday():
    # 5 days from Monday is Saturday; a branch open Monday to Friday takes it back Monday.
    assert due_date(MON, 5, "1111100", set()) == dt.date(2026, 11, 9)


def test_it_due_2_moves_a_due_date_off_a_closed_date_and_the_weekend_after():
    friday = dt.date(2026, 11, 6)
    assert due_date(MON, 4, "1111100", {friday}) == dt.date(2026, 11, 9)


def test_it_keeps_an_open_day_as_it_is():
    assert next_open_day(MON, "1000000", set()) == MON


def test_it_refuses_a_branch_that_never_opens():
    with pytest.raises(NoOpenDayError, match="not open on any day"):
        next_open_day(MON, "0000000", set())


def test_it_counts_days_late_and_never_negative():
    assert days_late(MON, dt.date(2026, 11, 5)) == 3
    assert days_late(MON, dt.date(2026, 10, 30)) == 0
