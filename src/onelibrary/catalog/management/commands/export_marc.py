"""`onelibrary export_marc --library CODE [--format marc21|marcxml] OUTFILE`."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from onelibrary.catalog.exporter import FORMATS, export_marc
from onelibrary.catalog.management.commands.import_marc import find_library


class Command(BaseCommand):
    help = (
        "Write every title with a copy owned by --library, with that library's copies as "
        "949 fields, as UTF-8 MARC21 or MARCXML. See docs/marc.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("outfile", type=Path, metavar="OUTFILE")
        parser.add_argument("--library", required=True, help="Code of the owning library.")
        parser.add_argument("--format", choices=FORMATS, default="marc21", dest="fmt")
        parser.add_argument("--json", action="store_true", help="Print the counts as JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        library = find_library(str(options["library"]))
        outfile: Path = options["outfile"]
        folder = outfile.resolve().parent
        if not folder.is_dir():
            raise CommandError(f"Cannot write {outfile}: no directory {folder}")
        # Write beside the target and rename at the end: a failed export leaves no half file.
        partial = folder / f".{outfile.name}.{os.getpid()}.part"
        try:
            with partial.open("wb") as out:
                summary = export_marc(out, library=library, fmt=str(options["fmt"]))
            os.replace(partial, outfile)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        if options["json"]:
            counts = {"titles": summary.titles, "items": summary.items, "file": str(outfile)}
            self.stdout.write(json.dumps(counts))
        else:
            self.stdout.write(
                f"Exported {summary.titles} titles with {summary.items} copies "
                f"of {library.code} to {outfile}"
            )
