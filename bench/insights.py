"""Insights at the size of a large group: each figure, table and page timed over a year.

    .venv/bin/python bench/insights.py [--db sqlite|postgres|both] [--loans N] [--members N]

The issue's size is a year of 40 million loans among 300 members:

    .venv/bin/python bench/insights.py --loans 40000000 --members 300

(hours to generate, and some 15 GB of SQLite). The default, 2,000,000 loans, runs in a
few minutes; `--loans 20000 --members 30` is a quick check. It writes every input the
dashboard reads: titles (one per ten copies) and copies acquired over the year and the
two before it; a year of loans whose copy is picked by a skewed hash (so some titles are
far more borrowed than others); holds (a fifth as many) with a `routed` hold event each
and, for most, the copy pulled (`in_transit` or `on_shelf`) a day later; received
transits (a fifth as many) sent from branches that are stops on a few courier routes.
The rows come from one INSERT … SELECT per table, from a deterministic hash of the row
number (the same rows on both databases, so both print the same figures). It rebuilds
the daily summaries (`insights.build.rebuild`), then times over the year (goal under
2 s): each figure, every group table (`tables.build`), one member's board story, and the
dashboard and one member page rendered through Django's test client as the central
office — beside a bare scan of the same loans and the figures' direct GROUP BY over them.
Each database runs in a child process, because Django reads DATABASE_URL at start-up.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import timing

if TYPE_CHECKING:
    from django.db.models import Model

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

START = dt.date(2025, 1, 1)
DAYS = 365
ITEMS_PER_MEMBER = 200
COPIES_PER_TITLE = 10
ACQUIRED_SPAN = 3 * 365  # copies were acquired over the year and the two before it
MEMBERS_PER_ROUTE = 30
GOAL_SECONDS = 2.0
# Timings that are a baseline to compare with, not a view that must answer in 2 s.
BASELINES = ("bare scan of the loans (COUNT)", "loans GROUP BY pair (no summaries)")


def u(k: int, row: str = "i") -> str:
    """A deterministic number in [0, 1) from the row number `row`, the k-th of several."""
    a = (2654435761, 40503, 97, 1664525, 22695477, 69069, 1103515245, 134775813)[k]
    b = 1000 + 7919 * k
    return f"((({row} * {a} + {b}) % 1000003) / 1000003.0)"


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


def later(vendor: str, column: str, seconds: int) -> str:
    """The timestamp in `column` plus `seconds`."""
    if vendor == "postgresql":
        return f"({column} + interval '{seconds} seconds')"
    return f"datetime({column}, '+{seconds} seconds')"


def acquired_on(n: int) -> dt.date:
    """The n-th copy's acquisition day, spread by a hash over ACQUIRED_SPAN days ending on
    the bench year's last day: about a third in the year (buying against demand)."""
    first = START + dt.timedelta(days=DAYS - ACQUIRED_SPAN)
    return first + dt.timedelta(days=(n * 2654435761 + 12345) % 1000003 % ACQUIRED_SPAN)


def size_class(rank: float) -> str:
    """The size class of the member at `rank` (0 the largest, near 1 the smallest): the
    generated loans lean to the low member numbers, so the first are the big ones."""
    for below, name in ((0.02, "city"), (0.1, "large"), (0.3, "medium"), (0.6, "small")):
        if rank < below:
            return name
    return "one_room"


