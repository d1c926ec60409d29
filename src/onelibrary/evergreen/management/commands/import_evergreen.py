"""`onelibrary import-evergreen DIR [--json]`: migrate a group in from Evergreen's dump."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from onelibrary.evergreen.dump import EvergreenImportError
from onelibrary.evergreen.load import REPORTED, import_evergreen


class Command(BaseCommand):
    help = (
        "Load an Evergreen consortium from a directory of PostgreSQL COPY dumps (one file "
        "per table, plus actor.usr.minimal.tsv). Safe to run again: what is here stays. "
        "See docs/migration.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path)
        parser.add_argument("--json", action="store_true", help="Print the report as JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = import_evergreen(options["directory"])
        except EvergreenImportError as error:
            raise CommandError(str(error)) from error
        if options["json"]:
            self.stdout.write(json.dumps(report, indent=2))
            return
        for name in REPORTED:
            self.stdout.write(f"{name}: {report[name]}")
        unmapped = report["unmapped"]
        assert isinstance(unmapped, list)
        self.stdout.write(f"no place for ({len(unmapped)}):")
        for line in unmapped:
            self.stdout.write(f"  {line}")
