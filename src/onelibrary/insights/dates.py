"""The period a command is asked for: two ISO dates, checked with a message that says
what to type instead."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import CommandError


def parse_period(start: str, end: str) -> tuple[dt.date, dt.date]:
    first, last = _date("--from", start), _date("--to", end)
    if last < first:
        raise CommandError(f"--to {last} is before --from {first}: give the earlier date first.")
    return first, last


def _date(flag: str, text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{flag} {text!r} is not a date: write it as YYYY-MM-DD.") from None
