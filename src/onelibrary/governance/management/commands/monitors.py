"""`onelibrary monitors [--json] [--only NAME] [--daily]`: the compliance monitors' findings.

--json prints [{"monitor", "member", "what", "url"}, …]; --daily also makes the daily
run's training suggestions and mail (what huey does each morning)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from onelibrary.governance import monitors, tasks


class Command(BaseCommand):
    help = "Print the compliance monitors' findings (docs/governance.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="Print the findings as JSON.")
        parser.add_argument(
            "--only", default="", help=f"One monitor: {', '.join(monitors.MONITORS)}."
        )
        parser.add_argument("--daily", action="store_true", help="Also suggest training and mail.")

    def handle(self, *args: Any, **options: Any) -> None:
        only = options["only"]
        if only and only not in monitors.MONITORS:
            raise CommandError(
                f"No monitor called “{only}”; choose one of {', '.join(monitors.MONITORS)}."
            )
        findings = tasks.daily() if options["daily"] else monitors.run(only=only)
        if only:
            findings = [f for f in findings if f.monitor == only]
        if options["json"]:
            self.stdout.write(json.dumps([f.as_dict() for f in findings], indent=1))
            return
        for f in findings:
            self.stdout.write(f"[{f.monitor}] {f.member or 'group'}: {f.what} ({f.url})")
        self.stdout.write(f"{len(findings)} findings.")
