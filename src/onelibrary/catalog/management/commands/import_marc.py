"""`onelibrary import_marc FILE... --library CODE`: load MARC records and their copies."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from onelibrary.catalog.holdings import PROFILES
from onelibrary.catalog.importer import ImportSummary, MarcImportError, import_marc
from onelibrary.catalog.terms import refresh_terms
from onelibrary.members.models import Library


def find_library(code: str) -> Library:
    """The library with this code (any case), or a CommandError naming the valid codes."""
    library = Library.objects.filter(code__iexact=code.strip()).first()
    if library is None:
        known = ", ".join(Library.objects.order_by("code").values_list("code", flat=True))
        raise CommandError(
            f"Unknown library code {code!r}. Known codes: {known or 'none yet'} "
            "(`onelibrary members` lists the libraries)."
        )
    return library


class Command(BaseCommand):
    help = (
        "Import MARC21 or MARCXML files (MARC-8 or UTF-8); copies in holdings fields (949, "
        "999, 952 or 852: --profile, or detected) become items owned by --library. Bad "
        "records are listed and skipped. See docs/marc.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
        parser.add_argument("--library", required=True, help="Code of the owning library.")
        parser.add_argument(
            "--json", action="store_true", help="Print the summary as one JSON line, last."
        )
        parser.add_argument(
            "--progress", action="store_true", help="Show a progress bar even when not a tty."
        )
        parser.add_argument("--batch-size", type=int, default=500, help="Records per transaction.")
        parser.add_argument(
            "--profile",
            choices=sorted(PROFILES),
            help="Where the copies are: 949 Sirsi Unicorn, 999 SirsiDynix Symphony, 952 Koha, "
            "852 Evergreen or MARC holdings. Default: detected from the tag with barcodes.",
        )
        parser.add_argument(
            "--new",
            action="store_true",
            help="Copies whose holdings give no acquisition date are new (acquired today), "
            "in their library's local-priority window. Default: acquired long ago.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        files: list[Path] = options["files"]
        library = find_library(str(options["library"]))
        batch_size = int(options["batch_size"])
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        show = bool(options["progress"]) or sys.stderr.isatty()
        total = sum(p.stat().st_size for p in files if p.is_file())
        with tqdm(total=total, unit="B", unit_scale=True, disable=not show, file=sys.stderr) as bar:
            try:
                summary = import_marc(
                    files,
                    library=library,
                    profile=PROFILES[options["profile"]] if options["profile"] else None,
                    new=bool(options["new"]),
                    batch_size=batch_size,
                    on_progress=bar.update,
                )
            except MarcImportError as exc:
                raise CommandError(str(exc)) from exc
        # Count the vocabulary's words again, for "Did you mean" (catalog/terms.py).
        refresh_terms()
        if options["json"]:
            self.stdout.write(json.dumps(summary.as_dict(), ensure_ascii=False))
        else:
            self.stdout.write(describe(summary, library))


def describe(summary: ImportSummary, library: Library) -> str:
    profiles = ", ".join(f"{name}: {p}" for name, p in summary.profiles.items())
    lines = [
        f"Imported for {library.code} (holdings profile {profiles}):",
        f"  records read     {summary.records_read}",
        f"  titles created   {summary.titles_created}",
        f"  titles merged    {summary.titles_merged}",
        f"  items created    {summary.items_created}",
        f"  items present    {summary.items_present}",
        f"  items dated      {summary.items_dated}",
        f"  branch fallbacks {summary.branch_fallbacks}",
        f"  rejected         {len(summary.rejected)}",
    ]
    lines += [f"    {r['file']} record {r['position']}: {r['reason']}" for r in summary.rejected]
    if summary.warnings:
        lines.append(f"  warnings         {len(summary.warnings)}")
        lines += [f"    {w}" for w in summary.warnings]
    return "\n".join(lines)
