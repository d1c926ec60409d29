"""How fast `import_marc` loads records, beside pymarc's bare parse of the same file.

    .venv/bin/python bench/import_marc.py [--repeat 50] [--distinct]

Writes Evergreen's jazz_1k.mrc repeated (50 x 1,000 records by default) to a temporary
directory, migrates a fresh SQLite database there, and times, in the same run:

* pymarc's bare parse: `for record in MARCReader(fh): pass` with its defaults (Leader/09
  blank means MARC-8), and again decoding every record as UTF-8 (the cheapest parse);
* the import of the whole file into the empty database, for one library and branch.

The goal is an import rate of at least a third of the bare parse rate. `--distinct`
rewrites each repetition into new titles and barcodes (the repeated file otherwise
merges onto the first 1,000 titles), so every record creates a title and its items.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import pymarc

ROOT = Path(__file__).resolve().parent.parent
JAZZ = ROOT.parent / "shared" / "data" / "evergreen" / "marc" / "jazz_1k.mrc"


def write_file(path: Path, repeat: int, distinct: bool) -> int:
    data = JAZZ.read_bytes()
    with path.open("wb") as out:
        if not distinct:
            out.write(data * repeat)
            return data.count(b"\x1d") * repeat
        records = [r for r in pymarc.MARCReader(data, hide_utf8_warnings=True) if r]
        for round_ in range(repeat):
            for record in records:
                out.write(_variant(record, round_).as_marc())
        return len(records) * repeat


def _variant(record: pymarc.Record, round_: int) -> pymarc.Record:
    """A copy of the record matching nothing before: new title and barcodes, no ISBN or OCLC."""
    copy = pymarc.Record(record.as_marc(), force_utf8=True)
    copy.remove_fields("020", "035", "001")
    copy.add_ordered_field(pymarc.Field(tag="001", data=f"bench-{round_}-{id(record)}"))
    for field in copy.get_fields("245"):
        field["a"] = f"{field['a']} (round {round_})"
    for field in copy.get_fields("949"):
        field["i"] = f"{field['i']}-{round_}"
    return copy


class Clock:
    """Wall time, and this process's CPU time: on a busy machine the CPU figures are the
    fairer comparison, since other processes slow the wall clock of each run differently."""

    def __enter__(self) -> Clock:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu


def bare_parse(path: Path, *, all_utf8: bool = False) -> tuple[int, Clock]:
    count = 0
    with Clock() as clock, path.open("rb") as fh:
        reader = pymarc.MARCReader(
            fh,
            hide_utf8_warnings=True,
            force_utf8=all_utf8,
            utf8_handling="surrogateescape" if all_utf8 else "strict",
        )
        for _record in reader:
            count += 1
    return count, clock


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50, help="Copies of jazz_1k.mrc.")
    parser.add_argument("--distinct", action="store_true", help="Make every record new.")
    parser.add_argument("--batch-size", type=int, default=500)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="onelibrary-bench-"))
    try:
        # A fresh SQLite database in the temporary directory, whatever the environment says.
        os.environ["ONELIBRARY_DATA_DIR"] = str(workdir)
        os.environ["DJANGO_SETTINGS_MODULE"] = "onelibrary.settings"
        os.environ.pop("DATABASE_URL", None)
        os.environ.pop("ONELIBRARY_SQLITE_PATH", None)
        run(workdir, args.repeat, args.distinct, args.batch_size)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def run(workdir: Path, repeat: int, distinct: bool, batch_size: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    from onelibrary.catalog.importer import import_marc
    from onelibrary.members.models import Branch, Library

    call_command("migrate", verbosity=0)
    library = Library.objects.create(code="HUNT", name="Huntington", size_class="city")
    Branch.objects.create(library=library, code="HUNT-MAIN", name="Huntington")

    path = workdir / "jazz.mrc"
    records = write_file(path, repeat, distinct)
    print(f"file: {records:,} records, {path.stat().st_size / 1e6:.1f} MB", flush=True)

    parsed, parse = bare_parse(path)
    _, utf8 = bare_parse(path, all_utf8=True)
    with Clock() as load:
        summary = import_marc([path], library=library, batch_size=batch_size)

    print("                                 wall clock      CPU time")
    for label, count, clock in (
        ("bare parse (pymarc defaults)", parsed, parse),
        ("bare parse (all as UTF-8)", parsed, utf8),
        ("import into empty SQLite", records, load),
    ):
        print(f"{label:30} {count / clock.wall:8,.0f}/s {count / clock.cpu:10,.0f}/s")
    for label, clock in (("bare parse", parse), ("UTF-8 parse", utf8)):
        wall = (records / load.wall) / (parsed / clock.wall)
        cpu = (records / load.cpu) / (parsed / clock.cpu)
        print(f"ratio import / {label:15} {wall:8.2f} {cpu:12.2f}   (goal >= 0.33)")
    print(
        f"titles created {summary.titles_created:,}, merged {summary.titles_merged:,}; "
        f"items created {summary.items_created:,}, present {summary.items_present:,}; "
        f"rejected {len(summary.rejected)}"
    )
    if records / load.cpu * 3 < parsed / parse.cpu:
        sys.exit("below the goal: import is slower than a third of the bare parse")


if __name__ == "__main__":
    main()
