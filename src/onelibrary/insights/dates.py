"""The period a command or page is asked for: two ISO dates, checked with a message that
says what to type instead."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import CommandError

# The dates a period may span: a library's records fall well inside, and a date far
# outside (year 1, year 9999) would only run past what the calendar can count.
EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(2199, 12, 31)


def out_of_range(day: dt.date) -> str:
    """What is wrong with a day a period cannot hold; "" when nothing is."""
    if EARLIEST <= day <= LATEST:
        return ""
    return (
        f"{day} is outside the dates insights can read: "
        f"give dates from {EARLIEST:%Y} to {LATEST:%Y}."
    )


def parse_period(start: str, end: str) -> tuple[dt.date, dt.date]:
    first, last = _date("--from", start), _date("--to", end)
    if wrong := out_of_range(first) or out_of_range(last):
        raise CommandError(wrong)
    if last < first:
        raise CommandError(f"--to {last} is before --from {first}: give the earlier date first.")
    return first, last


def _date(flag: str, text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{flag} {text!r} is not a date: write it as YYYY-MM-DD.") from None
