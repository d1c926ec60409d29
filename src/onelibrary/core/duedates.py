"""Due-date arithmetic: pure functions over plain dates (decision table DUE in docs)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from onelibrary.core.refusals import RulesProblem

# A branch open on no day at all within a year is a data error, not a reason to loop.
SEARCH_LIMIT_DAYS = 366


class NoOpenDayError(RulesProblem):
    code = "no_open_day"


def is_open(day: dt.date, open_days: str, closed_dates: Collection[dt.date]) -> bool:
    return open_days[day.weekday()] == "1" and day not in closed_dates


def next_open_day(day: dt.date, open_days: str, closed_dates: Collection[dt.date]) -> dt.date:
    """`day` itself when the branch is open then, else the first open day after it."""
    for offset in range(SEARCH_LIMIT_DAYS):
        candidate = day + dt.timedelta(days=offset)
        if is_open(candidate, open_days, closed_dates):
            return candidate
    raise NoOpenDayError(
        f"The branch is not open on any day in the year after {day:%Y-%m-%d}; "
        "check its opening days and closed dates."
    )


def due_date(
    start: dt.date, loan_days: int, open_days: str, closed_dates: Collection[dt.date]
) -> dt.date:
    """DUE-1: start + loan period; DUE-2: moved forward to the branch's next open day."""
    return next_open_day(start + dt.timedelta(days=loan_days), open_days, closed_dates)


def days_late(due: dt.date, returned: dt.date) -> int:
    return max(0, (returned - due).days)
