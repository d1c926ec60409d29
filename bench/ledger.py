"""The accounts between members: a year's balances and netting, on SQLite and PostgreSQL.

    .venv/bin/python bench/ledger.py [--db sqlite|postgres|both] [--members 300] [--entries 200000]

Builds a group of 300 members (by default) and a year of 200,000 entries between them in
a fresh database (bulk inserts: the booking path is not what is measured), then times,
in the same run: the year's settlement (`settlement.settle`: two grouped sums through the
ORM, then `netting.net`), netting alone on those balances, one month's settlement, and
beside them the floor: a bare SQL `SUM(amount)` over the same year's entries, and the
two bare grouped sums the balances need. Each database runs in a child process, because
Django reads DATABASE_URL at start-up.
"""

from __future__ import annotations

import argparse
import random
import time

import timing

ROUNDS = 5


def build(members: int, entries: int) -> None:
    import datetime as dt
    from decimal import Decimal

    from django.core.management import call_command
    from django.utils import timezone

    from onelibrary.ledger.models import Entry
    from onelibrary.members.models import Library, SharingGroup

    call_command("migrate", verbosity=0)
    SharingGroup.objects.create(name="Bench group", code="BENCH")
    Library.objects.bulk_create(
        Library(code=f"L{n:03d}", name=f"Library {n}", size_class="medium") for n in range(members)
    )
    ids = list(Library.objects.values_list("pk", flat=True))
    rng = random.Random(1)
    start = timezone.make_aware(dt.datetime(2025, 1, 1))
    kinds = ["replacement", "processing_fee", "patron_payment", "refund", "transit_loss"]
    batch = 10_000
    for first in range(0, entries, batch):
        rows = []
        for n in range(first, min(first + batch, entries)):
            debtor, creditor = rng.sample(ids, 2)
            at = start + dt.timedelta(seconds=rng.randrange(365 * 86400))
            rows.append(
                Entry(
                    booked_at=at,
                    occurred_at=at,
                    kind=rng.choice(kinds),
                    debtor_id=None if n % 97 == 0 else debtor,  # now and then the group
                    creditor_id=creditor,
                    amount=Decimal(rng.randrange(100, 8000)) / 100,
                    source_kind="bench",
                    source_id=str(n),
                    decision="LEDGER-1",
                    reason="bench",
                )
            )
        Entry.objects.bulk_create(rows)


def child(args: argparse.Namespace) -> None:
    timing.setup_django()
    from django.db import connection

    from onelibrary.ledger import book, netting, settlement

    began = time.perf_counter()
    build(args.members, args.entries)
    built = time.perf_counter() - began
    year = settlement.period("2025-01-01..2025-12-31")
    # As the ORM sends them (SQLite keeps UTC text), so the bare SQL counts the same rows.
    start, end = (connection.ops.adapt_datetimefield_value(b) for b in year.bounds())

    def bare_sum() -> object:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT COUNT(*), SUM(amount) FROM ledger_entry "
                "WHERE booked_at >= %s AND booked_at < %s",
                [start, end],
            )
            return cursor.fetchone()

    def bare_grouped() -> object:
        with connection.cursor() as cursor:
            found = []
            for side in ("creditor_id", "debtor_id"):
                cursor.execute(
                    f"SELECT {side}, SUM(amount) FROM ledger_entry "
                    "WHERE booked_at >= %s AND booked_at < %s GROUP BY " + side,
                    [start, end],
                )
                found.append(cursor.fetchall())
            return found

    def median(fn):  # of ROUNDS calls, and the last result
        return timing.median_of(fn, ROUNDS)

    floor, counted = median(bare_sum)
    grouped, _ = median(bare_grouped)
    balances_s, by_id = median(lambda: book.balances(settlement.entries_in(year)))
    settle_s, found = median(lambda: settlement.settle(year))
    net_s, payments = median(lambda: netting.net(found.balances))  # type: ignore[attr-defined]
    month_s, _ = median(lambda: settlement.settle(settlement.period("2025-06")))
    timing.send(
        {
            "database": connection.vendor,
            "build_seconds": round(built, 1),
            "entries": counted[0],  # type: ignore[index]
            "members_with_balance": len(found.balances),  # type: ignore[attr-defined]
            "payments": len(payments),  # type: ignore[arg-type]
            "bare_sum_s": floor,
            "bare_grouped_s": grouped,
            "balances_s": balances_s,
            "netting_s": net_s,
            "settle_year_s": settle_s,
            "settle_month_s": month_s,
            "balanced": sum(by_id.values()) == 0,  # type: ignore[attr-defined]
        }
    )


def run_one(db: str, args: argparse.Namespace) -> dict:
    options = ["--members", str(args.members), "--entries", str(args.entries)]
    return timing.run_child(__file__, db, options)


def report(r: dict) -> None:
    print(f"\n{r['database']}: {r['entries']:,} entries built in {r['build_seconds']} s")
    floor = r["bare_sum_s"]
    rows = [
        ("bare SQL SUM (the floor)", "bare_sum_s"),
        ("bare grouped sums (2)", "bare_grouped_s"),
        ("balances (ORM, 2 grouped sums)", "balances_s"),
        ("netting alone", "netting_s"),
        ("settlement, the year", "settle_year_s"),
        ("settlement, one month", "settle_month_s"),
    ]
    print(f"  {'median of ' + str(ROUNDS):<34}{'seconds':>10}{'/ floor':>10}")
    for label, key in rows:
        ratio = timing.over_floor(r[key], floor)
        print(f"  {label:<34}{r[key]:>10.4f}{ratio:>9.1f}x")
    print(
        f"  {r['members_with_balance']} members with a balance settle in {r['payments']} payments"
        f" (at most {r['members_with_balance'] - 1}); balances sum to zero: {r['balanced']}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    timing.add_database_options(parser)
    parser.add_argument("--members", type=int, default=300)
    parser.add_argument("--entries", type=int, default=200_000)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    print(f"ledger bench: {args.members} members, {args.entries:,} entries over 2025")
    for db in timing.databases(args.db):
        report(run_one(db, args))


if __name__ == "__main__":
    main()
