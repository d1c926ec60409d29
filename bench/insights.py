"""Insights at the size of a large group: the summary build and each figure's query time.

    .venv/bin/python bench/insights.py [--db sqlite|postgres|both] [--loans N] [--members N]

The issue's size is a year of 40 million loans among 300 members:

    .venv/bin/python bench/insights.py --loans 40000000 --members 300

(hours to generate, and some 15 GB of SQLite). The default, 2,000,000 loans, runs in a
few minutes. It writes a year of loans, holds (a fifth as many) and received transits (a
fifth as many) with one INSERT … SELECT each, from a deterministic hash of the row number
(the same rows on both databases, so both print the same figures); rebuilds the daily
summaries (`insights.build.rebuild`); then times each figure over the year (goal under
2 s) beside a bare scan of the same loans and the figures' direct GROUP BY over them.
Each database runs in a child process, because Django reads DATABASE_URL at start-up.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

START = dt.date(2025, 1, 1)
DAYS = 365
ITEMS_PER_MEMBER = 200
GOAL_SECONDS = 2.0


def u(k: int) -> str:
    """A deterministic number in [0, 1) from the row number `i`, the k-th of several."""
    a, b = (2654435761, 40503, 97, 1664525, 22695477, 69069)[k], 1000 + 7919 * k
    return f"(((i * {a} + {b}) % 1000003) / 1000003.0)"


def numbers(vendor: str, n: int) -> str:
    """A FROM clause giving rows i = 0 … n-1."""
    if vendor == "postgresql":
        return f"generate_series(0::bigint, {n - 1}) AS g(i)"
    return (
        f"(WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < {n - 1}) "
        "SELECT i FROM s)"
    )


def whole(vendor: str, x: str) -> str:
    """The whole part of a positive number: PostgreSQL's CAST rounds, SQLite's truncates."""
    return f"FLOOR({x})::integer" if vendor == "postgresql" else f"CAST({x} AS INTEGER)"


def moment(vendor: str, days: str, seconds: str) -> str:
    """START + `days` days + `seconds` seconds, as each database keeps a timestamp."""
    if vendor == "postgresql":
        return (
            f"(timestamptz '{START} 00:00+00' + ({days}) * interval '1 day' "
            f"+ ({seconds}) * interval '1 second')"
        )
    return f"datetime('{START}', ({days}) || ' days', ({seconds}) || ' seconds')"


def build_world(members: int, loans: int) -> None:
    from django.core.management import call_command
    from django.db import connection

    from onelibrary.catalog.models import Item, Title
    from onelibrary.members.models import Branch, Library, SharingGroup

    call_command("migrate", verbosity=0)
    SharingGroup.objects.create(name="Bench group", code="BENCH")
    Library.objects.bulk_create(
        Library(code=f"L{n:03d}", name=f"Library {n}", size_class="medium") for n in range(members)
    )
    libs = list(Library.objects.order_by("pk"))
    Branch.objects.bulk_create(
        Branch(library=lib, code=f"{lib.code}-B", name=f"{lib.name} main") for lib in libs
    )
    branches = list(Branch.objects.order_by("pk"))
    title = Title.objects.create(title="Bench title", title_key="bench title")
    Item.objects.bulk_create(
        (
            Item(
                title=title,
                barcode=f"9{m:04d}{k:06d}",
                owning_library=lib,
                home_branch=branch,
                current_branch=branch,
            )
            for m, (lib, branch) in enumerate(zip(libs, branches, strict=True))
            for k in range(ITEMS_PER_MEMBER)
        ),
        batch_size=5000,
    )
    lib0, branch0 = libs[0].pk, branches[0].pk
    item0 = Item.objects.order_by("pk").values_list("pk", flat=True).first()
    vendor = connection.vendor
    # Members of skewed sizes own copies (u² leans to the low numbers); patrons are spread
    # evenly, and 80% of loans stay home: the big members lend more than they borrow.
    owner = whole(vendor, f"{members} * {u(0)} * {u(0)}")
    other = whole(vendor, f"{members} * {u(1)}")
    borrower = f"(CASE WHEN {u(2)} < 0.8 THEN {owner} ELSE {other} END)"
    day = f"(i % {DAYS})"
    seconds = f"{whole(vendor, f'36000 * {u(3)}')} + 32400"
    true, false = ("true", "false") if vendor == "postgresql" else ("1", "0")
    share = f"(CASE WHEN {borrower} = {owner} THEN 0.05 ELSE 0.6 END)"
    by_hold = f"(CASE WHEN {u(4)} < {share} THEN {true} ELSE {false} END)"
    due = f"date({moment(vendor, day + ' + 21', '0')})"
    if vendor == "postgresql":
        due = f"({moment(vendor, day + ' + 21', '0')})::date"
    sql = {
        "loans": f"""
        INSERT INTO circulation_loan (item_id, borrower_library_id, borrower_category,
            owning_library_id, by_hold, state, checkout_branch_id, checked_out_at, due_date,
            renewals, rule)
        SELECT {item0} + {owner} * {ITEMS_PER_MEMBER} + (i % {ITEMS_PER_MEMBER}),
            {lib0} + {borrower}, 'adult', {lib0} + {owner}, {by_hold}, 'returned',
            {branch0} + {owner}, {moment(vendor, day, seconds)},
            {due},
            0, '{{}}'
        FROM {numbers(vendor, loans)}""",
        "holds": f"""
        INSERT INTO holds_hold (title_id, pickup_branch_id, state, placed_at, shelf_since,
            closed_at, explanation, expected_said, expected_rule, borrower_library_id,
            borrower_category, owning_library_id)
        SELECT {title.pk}, {branch0} + {borrower}, 'fulfilled',
            {moment(vendor, day, seconds + " - 86400 * " + whole(vendor, "20 * " + u(5)))},
            {moment(vendor, day, seconds)}, {moment(vendor, day + " + 1", seconds)},
            '{{}}', '', '', {lib0} + {borrower}, 'adult', {lib0} + {owner}
        FROM {numbers(vendor, loans // 5)}""",
        "transits": f"""
        INSERT INTO transit_transit (item_id, sender_id, receiver_id, reason, state,
            created_at, shipped_at, received_at, closed_at, note)
        SELECT {item0} + {owner} * {ITEMS_PER_MEMBER} + (i % {ITEMS_PER_MEMBER}),
            {branch0} + {owner}, {branch0} + {other}, 'hold', 'received',
            {moment(vendor, day, "0")}, {moment(vendor, day, "3600")},
            {moment(vendor, day + " + 1 + " + whole(vendor, "4 * " + u(5)), "7200")},
            {moment(vendor, day + " + 1 + " + whole(vendor, "4 * " + u(5)), "7200")}, ''
        FROM {numbers(vendor, loans // 5)}""",
    }
    with connection.cursor() as cursor:
        for statement in sql.values():
            cursor.execute(statement)
        cursor.execute("ANALYZE")


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    began = time.perf_counter()
    value = fn()
    return time.perf_counter() - began, value


def child(args: argparse.Namespace) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onelibrary.settings")
    import django

    django.setup()
    from django.db import connection

    from onelibrary.insights import figures
    from onelibrary.insights.build import rebuild
    from onelibrary.insights.models import PairDay

    generated, _ = timed(lambda: build_world(args.members, args.loans))
    end = START + dt.timedelta(days=DAYS - 1)
    built, _ = timed(lambda: rebuild(START, end))

    def bare_scan() -> object:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT COUNT(*), SUM(CASE WHEN by_hold THEN 1 ELSE 0 END) FROM circulation_loan"
            )
            return cursor.fetchone()

    def direct_group_by() -> object:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT owning_library_id, borrower_library_id, by_hold, COUNT(*) "
                "FROM circulation_loan GROUP BY owning_library_id, borrower_library_id, by_hold"
            )
            return len(cursor.fetchall())

    queries: dict[str, Callable[[], object]] = {
        "bare scan of the loans (COUNT)": bare_scan,
        "loans GROUP BY pair (no summaries)": direct_group_by,
        "members(year)": lambda: figures.members(START, end),
        "group(year)": lambda: figures.group(START, end),
        "matrix(year)": lambda: figures.matrix(START, end),
        "transit_days(year)": lambda: figures.transit_days(START, end),
        "lent_and_borrowed(90 days, live)": lambda: figures.lent_and_borrowed(
            end - dt.timedelta(days=90), end + dt.timedelta(days=1), live=True
        ),
    }
    times = {}
    for name, fn in queries.items():
        fn()  # warm: the first call pays for opening files and planning
        times[name] = round(min(timed(fn)[0] for _ in range(3)), 3)
    members = figures.members(START, end)
    group = figures.group(START, end, of=members)
    top = sorted(members, key=lambda m: -m.net)
    print(
        json.dumps(
            {
                "database": connection.vendor,
                "generate_seconds": round(generated, 1),
                "build_seconds": round(built, 1),
                "pair_rows": PairDay.objects.count(),
                "times": times,
                "group": group.as_json(),
                "top_lenders": [m.as_json() for m in top[:3]],
                "top_borrowers": [m.as_json() for m in top[-3:]],
            }
        )
    )


