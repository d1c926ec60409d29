"""OAI-PMH full harvest: records a second and memory, beside a bare SELECT of the same rows.

    .venv/bin/python bench/oai.py [--titles N] [--keep]
    .venv/bin/python -m tests.pgserver -- .venv/bin/python bench/oai.py --titles N

Builds N titles (default 20,000; the issue's figure is 1,000,000: `--titles 1000000`,
7 minutes to build and 4 to harvest on SQLite here) in a fresh database — a
temporary SQLite file, or the PostgreSQL server of DATABASE_URL (tests/pgserver.py
starts a throwaway one) — each with a stored MARC record and one copy at one of four
libraries. Then, in the same run:

1. the floor: a bare `SELECT id, updated_at, marc FROM catalog_title ORDER BY updated_at, id`
   read to the end (rows a second);
2. a full harvest through the real view (`/oai`, Django's test client, no HTTP):
   ListIdentifiers, then ListRecords in marc21, following every resumption token
   (records a second, and the process's resident memory after the first page, at the
   middle and at the end: flat means a harvest holds nothing but its page);
3. the Python memory one page allocates (tracemalloc peak) for the first page and for
   the last, resumed from its token: the same, since a page reads from its cursor.
"""

from __future__ import annotations

import argparse
import atexit
import datetime as dt
import os
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
BATCH = 5_000
LIBRARIES = ("RIV", "PINE", "ELK", "ASH")


def rss_mb() -> float:
    """Resident memory now (not the peak, which the build sets)."""
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


def setup(keep: bool) -> str:
    if not os.environ.get("DATABASE_URL"):
        if keep:
            folder = ROOT / "var" / "bench"
            folder.mkdir(parents=True, exist_ok=True)
        else:  # a million titles take about 0.7 GB: gone when the run ends
            folder = Path(tempfile.mkdtemp(prefix="oai-bench-"))
            atexit.register(shutil.rmtree, folder, ignore_errors=True)
        path = folder / "oai.sqlite3"
        path.unlink(missing_ok=True)
        os.environ["ONELIBRARY_SQLITE_PATH"] = str(path)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onelibrary.settings")
    os.environ.setdefault("ONELIBRARY_ALLOWED_HOSTS", "testserver")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    return connection.vendor


def build(count: int) -> None:
    from django.db import transaction

    from onelibrary.catalog.exporter import built_record
    from onelibrary.catalog.models import Item, Title
    from onelibrary.members.models import Branch, Library, SharingGroup

    SharingGroup.objects.create(name="Bench Partners", code="BEN")
    branches = []
    for code in LIBRARIES:
        library = Library.objects.create(code=code, name=f"{code} Library", size_class="medium")
        branches.append(Branch.objects.create(library=library, code=code, name=code, town=code))
    start = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    made = 0
    while made < count:
        size = min(BATCH, count - made)
        titles = []
        for n in range(made, made + size):
            title = Title(
                title=f"Bench title {n} of the harvest",
                author=f"Author {n % 997}, Sam",
                subjects=f"Subject {n % 113}\nPlace {n % 41}",
                year=1950 + n % 75,
                language="eng",
                publisher="Bench Press",
                title_key=f"bench {n}",
                # A few titles share each second, as a busy import makes them.
                updated_at=start + dt.timedelta(seconds=n // 3),
            )
            title.marc = built_record(title).as_marc()
            titles.append(title)
        with transaction.atomic():
            Title.objects.bulk_create(titles)
            Item.objects.bulk_create(
                Item(
                    barcode=f"B{t.pk:010d}",
                    title=t,
                    owning_library_id=branches[t.pk % len(branches)].library_id,
                    home_branch=branches[t.pk % len(branches)],
                    current_branch=branches[t.pk % len(branches)],
                )
                for t in titles
            )
        made += size
        print(f"\r  built {made:,} titles", end="", flush=True)
    print()


def bare_select() -> tuple[int, float]:
    from django.db import connection, transaction

    started = time.perf_counter()
    rows = 0
    with transaction.atomic(), connection.cursor() as cursor:
        # A server-side read on PostgreSQL would need a named cursor; fetchmany keeps
        # the client's share of memory bounded on both.
        cursor.execute("SELECT id, updated_at, marc FROM catalog_title ORDER BY updated_at, id")
        while batch := cursor.fetchmany(2_000):
            rows += len(batch)
    return rows, time.perf_counter() - started


def harvest(client, verb: str, prefix: str) -> dict:
    from lxml import etree

    ns = {"o": "http://www.openarchives.org/OAI/2.0/"}
    params = {"verb": verb, "metadataPrefix": prefix}
    records = pages = 0
    memory: list[float] = []
    last_token = ""
    started = time.perf_counter()
    while True:
        response = client.get("/oai", params)
        root = etree.fromstring(response.content)
        found = root.findall(f"o:{verb}/o:header", ns) or root.findall(
            f"o:{verb}/o:record/o:header", ns
        )
        records += len(found)
        pages += 1
        memory.append(rss_mb())
        token = root.findtext(f"o:{verb}/o:resumptionToken", namespaces=ns)
        if not token:
            break
        last_token = token
        params = {"verb": verb, "resumptionToken": token}
    seconds = time.perf_counter() - started
    return {
        "records": records,
        "pages": pages,
        "seconds": seconds,
        "rss": (memory[0], memory[len(memory) // 2], memory[-1]),
        "last_token": last_token,
    }


def page_peak(client, params: dict) -> float:
    tracemalloc.start()
    tracemalloc.reset_peak()
    client.get("/oai", params)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--titles", type=int, default=20_000)
    parser.add_argument("--keep", action="store_true", help="keep the SQLite file in var/bench")
    args = parser.parse_args()
    vendor = setup(args.keep)
    from django.test import Client

    from onelibrary.interop import harvest as pages

    print(f"OAI-PMH harvest on {vendor}, {args.titles:,} titles, {pages.PAGE_SIZE} a page")
    started = time.perf_counter()
    build(args.titles)
    print(f"  build: {time.perf_counter() - started:.1f} s")
    rows, seconds = bare_select()
    print(
        f"  bare SELECT of the same rows: {rows:,} rows in {seconds:.2f} s"
        f" = {rows / seconds:,.0f} rows/s"
    )
    client = Client()
    for verb, prefix in (("ListIdentifiers", "oai_dc"), ("ListRecords", "marc21")):
        found = harvest(client, verb, prefix)
        first, middle, last = found["rss"]
        print(
            f"  {verb} ({prefix}): {found['records']:,} records in {found['pages']:,} pages,"
            f" {found['seconds']:.1f} s = {found['records'] / found['seconds']:,.0f} records/s;"
            f" resident memory after page 1 / middle / last:"
            f" {first:.0f} / {middle:.0f} / {last:.0f} MB"
        )
        assert found["records"] == args.titles, "a harvest must bring every record once"
    first_peak = page_peak(client, {"verb": "ListRecords", "metadataPrefix": "marc21"})
    last_peak = page_peak(client, {"verb": "ListRecords", "resumptionToken": found["last_token"]})
    print(
        f"  Python memory one ListRecords page allocates (tracemalloc peak):"
        f" first page {first_peak:.1f} MB, last page {last_peak:.1f} MB"
    )


if __name__ == "__main__":
    main()
