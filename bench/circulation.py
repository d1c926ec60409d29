"""Checkout and checkin speed through the action functions, on SQLite and on PostgreSQL.

    .venv/bin/python bench/circulation.py [--db sqlite|postgres|both] [--items N] [--patrons N]

Builds a group of 1,000,000 items and 200,000 patrons (by default) in a fresh database,
then makes checkouts and checkins one at a time as the desk does: find the patron and the
item from the typed card and barcode (`circulation.lookup`, as `circulation.scans`
does), then call the action (`circulation.actions.check_out`, `check_in`). It times the
action, which the goal is set on, and the whole scan with its lookups. Beside them, a bare
indexed lookup of the item row by barcode (the floor). Then two processes scan checkouts
and checkins at once for a fixed time, for transactions per second. Each database runs
in a child process, because Django reads DATABASE_URL at start-up.
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import time

import timing

SAMPLES = 2000
TPS_SECONDS = 10.0


def build(items: int, patrons: int) -> None:
    import datetime as dt
    from decimal import Decimal

    from django.contrib.auth.models import User
    from django.core.management import call_command

    from onelibrary.catalog.models import Item, Title
    from onelibrary.members.models import Branch, Library, SharingGroup, StaffRole
    from onelibrary.patrons.models import Patron
    from onelibrary.policy.models import CirculationRule

    call_command("migrate", verbosity=0)
    SharingGroup.objects.create(name="Bench group", code="BENCH")
    libraries = [
        Library.objects.create(code=f"L{n:03d}", name=f"Library {n}", size_class="medium")
        for n in range(20)
    ]
    branches = [
        Branch.objects.create(library=lib, code=f"{lib.code}-B", name=f"{lib.name} main")
        for lib in libraries
    ]
    staff = User.objects.create_user("bench", password="bench-password")
    StaffRole.objects.create(user=staff, role=StaffRole.Role.CENTRAL_OFFICE)
    CirculationRule.objects.create(
        name="Group default",
        loan_days=21,
        renewals_allowed=2,
        max_items_out=10_000,
        fine_per_day=Decimal("0.10"),
        fine_cap=Decimal("5"),
        fine_block_threshold=None,
        holdable=True,
    )
    titles = items // 3
    batch = 20_000
    for start in range(0, titles, batch):
        Title.objects.bulk_create(
            [
                Title(title=f"Title {n}", title_key=f"title {n}")
                for n in range(start, min(titles, start + batch))
            ],
            batch_size=batch,
        )
    first_title = Title.objects.order_by("pk").values_list("pk", flat=True).first()
    for start in range(0, items, batch):
        rows = []
        for n in range(start, min(items, start + batch)):
            branch = branches[n % len(branches)]
            rows.append(
                Item(
                    barcode=f"3{n:013d}",
                    title_id=first_title + n % titles,
                    owning_library_id=branch.library_id,
                    home_branch=branch,
                    current_branch=branch,
                    item_type="book",
                    collection="ADULT",
                )
            )
        Item.objects.bulk_create(rows, batch_size=batch)
    expiry = dt.date.today() + dt.timedelta(days=365)
    for start in range(0, patrons, batch):
        Patron.objects.bulk_create(
            [
                Patron(
                    card=f"2{n:013d}",
                    first_name="P",
                    last_name=str(n),
                    home_library=libraries[n % len(libraries)],
                    expires_on=expiry,
                )
                for n in range(start, min(patrons, start + batch))
            ],
            batch_size=batch,
        )


def _desk(items: int):
    """The bench staff member, and the branch each item's number lives at (as built)."""
    from django.contrib.auth.models import User

    from onelibrary.members.models import Branch

    staff = User.objects.get(username="bench")
    branches = list(Branch.objects.order_by("pk"))
    return staff, lambda n: branches[n % len(branches)]


def timed_round(items: int, patrons: int, seed: int) -> dict[str, list[float]]:
    from django.db import connection

    from onelibrary.circulation import actions
    from onelibrary.patrons.lookup import find_item, find_patron

    rng = random.Random(seed)
    staff, branch_of = _desk(items)
    numbers = rng.sample(range(items), SAMPLES)
    cards = [f"2{rng.randrange(patrons):013d}" for _ in range(SAMPLES)]
    times: dict[str, list[float]] = {
        name: [] for name in ("floor", "checkout", "checkin", "checkout_scan", "checkin_scan")
    }
    with connection.cursor() as cursor:
        for n in numbers:
            started = time.perf_counter()
            cursor.execute("SELECT id FROM catalog_item WHERE barcode = %s", [f"3{n:013d}"])
            cursor.fetchone()
            times["floor"].append(time.perf_counter() - started)
    for n, card in zip(numbers, cards, strict=True):
        started = time.perf_counter()
        patron, item = find_patron(card), find_item(f"3{n:013d}")
        found = time.perf_counter()
        actions.check_out(staff, branch_of(n), patron, item)
        done = time.perf_counter()
        times["checkout"].append(done - found)
        times["checkout_scan"].append(done - started)
    for n in numbers:
        started = time.perf_counter()
        item = find_item(f"3{n:013d}")
        found = time.perf_counter()
        actions.check_in(staff, branch_of(n), item)
        done = time.perf_counter()
        times["checkin"].append(done - found)
        times["checkin_scan"].append(done - started)
    return times