def make_members(members: int) -> None:
    """The libraries, one branch each, every branch a stop on one of a few courier routes,
    and a central-office account to read the pages as."""
    from django.contrib.auth.models import User

    from onelibrary.courier.models import Route, Stop
    from onelibrary.members.models import Branch, Library, SharingGroup, StaffRole

    SharingGroup.objects.create(name="Bench group", code="BENCH")
    Library.objects.bulk_create(
        Library(code=f"L{n:03d}", name=f"Library {n}", size_class=size_class(n / members))
        for n in range(members)
    )
    libs = list(Library.objects.order_by("pk"))
    Branch.objects.bulk_create(
        Branch(library=lib, code=f"{lib.code}-B", name=f"{lib.name} main") for lib in libs
    )
    branches = list(Branch.objects.order_by("pk"))
    count = max(1, members // MEMBERS_PER_ROUTE)
    Route.objects.bulk_create(Route(code=f"R{r:02d}", name=f"Van {r:02d}") for r in range(count))
    routes = list(Route.objects.order_by("code"))
    Stop.objects.bulk_create(
        Stop(route=routes[m % count], branch=branch, position=m // count + 1, days="1111100")
        for m, branch in enumerate(branches)
    )
    user = User.objects.create_user("bench.central")
    StaffRole.objects.create(user=user, library=None, role=StaffRole.Role.CENTRAL_OFFICE)


def make_copies(members: int) -> int:
    """The titles and each member's ITEMS_PER_MEMBER copies; the number of titles. Copy k
    of member m is of title (m * ITEMS_PER_MEMBER + k) mod titles, so each title has
    COPIES_PER_TITLE copies at as many members."""
    from onelibrary.catalog.models import Item, Title
    from onelibrary.members.models import Branch, Library

    count = max(1, members * ITEMS_PER_MEMBER // COPIES_PER_TITLE)
    Title.objects.bulk_create(
        (
            Title(title=f"Bench title {t:05d}", author=f"Author {t % 997}", title_key=f"bench {t}")
            for t in range(count)
        ),
        batch_size=5000,
    )
    titles = list(Title.objects.order_by("pk").values_list("pk", flat=True))
    libs = list(Library.objects.order_by("pk"))
    branches = list(Branch.objects.order_by("pk"))
    Item.objects.bulk_create(
        (
            Item(
                title_id=titles[(m * ITEMS_PER_MEMBER + k) % count],
                barcode=f"9{m:04d}{k:06d}",
                owning_library=lib,
                home_branch=branch,
                current_branch=branch,
                acquired_on=acquired_on(m * ITEMS_PER_MEMBER + k),
            )
            for m, (lib, branch) in enumerate(zip(libs, branches, strict=True))
            for k in range(ITEMS_PER_MEMBER)
        ),
        batch_size=5000,
    )
    return count


def first_of(model: type[Model], rows: int) -> int:
    """The first id of `model`'s table, after checking its `rows` ids are consecutive: the
    generated SQL finds a library, branch, title or copy by adding to it."""
    from django.db.models import Max, Min

    found = model._default_manager.aggregate(low=Min("pk"), high=Max("pk"))
    assert found["high"] - found["low"] + 1 == rows, f"{model.__name__} ids are not consecutive"
    return int(found["low"])


def generate_sql(vendor: str, members: int, loans: int, titles: int) -> dict[str, str]:
    """One INSERT … SELECT per table of records, from the hash of the row number."""
    from onelibrary.catalog.models import Item, Title
    from onelibrary.members.models import Branch, Library

    lib0, branch0 = first_of(Library, members), first_of(Branch, members)
    item0, title0 = first_of(Item, members * ITEMS_PER_MEMBER), first_of(Title, titles)
    # Members of skewed sizes own copies (u² leans to the low numbers); patrons are spread
    # evenly, and 80% of loans stay home: the big members lend more than they borrow.
    owner = whole(vendor, f"{members} * {u(0)} * {u(0)}")
    other = whole(vendor, f"{members} * {u(1)}")
    borrower = f"(CASE WHEN {u(2)} < 0.8 THEN {owner} ELSE {other} END)"
    # Which of the owner's copies: u² again, so its first copies (and their titles) are
    # borrowed far more than its last: the top titles stand out.
    nth = whole(vendor, f"{ITEMS_PER_MEMBER} * {u(6)} * {u(6)}")
    copy = f"{owner} * {ITEMS_PER_MEMBER} + {nth}"
    title = f"{title0} + ({copy}) % {titles}"
    day = f"(i % {DAYS})"
    seconds = f"{whole(vendor, f'36000 * {u(3)}')} + 32400"
    true, false = ("true", "false") if vendor == "postgresql" else ("1", "0")
    share = f"(CASE WHEN {borrower} = {owner} THEN 0.05 ELSE 0.6 END)"
    by_hold = f"(CASE WHEN {u(4)} < {share} THEN {true} ELSE {false} END)"
    due = f"date({moment(vendor, day + ' + 21', '0')})"
    if vendor == "postgresql":
        due = f"({moment(vendor, day + ' + 21', '0')})::date"
    placed = moment(vendor, day, seconds + " - 86400 * " + whole(vendor, "20 * " + u(5)))
    arrived = moment(vendor, day + " + 1 + " + whole(vendor, "4 * " + u(5)), "7200")
    # Each lender pulls between 75% and 95% of its pick list, so the shares differ.
    pulls = "0.75 + 0.2 * ((h.owning_library_id * 7) % 11) / 10.0"
    event = """INSERT INTO holds_holdevent (hold_id, kind, at, item_id, lender, borrower,
            detail)
        SELECT h.id, {kind}, {at}, h.assigned_item_id, o.code, b.code, '{{}}'
        FROM holds_hold h JOIN members_library o ON o.id = h.owning_library_id
            JOIN members_library b ON b.id = h.borrower_library_id"""
    return {
        "loans": f"""
        INSERT INTO circulation_loan (item_id, borrower_library_id, borrower_category,
            owning_library_id, by_hold, state, checkout_branch_id, checked_out_at, due_date,
            renewals, rule)
        SELECT {item0} + {copy}, {lib0} + {borrower}, 'adult', {lib0} + {owner}, {by_hold},
            'returned', {branch0} + {owner}, {moment(vendor, day, seconds)}, {due}, 0, '{{}}'
        FROM {numbers(vendor, loans)}""",
        "holds": f"""
        INSERT INTO holds_hold (title_id, pickup_branch_id, state, placed_at, assigned_item_id,
            routed_at, shelf_since, closed_at, explanation, expected_said, expected_rule,
            borrower_library_id, borrower_category, owning_library_id, lending_branch_id)
        SELECT {title}, {branch0} + {borrower}, 'fulfilled', {placed}, {item0} + {copy},
            {later(vendor, placed, 3600)}, {moment(vendor, day, seconds)},
            {moment(vendor, day + " + 1", seconds)}, '{{}}', '', '',
            {lib0} + {borrower}, 'adult', {lib0} + {owner}, {branch0} + {owner}
        FROM {numbers(vendor, loans // 5)}""",
        # The pick list: a copy routed to its owner for each hold …
        "routed events": event.format(kind="'routed'", at="h.routed_at"),
        # … and, for most, the copy pulled the next day: shelved at home, or sent on.
        "pulled events": event.format(
            kind="CASE WHEN h.owning_library_id = h.borrower_library_id "
            "THEN 'on_shelf' ELSE 'in_transit' END",
            at=later(vendor, "h.routed_at", 86400),
        )
        + f"\n        WHERE {u(7, 'h.id')} < {pulls}",
        "transits": f"""
        INSERT INTO transit_transit (item_id, sender_id, receiver_id, reason, state,
            created_at, shipped_at, received_at, closed_at, note)
        SELECT {item0} + {copy}, {branch0} + {owner}, {branch0} + {other}, 'hold', 'received',
            {moment(vendor, day, "0")}, {moment(vendor, day, "3600")}, {arrived}, {arrived}, ''
        FROM {numbers(vendor, loans // 5)}""",
    }


def build_world(members: int, loans: int) -> dict[str, int]:
    """Write the bench's group and a year of its records; how many rows of each."""
    from django.core.management import call_command
    from django.db import connection

    from onelibrary.catalog.models import Item
    from onelibrary.courier.models import Stop
    from onelibrary.holds.models import HoldEvent

    call_command("migrate", verbosity=0)
    make_members(members)
    titles = make_copies(members)
    with connection.cursor() as cursor:
        for statement in generate_sql(connection.vendor, members, loans, titles).values():
            cursor.execute(statement)
        cursor.execute("ANALYZE")
    end = START + dt.timedelta(days=DAYS - 1)
    return {
        "titles": titles,
        "copies": members * ITEMS_PER_MEMBER,
        "copies acquired in the year": Item.objects.filter(
            acquired_on__gte=START, acquired_on__lte=end
        ).count(),
        "hold events": HoldEvent.objects.count(),
        "route stops": Stop.objects.count(),
    }


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    began = time.perf_counter()
    value = fn()
    return time.perf_counter() - began, value


def best_of(fn: Callable[[], object]) -> tuple[float, object]:
    """The fastest of three runs after a warm-up (the first call pays for opening files,
    planning and compiling templates), and what the last run answered. A warm-up already
    five times over the goal is taken as it is: what it pays for the first time is small
    beside it, and running it three times more would only make a large size's run long."""
    warm, answer = timed(fn)
    if warm > 5 * GOAL_SECONDS:
        return warm, answer
    runs = [timed(fn) for _ in range(3)]
    return min(seconds for seconds, _ in runs), runs[-1][1]


def page_getter(
    path: str, end: dt.date, start: dt.date = START, **headers: str
) -> Callable[[], object]:
    """A GET of the page over the period (the bench year unless `start` says otherwise),
    as the central office; refused or failed pages stop the bench rather than timing an
    error page."""
    from django.contrib.auth.models import User
    from django.test import Client

    client = Client()
    client.force_login(User.objects.get(username="bench.central"))
    period = {"from": start.isoformat(), "to": end.isoformat()}

    def get() -> int:
        response = client.get(path, period, **headers)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}, not 200")
        return len(response.content)

    return get


def child(args: argparse.Namespace) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onelibrary.settings")
    import django

    django.setup()
    from django.db import connection

    from onelibrary.insights import board, figures, tables
    from onelibrary.insights.build import rebuild
    from onelibrary.insights.models import PairDay

    generated, rows = timed(lambda: build_world(args.members, args.loans))
    end = START + dt.timedelta(days=DAYS - 1)
    built, _ = timed(lambda: rebuild(START, end))
    member = "L000"  # the largest member: the most rows to read

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
        BASELINES[0]: bare_scan,
        BASELINES[1]: direct_group_by,
        "members(year)": lambda: figures.members(START, end),
        "group(year)": lambda: figures.group(START, end),
        "matrix(year)": lambda: figures.matrix(START, end),
        "transit_days(year)": lambda: figures.transit_days(START, end),
        "lent_and_borrowed(90 days, live)": lambda: figures.lent_and_borrowed(
            end - dt.timedelta(days=90), end + dt.timedelta(days=1), live=True
        ),
    }
    for slug in tables.GROUP_TABLES:
        queries[f"table {slug}(year)"] = partial(tables.build, slug, START, end)
    queries[f"board story({member}, year)"] = lambda: board.story(member, START, end)
    queries["page /insights/ (year)"] = page_getter("/insights/", end)
    for later in ("matrix", "transit"):  # a big group's page loads these after itself
        queries[f"page /insights/section/{later}/ (year, htmx)"] = page_getter(
            f"/insights/section/{later}/", end, HTTP_HX_REQUEST="true"
        )
    queries[f"page /insights/{member}/ (year)"] = page_getter(f"/insights/{member}/", end)
    times: dict[str, float] = {}
    page_bytes: dict[str, object] = {}
    takeaways: dict[str, str] = {}
    for name, fn in queries.items():
        seconds, answer = best_of(fn)
        times[name] = round(seconds, 3)
        if isinstance(answer, tables.Table):
            takeaways[answer.slug] = answer.takeaway
        elif name.startswith("page "):
            page_bytes[name] = answer
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
                "rows": rows,
                "times": times,
                "page_bytes": page_bytes,
                "group": group.as_json(),
                "top_lenders": [m.as_json() for m in top[:3]],
                "top_borrowers": [m.as_json() for m in top[-3:]],
                "takeaways": takeaways,
            }
        )
    )