def run_one(db: str, args: argparse.Namespace) -> dict:
    argv = [sys.executable, __file__, "--child", "--loans", str(args.loans)]
    argv += ["--members", str(args.members)]
    with tempfile.TemporaryDirectory(prefix="onelibrary-bench-") as tmp:
        env = {**os.environ, "ONELIBRARY_DATA_DIR": tmp, "PYTHONPATH": str(ROOT / "src")}
        env.pop("DATABASE_URL", None)
        if db == "postgres":
            from tests.pgserver import throwaway_server

            with throwaway_server() as url:
                env["DATABASE_URL"] = url
                out = subprocess.run(argv, env=env, check=True, capture_output=True, text=True)
        else:
            out = subprocess.run(argv, env=env, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def report(result: dict, args: argparse.Namespace) -> None:
    print(
        f"\n{result['database']}: {args.loans:,} loans generated in {result['generate_seconds']} s;"
        f" summaries built in {result['build_seconds']} s ({result['pair_rows']:,} pair rows)"
    )
    for name, seconds in result["times"].items():
        mark = "" if "loans" in name else ("  ok" if seconds < GOAL_SECONDS else "  OVER 2 s")
        print(f"  {name:<40}{seconds:>9.3f} s{mark}")
    print(f"  group: {result['group']}")
    for m in result["top_lenders"] + result["top_borrowers"]:
        print(f"    {m['code']}: lent {m['lent']:,} borrowed {m['borrowed']:,} net {m['net']:,}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--loans", type=int, default=2_000_000)
    parser.add_argument("--members", type=int, default=300)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    print(f"insights bench: a year of {args.loans:,} loans among {args.members} members")
    for db in ["sqlite", "postgres"] if args.db == "both" else [args.db]:
        report(run_one(db, args), args)


if __name__ == "__main__":
    main()
