"""Insights at the issue's full size — a year of 40 million loans among 300 members — by
writing the summary tables as that year leaves them, instead of the loans themselves.

    .venv/bin/python bench/insights_full.py [--db sqlite|postgres|both] [--loans N] [--members N]

Every figure, table and page reads only the summaries (docs/insights.md), so how fast
they answer depends on how many summary rows a year holds, not on how the loans got
there. Generating 40 million loans and building their summaries takes hours
(`bench/insights.py` does it at 2 million); this writes the summary rows directly, with
one INSERT … SELECT per table from the row number, at the density such a year gives:

- loans between members, a fifth of all (as in `bench/insights.py`), spread over every
  pair of members and day: one `PairDay` row per pair and day that had any;
- received transits, as many, one `TransitDays` row each (pair, day and days taken
  rarely repeat at this size);
- every sending branch every day with 5 transit times (`SendDays`), every member every
  day with 20 fill times (`FillDays`), one `MemberDay` and `PickDay` per member and day;
- the loans over `--titles` titles (default 100,000), as skewed as real circulation
  (`TitleDay`): 40,000 titles borrowed each day at full size (fewer in proportion to
  `--loans`). The title at rank j of a day (j = 0, 1, …) lends 1 + ⌊C·s·(0.5 + u)/(j +
  30)⌋: Zipf-like with exponent 1, flattened over the first 30 ranks; s, the title's own
  size, from 0.5 to 1.5, and u, the day's chance, in [0, 1), both from hashes (of the
  title and of the row number); C chosen so the year's rows hold about `--loans` loans.
  At full size a day's most borrowed title lends some 400 to 600 (across all members),
  the 100th about 100, the 1,000th about 12, and the last three quarters of the day's
  titles 1 or 2; 40.2 million loans in all. Bestsellers come and fade: the titles in the
  first quarter of the ranks fall one rank a day (a new one taking the top), so the top
  title of New Year's Day is the 31st a month later, lending half as much; the rest of
  the day's titles are spread over the other titles, differently each day.

Then it rolls up the months and times, over the year, each figure, every group table and
the pages, as `bench/insights.py` does (goal under 2 s); top titles also the way they
were read before the threshold search (every title's loans added up), the baseline, and
checks both give the same titles. What it does not write, and so does not time: the loans
themselves (top titles' "members" column counts the ten winners' loans, here none) and
the raw baselines. Each database runs in a child process.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import insights as small  # noqa: E402 - bench/insights.py: the same world and timings
import timing  # noqa: E402 - bench/timing.py

START, DAYS, GOAL_SECONDS = small.START, small.DAYS, small.GOAL_SECONDS
TITLES_A_DAY = 40_000  # at the full size, FULL_LOANS; fewer in proportion below it
FULL_LOANS = 40_000_000
BETWEEN = 0.2  # the share of loans between members, and of transits, as bench/insights.py
ZIPF_FLAT = 30  # a day's most borrowed titles lend alike over about this many ranks
FADE = 1  # ranks a day each of the first quarter of a day's titles falls by


def h(k: int) -> str:
    """A deterministic number in [0, 1) from the row number."""
    return small.u(k)


def titles_a_day(loans: int, titles: int) -> int:
    return max(1, min(titles, TITLES_A_DAY * loans // FULL_LOANS))


def zipf_scale(loans: int, rows: int) -> float:
    """C such that a day's `rows` titles, the one at rank j lending 1 + ⌊C·(0.5 + u)/(j +
    ZIPF_FLAT)⌋ with u uniform in [0, 1), lend `loans` / DAYS on average (found by
    bisection on the expected loans; the titles' sizes, 1 on average, are left out)."""

    def floors(b: float) -> float:  # the integral of ⌊y⌋ for y from 0 to b
        m = int(b)
        return m * (m - 1) / 2 + m * (b - m)

    def expected(c: float) -> float:
        total = float(rows)
        for j in range(rows):
            mean = c / (j + ZIPF_FLAT)
            total += (floors(1.5 * mean) - floors(0.5 * mean)) / mean
        return total

    low, high = 0.0, float(loans)
    for _ in range(40):
        middle = (low + high) / 2
        low, high = (middle, high) if expected(middle) < loans / DAYS else (low, middle)
    return low


def summary_sql(vendor: str, members: int, loans: int, titles: int) -> dict[str, str]:
    """One INSERT … SELECT per summary table. Each row's key is unique by construction:
    within a day, row j takes pair (j · 7919 + day) mod members², a bijection (7919 is a
    prime that divides no members² of interest) — so no two rows of a day collide."""
    from onelibrary.catalog.models import Title
    from onelibrary.members.models import Branch, Library

    lib0, branch0 = small.first_of(Library, members), small.first_of(Branch, members)
    title0 = small.first_of(Title, titles)
    whole = partial(small.whole, vendor)
    cells = members * members * DAYS
    between = int(loans * BETWEEN)
    pair_rows = min(cells, between)
    pair = f"((i / {DAYS}) * 7919 + (i % {DAYS})) % {members * members}"
    owner, borrower = f"({pair}) / {members}", f"({pair}) % {members}"
    day = f"date('{START}', (i % {DAYS}) || ' days')"
    if vendor == "postgresql":
        day = f"(date '{START}' + (i % {DAYS})::integer)"
    numbers = partial(small.numbers, vendor)
    a_day = titles_a_day(loans, titles)
    title_rows, head = a_day * DAYS, a_day // 4
    rank = f"(i / {DAYS})"
    # The head's window of titles slides FADE titles a day (its titles fall FADE ranks);
    # the tail takes the other titles, a different spread each day (7919 is prime).
    window = f"{FADE} * ({DAYS} - i % {DAYS})"
    title = (
        f"({window} + CASE WHEN {rank} < {head} THEN {rank} "
        f"ELSE {head} + ({rank} - {head} + i % {DAYS}) * 7919 % {titles - head} END) "
        f"% {titles}"
    )
    # Titles differ in size too: each its own factor, from 0.5 to 1.5 (so, one on average).
    size = small.u(5, row=f"({title})")
    lends = whole(
        f"{zipf_scale(loans, a_day):.3f} * (0.5 + {size}) * (0.5 + {h(3)}) / ({rank} + {ZIPF_FLAT})"
    )
    return {
        "insights_pairday": f"""
        INSERT INTO insights_pairday (day, owner_id, borrower_id, by_hold, walkin)
        SELECT {day}, {lib0} + {owner}, {lib0} + {borrower},
            {whole(f"2 * {h(0)}")}, 1 FROM {numbers(pair_rows)}
        WHERE {owner} <> {borrower}""",
        "insights_transitdays": f"""
        INSERT INTO insights_transitdays (day, sender_id, receiver_id, days, copies)
        SELECT {day}, {lib0} + {owner}, {lib0} + {borrower}, 1 + {whole(f"5 * {h(1)}")}, 1
        FROM {numbers(pair_rows)} WHERE {owner} <> {borrower}""",
        "insights_senddays": f"""
        INSERT INTO insights_senddays (day, branch_id, days, copies)
        SELECT {day}, {branch0} + (i / {DAYS}) % {members}, (i / {DAYS}) / {members},
            1 + {whole(f"{2 * between // (members * DAYS * 5) + 1} * {h(2)}")}
        FROM {numbers(members * DAYS * 5)}""",
        "insights_filldays": f"""
        INSERT INTO insights_filldays (day, library_id, days, holds)
        SELECT {day}, {lib0} + (i / {DAYS}) % {members}, (i / {DAYS}) / {members},
            1 + {whole(f"{2 * between // (members * DAYS * 20) + 1} * {h(3)}")}
        FROM {numbers(members * DAYS * 20)}""",
        "insights_memberday": f"""
        INSERT INTO insights_memberday (day, library_id, own_loans, lent_by_hold,
            lent_walkin, borrowed_by_hold, borrowed_walkin, holds_placed, holds_filled)
        SELECT {day}, {lib0} + i / {DAYS},
            {whole(f"{2 * (loans - between) // (members * DAYS)} * {h(4)}")},
            {whole(f"{between // (members * DAYS)} * {h(5)}")},
            {whole(f"{between // (members * DAYS)} * {h(6)}")},
            {whole(f"{between // (members * DAYS)} * {h(7)}")},
            {whole(f"{between // (members * DAYS)} * {h(0)}")},
            {whole(f"{between // (members * DAYS)} * {h(1)}")},
            {whole(f"{between // (members * DAYS)} * {h(2)}")}
        FROM {numbers(members * DAYS)}""",
        "insights_titleday": f"""
        INSERT INTO insights_titleday (day, title_id, loans)
        SELECT {day}, {title0} + {title}, 1 + {lends}
        FROM {numbers(title_rows)}""",
    }


def build_summaries(members: int, loans: int, titles: int) -> dict[str, int]:
    """The group (members, branches, routes, the central office's account), the titles,
    and a year of summaries at the density of `loans` loans, months rolled up."""
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from onelibrary.catalog.models import Title
    from onelibrary.insights import rollup, running
    from onelibrary.insights.models import BuiltDay, PickDay
    from onelibrary.members.models import Library

    call_command("migrate", verbosity=0)
    small.make_members(members)
    Title.objects.bulk_create(
        (
            Title(title=f"Bench title {t:06d}", author=f"Author {t % 997}", title_key=f"b {t}")
            for t in range(titles)
        ),
        batch_size=5000,
    )
    counts = {}
    with connection.cursor() as cursor:
        for table, statement in summary_sql(connection.vendor, members, loans, titles).items():
            cursor.execute(statement)
            cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 - our own names
            counts[table] = cursor.fetchone()[0]
    codes = list(Library.objects.order_by("pk").values_list("code", flat=True))
    days = [START + dt.timedelta(days=d) for d in range(DAYS)]
    asked = max(1, int(loans * BETWEEN) // (members * DAYS))
    PickDay.objects.bulk_create(
        (
            PickDay(day=day, lender=code, asked=asked, pulled=asked - (n + d) % (asked // 5 + 1))
            for d, day in enumerate(days)
            for n, code in enumerate(codes)
        ),
        batch_size=5000,
    )
    BuiltDay.objects.bulk_create(BuiltDay(day=day, built_at=timezone.now()) for day in days)
    for month in rollup.months(days[0], days[-1]):
        with transaction.atomic():
            rollup.roll_up(month)
    with transaction.atomic():
        running.bring_up_to_date(days[0])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        for table in [r.monthly._meta.db_table for r in rollup.ROLLUPS] + [
            k.running._meta.db_table for k in running.KINDS
        ]:
            cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 - our own names
            counts[table] = cursor.fetchone()[0]
    return counts


def added_up(start: dt.date, end: dt.date, limit: int = 10) -> list[tuple[str, int]]:
    """Top titles as they were read before the threshold search (the baseline): every
    title's loans in the period added up by the database, ranked, ties by name."""
    from onelibrary.catalog.models import Title
    from onelibrary.insights import rollup
    from onelibrary.insights.models import TitleDay

    loans = rollup.summed(TitleDay, start, end, ("title",), ("loans",))
    ranked = sorted(((n, title) for (title,), (n,) in loans.items()), reverse=True)
    if not ranked:
        return []
    cut = ranked[min(limit, len(ranked)) - 1][0]
    reaching = [(title, n) for n, title in ranked if n >= cut]
    names = dict(Title.objects.filter(pk__in=[t for t, _ in reaching]).values_list("pk", "title"))
    return sorted(((names[t], n) for t, n in reaching), key=lambda tn: (-tn[1], tn[0]))[:limit]


def child(args: argparse.Namespace) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onelibrary.settings")
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Sum

    from onelibrary.insights import board, figures, ranking, series, tables
    from onelibrary.insights.models import TitleDay

    built, rows = small.timed(lambda: build_summaries(args.members, args.loans, args.titles))
    end = START + dt.timedelta(days=DAYS - 1)
    member = "L000"
    queries: dict[str, Callable[[], object]] = {
        "members(year)": lambda: figures.members(START, end),
        "group(year)": lambda: figures.group(START, end),
        "matrix(year)": lambda: figures.matrix(START, end),
        "transit_days(year)": lambda: figures.transit_days(START, end),
        "lent_and_borrowed(90 days, live)": lambda: figures.lent_and_borrowed(
            end - dt.timedelta(days=90), end, live=True
        ),
    }
    for slug in tables.GROUP_TABLES:
        queries[f"table {slug}(year)"] = partial(tables.build, slug, START, end)
    queries[f"board story({member}, year)"] = lambda: board.story(member, START, end)
    queries["page /insights/ (year)"] = small.page_getter("/insights/", end)
    for later in ("matrix", "transit"):
        queries[f"page /insights/section/{later}/ (year, htmx)"] = small.page_getter(
            f"/insights/section/{later}/", end, HTTP_HX_REQUEST="true"
        )
    queries[f"page /insights/{member}/ (year)"] = small.page_getter(f"/insights/{member}/", end)
    # Periods whose ends fall mid-month (the default period, the last 365 days, does):
    # "mid-month year", the year less a day at each end, reads the most edge days beside
    # whole months (30 and 30); "mid-dekad", the 16th of the first month to the 15th of
    # the last, the most beside running totals (5 and 5).
    years = {
        "year": (START, end),
        "mid-month year": (START + dt.timedelta(days=1), end - dt.timedelta(days=1)),
        "mid-dekad": (START.replace(day=16), end.replace(day=15)),
    }
    for label, (first, last) in list(years.items())[1:]:
        queries[f"matrix({label})"] = partial(figures.matrix, first, last)
        queries[f"transit_days({label})"] = partial(figures.transit_days, first, last)
        queries[f"members({label})"] = partial(figures.members, first, last)
        for slug in ("top-titles", "routes", "fill-times"):
            queries[f"table {slug}({label})"] = partial(tables.build, slug, first, last)
        queries[f"page /insights/ ({label})"] = small.page_getter("/insights/", last, first)
        for later in ("matrix", "transit"):
            queries[f"page /insights/section/{later}/ ({label}, htmx)"] = small.page_getter(
                f"/insights/section/{later}/", last, first, HTTP_HX_REQUEST="true"
            )
    for name, (a, b) in years.items():
        queries[f"top titles({name})"] = partial(series.top_titles, a, b)
        queries[f"top titles by adding up({name}, before)"] = partial(added_up, a, b)
    times = {name: round(small.best_of(fn)[0], 3) for name, fn in queries.items()}
    group = figures.group(START, end)
    searches = {name: ranking.search(a, b, 10) for name, (a, b) in years.items()}
    top = {
        name: {
            "titles": [(t.title, t.loans) for t in series.top_titles(a, b)],
            "same as adding up": [(t.title, t.loans) for t in series.top_titles(a, b)]
            == added_up(a, b),
            "rows read a list": searches[name].rows,
            "titles counted": searches[name].counted,
        }
        for name, (a, b) in years.items()
    }
    print(
        json.dumps(
            {
                "database": connection.vendor,
                "build_seconds": round(built, 1),
                "rows": rows,
                "times": times,
                "group": group.as_json(),
                "top_titles": top,
                "title_loans": TitleDay.objects.aggregate(n=Sum("loans"))["n"],
            }
        )
    )


def run_one(db: str, args: argparse.Namespace) -> dict:
    options = ["--loans", str(args.loans), "--members", str(args.members)]
    options += ["--titles", str(args.titles)]
    # Django's test client's host, for the pages the child fetches.
    return timing.run_child(__file__, db, options, env={"ONELIBRARY_ALLOWED_HOSTS": "testserver"})


def report(result: dict) -> None:
    print(f"\n{result['database']}: summaries written and rolled up in {result['build_seconds']} s")
    print("  " + ", ".join(f"{table[9:]} {n:,}" for table, n in result["rows"].items()))
    for name, seconds in result["times"].items():
        mark = "  ok" if seconds < GOAL_SECONDS else "  OVER 2 s"
        print(f"  {name:<56}{seconds:>9.3f} s{mark}")
    print(f"  group: {result['group']}")
    print(f"  title loans in the year: {result['title_loans']:,}")
    for name, found in result["top_titles"].items():
        print(f"  top titles ({name}): {found}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--loans", type=int, default=40_000_000)
    parser.add_argument("--members", type=int, default=300)
    parser.add_argument("--titles", type=int, default=100_000)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    print(
        f"insights bench at full size: the summaries of a year of {args.loans:,} loans "
        f"among {args.members} members, {args.titles:,} titles"
    )
    for db in ["sqlite", "postgres"] if args.db == "both" else [args.db]:
        report(run_one(db, args))


if __name__ == "__main__":
    main()