def statements(items: int, patrons: int) -> dict[str, int]:
    """How many statements one desk checkout and one checkin scan send, lookups, BEGIN
    and COMMIT included: on PostgreSQL each is a round trip to the server."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from onelibrary.circulation import scans

    staff, branch_of = _desk(items)
    n, card, barcode = items - 1, f"2{patrons - 1:013d}", f"3{items - 1:013d}"
    with CaptureQueriesContext(connection) as out:
        scans.checkout_scan(staff, branch_of(n), card, barcode)
    with CaptureQueriesContext(connection) as back:
        scans.checkin_scan(staff, branch_of(n), barcode)
    return {"checkout": len(out.captured_queries), "checkin": len(back.captured_queries)}


def worker(offset: int, items: int, deadline: float, counter) -> None:
    import django

    django.setup()
    from onelibrary.circulation import scans
    from onelibrary.patrons.models import Patron

    staff, branch_of = _desk(items)
    card = Patron.objects.order_by("pk")[offset].card
    n = offset
    done = 0
    while time.monotonic() < deadline:
        number = (n * 7919) % items
        n += 2  # the two workers take alternate items, so they never meet on one
        barcode = f"3{number:013d}"
        scans.checkout_scan(staff, branch_of(number), card, barcode)
        scans.checkin_scan(staff, branch_of(number), barcode)
        done += 2
    with counter.get_lock():
        counter.value += done


def child(args: argparse.Namespace) -> None:
    timing.setup_django()
    from django.db import connection

    started = time.perf_counter()
    build(args.items, args.patrons)
    built = time.perf_counter() - started
    times = timed_round(args.items, args.patrons, seed=1)
    counted = statements(args.items, args.patrons)
    connection.close()
    counter = multiprocessing.Value("i", 0)
    deadline = time.monotonic() + TPS_SECONDS
    procs = [
        multiprocessing.Process(target=worker, args=(k, args.items, deadline, counter))
        for k in range(2)
    ]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    result = {
        "database": connection.vendor,
        "build_seconds": round(built, 1),
        **{f"{name}_ms": timing.p50_p95_ms(v) for name, v in times.items()},
        "tps_two_processes": round(counter.value / TPS_SECONDS, 1),
        "statements": counted,
    }
    timing.send(result)


def run_one(db: str, args: argparse.Namespace) -> dict:
    options = ["--items", str(args.items), "--patrons", str(args.patrons)]
    return timing.run_child(__file__, db, options)


ROWS = {
    "floor": "floor",
    "checkout": "checkout (action)",
    "checkin": "checkin (action)",
    "checkout_scan": "checkout scan + lookups",
    "checkin_scan": "checkin scan + lookups",
}


def report(result: dict) -> None:
    floor = result["floor_ms"]
    print(f"\n{result['database']}: built in {result['build_seconds']} s")
    print(f"  {'':<26}{'p50 ms':>10}{'p95 ms':>10}{'p95 / floor':>14}")
    for name, label in ROWS.items():
        row = result[f"{name}_ms"]
        ratio = timing.over_floor(row["p95"], floor["p95"])
        print(f"  {label:<26}{row['p50']:>10.3f}{row['p95']:>10.3f}{ratio:>13.0f}x")
    counted = result["statements"]
    print(
        f"  statements a scan, lookups included: {counted['checkout']} checkout, "
        f"{counted['checkin']} checkin"
    )
    verdict = all(result[f"{n}_ms"]["p95"] < 20 for n in ("checkout", "checkin"))
    print(f"  two processes: {result['tps_two_processes']} transactions/s")
    print(f"  goal p95 < 20 ms for an action: {'met' if verdict else 'NOT met'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    timing.add_database_options(parser)
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--patrons", type=int, default=200_000)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    print(
        f"circulation bench: {args.items:,} items, {args.patrons:,} patrons, "
        f"{SAMPLES} timed checkouts and checkins, {TPS_SECONDS:.0f} s of two processes"
    )
    for db in timing.databases(args.db):
        report(run_one(db, args))


if __name__ == "__main__":
    main()