def run_one(db: str, args: argparse.Namespace) -> dict:
    options = ["--loans", str(args.loans), "--members", str(args.members)]
    # Django's test client's host, for the pages the child fetches.
    return timing.run_child(__file__, db, options, env={"ONELIBRARY_ALLOWED_HOSTS": "testserver"})


def report(result: dict, args: argparse.Namespace) -> None:
    print(
        f"\n{result['database']}: {args.loans:,} loans generated in {result['generate_seconds']} s;"
        f" summaries built in {result['build_seconds']} s ({result['pair_rows']:,} pair rows)"
    )
    print("  " + ", ".join(f"{n:,} {what}" for what, n in result["rows"].items()))
    for name, seconds in result["times"].items():
        mark = "" if name in BASELINES else ("  ok" if seconds < GOAL_SECONDS else "  OVER 2 s")
        size = result["page_bytes"].get(name)
        weight = "" if size is None else f" ({size / 1024:,.0f} KB)"
        print(f"  {name:<46}{seconds:>9.3f} s{mark}{weight}")
    print(f"  group: {result['group']}")
    for m in result["top_lenders"] + result["top_borrowers"]:
        print(f"    {m['code']}: lent {m['lent']:,} borrowed {m['borrowed']:,} net {m['net']:,}")
    for slug, said in result["takeaways"].items():
        print(f"  {slug}: {said}")


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
