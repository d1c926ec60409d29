"""`onelibrary insights-rebuild --from DATE --to DATE`: build the daily summaries of those
days again from the recorded loans, holds and transits. Idempotent: run it as often as
you like; each day is replaced in one transaction (docs/insights.md)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from onelibrary.insights.build import rebuild
from onelibrary.insights.dates import parse_period


class Command(BaseCommand):
    help = "Rebuild the insights daily summaries for a date range (both days included)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="start", required=True, help="First day, YYYY-MM-DD.")
        parser.add_argument("--to", dest="end", required=True, help="Last day, YYYY-MM-DD.")

    def handle(self, *args: Any, **options: Any) -> None:
        start, end = parse_period(options["start"], options["end"])
        began = time.perf_counter()

        def progress(day: object, done: int, total: int) -> None:
            self.stdout.write(f"  {day}: {done} of {total} days built")

        count = rebuild(start, end, progress)
        took = time.perf_counter() - began
        self.stdout.write(f"Built {count} days, {start} to {end}, in {took:.1f} s.")
