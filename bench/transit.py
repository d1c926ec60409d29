"""Expected courier days at the design point: 500 branches, all pairs, 30 ship dates.

    .venv/bin/python bench/transit.py [--branches 500] [--dates 30] [--seed 1]

Generates a courier network like a state courier's (four sorting depots, loops of about
eight stops around each, a trunk van between the depots; branches open 2-7 days a week,
holidays and a few closed days each) and writes it to a throwaway SQLite database. Then:

1. the table built from the network in memory (`courier.table.build`), and through the
   service (`service.current_table()`: read the routes from the database, then build);
   the check that finds it unchanged (what every `current_table()` call costs after);
2. per pair: `table.days(sender, receiver, date)` on the service's table for every
   ordered pair on every date (500 × 500 × 30 = 7.5 million answers), beside the floor:
   a prebuilt dict per date indexed by (sender, receiver) the same number of times (and,
   for scale, bare nested-list indexing by position, which knows no ids and no dates);
3. in bulk: `table.days_for(senders, receivers, date)` (numpy arrays of branch ids, what
   routing calls) for the same 7.5 million pairs, beside the floor: a prebuilt numpy
   array fancy-indexed with precomputed positions;
4. a sample of answers checked against the pure function `schedule.expected`.

Prints figures; asserts the answers agree.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
WORK = tempfile.mkdtemp(prefix="onelibrary-bench-transit-")
os.environ["ONELIBRARY_SQLITE_PATH"] = str(Path(WORK) / "bench.sqlite3")
os.environ.pop("DATABASE_URL", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onelibrary.settings")

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
from django.core.management import call_command  # noqa: E402

from onelibrary.courier import service  # noqa: E402
from onelibrary.courier.models import Hub, Route, Stop  # noqa: E402
from onelibrary.courier.schedule import expected  # noqa: E402
from onelibrary.courier.table import build  # noqa: E402
from onelibrary.members.models import Branch, ClosedDate, Library  # noqa: E402

OPENING = ["1111110", "1111100", "1111111", "0101010", "1010100", "0111110", "1101100"]
CALLS = ["1111100", "1010100", "0101000", "1001000", "0100100", "0010100"]


def write_network(rng: random.Random, branches: int, first: dt.date) -> None:
    """Branches on a 950 × 500 km map, four depots, loops of ~8 stops, one trunk van."""
    library = Library.objects.create(code="BENCH", name="Bench", size_class="city")
    rows = Branch.objects.bulk_create(
        Branch(
            library=library,
            code=f"B{n:04d}",
            name=f"Branch {n}",
            latitude=round(rng.uniform(44.5, 49.0), 5),
            longitude=round(rng.uniform(-116.0, -104.0), 5),
            open_days=rng.choice(OPENING),
        )
        for n in range(branches)
    )
    closed = []
    for branch in rows:
        days = {first + dt.timedelta(days=d) for d in (24, 58)}  # two holidays
        days |= {first + dt.timedelta(days=rng.randrange(0, 90)) for _ in range(rng.randrange(3))}
        closed += [ClosedDate(branch=branch, date=d) for d in sorted(days)]
    ClosedDate.objects.bulk_create(closed)
    hubs = Hub.objects.bulk_create(
        Hub(code=f"HUB-{q}", name=f"Depot {q}", transfer_days=1) for q in ("NW", "NE", "SW", "SE")
    )
    quadrant: dict[int, list[Branch]] = {i: [] for i in range(4)}
    for branch in rows:
        north = float(branch.latitude) >= 46.75
        east = float(branch.longitude) >= -110.0
        quadrant[(0 if north else 2) + (1 if east else 0)].append(branch)
    route_rows, stops = [], []
    for q, members in quadrant.items():
        centre = (
            sum(float(b.latitude) for b in members) / len(members),
            sum(float(b.longitude) for b in members) / len(members),
        )
        members.sort(
            key=lambda b: math.atan2(float(b.latitude) - centre[0], float(b.longitude) - centre[1])
        )
        loops = max(1, round(len(members) / 8))
        for n in range(loops):
            chunk = members[n * len(members) // loops : (n + 1) * len(members) // loops]
            route = Route(code=f"R{q}-{n:02d}", name=f"Loop {q}-{n}", days="1111110")
            route_rows.append((route, hubs[q], chunk))
    Route.objects.bulk_create([r for r, _, _ in route_rows])
    for route, hub, chunk in route_rows:
        route.hubs.set([hub])
        for position, branch in enumerate(chunk, start=1):
            days = "".join(
                "1" if c == "1" and o == "1" else "0"
                for c, o in zip(rng.choice(CALLS), branch.open_days, strict=True)
            )
            if "1" not in days:
                days = branch.open_days[:6] + "0" if "1" in branch.open_days[:6] else "1000000"
            stops.append(Stop(route=route, branch=branch, position=position, days=days))
    Stop.objects.bulk_create(stops)
    trunk = Route.objects.create(code="TRUNK", name="Depot trunk", days="1111100")
    trunk.hubs.set(hubs)


def timed(label: str, fn, *args):
    start = time.perf_counter()
    result = fn(*args)
    seconds = time.perf_counter() - start
    print(f"{label:<52} {seconds:9.3f} s")
    return result, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--branches", type=int, default=500)
    parser.add_argument("--dates", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    call_command("migrate", verbosity=0)
    today = service.today()
    write_network(rng, args.branches, today)
    first = today - dt.timedelta(days=service.DAYS_BEFORE_TODAY)
    dates = [today + dt.timedelta(days=d) for d in range(args.dates)]
    n = args.branches
    print(
        f"{n} branches, {Route.objects.count()} routes, {Stop.objects.count()} stops, "
        f"{args.dates} dates: {n * n * args.dates:,} answers"
    )

    network = service.load_network(first, first + dt.timedelta(days=200))
    _, build_s = timed("table built from the network (in memory)", build, network, first)
    table, service_s = timed("table through the service (read + build)", service.current_table)
    _, check_s = timed("service check, unchanged (the cost of each call)", service.current_table)

    ids = list(table.branch_ids)

    # --- per pair ---------------------------------------------------------------------
    floor_dicts = {}
    for day in dates:
        matrix = table.matrix(day)
        floor_dicts[day] = {
            (s, r): int(matrix[i, j]) for i, s in enumerate(ids) for j, r in enumerate(ids)
        }

    def floor_per_pair() -> int:
        total = 0
        for day in dates:
            lookup = floor_dicts[day]
            for s in ids:
                for r in ids:
                    total += lookup[s, r]
        return total

    def service_per_pair() -> int:
        days = table.days
        total = 0
        for day in dates:
            for s in ids:
                for r in ids:
                    found = days(s, r, day)
                    total += 255 if found is None else found
        return total

    floor_lists = {day: table.matrix(day).tolist() for day in dates}
    positions = range(n)

    def floor_positions() -> int:
        total = 0
        for day in dates:
            rows = floor_lists[day]
            for i in positions:
                row = rows[i]
                for j in positions:
                    total += row[j]
        return total

    floor_total, floor_s = timed("per pair: floor (prebuilt dict per date)", floor_per_pair)
    list_total, list_s = timed("per pair: bare list rows[i][j] (no ids, no dates)", floor_positions)
    assert list_total == floor_total
    pair_total, pair_s = timed("per pair: table.days(sender, receiver, date)", service_per_pair)
    assert floor_total == pair_total

    # --- bulk ---------------------------------------------------------------------------
    senders = np.repeat(np.array(ids, dtype=np.int64), n)
    receivers = np.tile(np.array(ids, dtype=np.int64), n)
    prebuilt = np.stack([table.matrix(day).astype(np.int16) for day in dates])
    rows = np.repeat(np.arange(n), n)
    cols = np.tile(np.arange(n), n)

    def floor_bulk() -> int:
        return int(sum(int(prebuilt[k][rows, cols].sum()) for k in range(len(dates))))

    def service_bulk() -> int:
        total = 0
        for day in dates:
            found = table.days_for(senders, receivers, day)
            total += int(np.where(found < 0, 255, found).sum())
        return total

    bulk_floor_total, bulk_floor_s = timed("bulk: floor (fancy-index a prebuilt array)", floor_bulk)
    bulk_total, bulk_s = timed("bulk: table.days_for(senders, receivers, date)", service_bulk)
    assert bulk_total == bulk_floor_total == floor_total

    # --- checked against the pure function ------------------------------------------------
    sample = [(rng.choice(ids), rng.choice(ids), rng.choice(dates)) for _ in range(2000)]
    for s, r, day in sample:
        assert table.days(s, r, day) == expected(network, s, r, day).days, (s, r, day)
    reachable = sum(table.days(s, r, d) is not None for s, r, d in sample)
    print(f"2,000 sampled answers agree with schedule.expected ({reachable} reachable)")

    print()
    print(
        f"table build: {build_s:.2f} s in memory, {service_s:.2f} s through the service "
        f"(goal < 10 s); unchanged check {check_s * 1000:.1f} ms"
    )
    print(
        f"per pair: {pair_s:.2f} s vs floor {floor_s:.2f} s: ratio {pair_s / floor_s:.2f}"
        f" ({pair_s / (n * n * len(dates)) * 1e9:.0f} ns per answer)"
    )
    print(
        f"bulk:     {bulk_s:.3f} s vs floor {bulk_floor_s:.3f} s: ratio "
        f"{bulk_s / bulk_floor_s:.2f} (goal within 5x)"
    )


if __name__ == "__main__":
    main()
