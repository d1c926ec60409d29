"""`onelibrary insights --from DATE --to DATE [--json]`: each member's figures and the
group's for a period, from the daily summaries (docs/insights.md)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from onelibrary.insights import figures
from onelibrary.insights.dates import parse_period


class Command(BaseCommand):
    help = "Print each member's lending, borrowing and holds figures for a period."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="start", required=True, help="First day, YYYY-MM-DD.")
        parser.add_argument("--to", dest="end", required=True, help="Last day, YYYY-MM-DD.")
        parser.add_argument("--json", action="store_true", help="Print JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        start, end = parse_period(options["start"], options["end"])
        members = figures.members(start, end)
        group = figures.group(start, end, of=members)
        if options["json"]:
            data = {"members": [m.as_json() for m in members], "group": group.as_json()}
            self.stdout.write(json.dumps(data, indent=2))
            return
        self.stdout.write(
            f"{'member':<12}{'own':>9}{'lent':>9}{'borrowed':>9}{'net':>9}"
            f"{'placed':>9}{'filled':>9}{'median':>8}{'p90':>8}"
        )
        for m in members:
            self.stdout.write(
                f"{m.code:<12}{m.own_loans:>9}{m.lent:>9}{m.borrowed:>9}{m.net:>9}"
                f"{m.holds_placed:>9}{m.holds_filled:>9}"
                f"{_days(m.fill_days_median):>8}{_days(m.fill_days_p90):>8}"
            )
        self.stdout.write(
            f"group: {group.loans} loans, {group.lent} between members, "
            f"Gini of net lending {group.gini_net_lending:.3f}"
        )


def _days(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"
