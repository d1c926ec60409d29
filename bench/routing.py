"""Routing speed at the design point: one pass over every open hold, beside the baseline.

    .venv/bin/python bench/routing.py [--scale 1.0] [--seed 1] [--captures 1000]

At --scale 1 it generates, in memory with numpy, a group of 500 branches (300 members),
5,000,000 titles, 15,000,000 copies and 1,000,000 open holds with a realistic skew: most
titles have no hold, a long tail has one, a few hundred popular titles have queues of
hundreds or thousands; copies of popular titles are mostly on loan; some copies are new
and in their owner's local-priority window; 0.5 % of holds ask for one copy. Courier days
come from a 500 × 500 matrix (distance on a 600 × 400 km map, plus a hub detour).

Only the copies of titles that have holds become `Copy` objects: routing never looks at
the others, so the work grows with the holds, not with the catalog. Then it times
`route` (all holds, with every explanation), `nearest_copy` on the same data, and 1,000
calls of `capture` on titles with deep queues. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import resource
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from onelibrary.holds.routing import (  # noqa: E402
    Copy,
    HoldRequest,
    Network,
    Routing,
    capture,
    nearest_copy,
    route,
)

TODAY = dt.date(2024, 6, 1)
BRANCHES, LIBRARIES = 500, 300
HOLDS, COPIES, TITLES = 1_000_000, 15_000_000, 5_000_000
MAX_QUEUE = 3_000
LOAD_WEIGHT = 0.5


def rss_mb() -> float:
    """Resident memory now (Linux)."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 2**20


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def make_network(rng: np.random.Generator) -> tuple[Network, np.ndarray, dict[str, float]]:
    # Branch 0..299: each library's main branch; 300..499: more branches of city systems.
    extra = rng.zipf(1.6, BRANCHES - LIBRARIES) % 40
    library_of = np.concatenate([np.arange(LIBRARIES), extra])
    xy = rng.uniform((0, 0), (600, 400), size=(BRANCHES, 2))
    xy[LIBRARIES:] = xy[extra] + rng.normal(0, 8, size=(BRANCHES - LIBRARIES, 2))
    km = np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1))
    hub = rng.integers(0, 2, size=(BRANCHES, BRANCHES))
    days = 1 + np.floor(km / 150) + hub
    np.fill_diagonal(days, 0)
    codes = [f"L{n:03d}" for n in range(LIBRARIES)]
    courier = {(a, b): float(days[a, b]) for a in range(BRANCHES) for b in range(BRANCHES)}
    small = rng.random(LIBRARIES) < 0.3  # one-room libraries, open a few days a week
    pull = {b: 2.0 for b in range(LIBRARIES) if small[b]}
    windows = {}
    for code in codes:
        r = rng.random()
        windows[code] = 0 if r < 0.1 else 7 if r < 0.2 else 14 if r < 0.3 else 30
    network = Network(
        branch_library={b: codes[library_of[b]] for b in range(BRANCHES)},
        courier_days=courier,
        pull_days=pull,
        local_window_days=windows,
        branch_names={b: f"Branch {b}" for b in range(BRANCHES)},
    )
    loads = {code: float(v) for code, v in zip(codes, rng.normal(0, 1, LIBRARIES), strict=True)}
    return network, library_of, loads


def make_catalog(rng: np.random.Generator, scale: float, library_of: np.ndarray):
    """The whole catalog as numpy columns, and the holds; copies sorted by title."""
    n_holds, n_copies, n_titles = int(HOLDS * scale), int(COPIES * scale), int(TITLES * scale)
    # Queue lengths: a Pareto tail, capped, until the holds are placed.
    queues = np.minimum(np.floor(rng.pareto(1.1, size=n_holds) + 1), MAX_QUEUE).astype(np.int64)
    queues = queues[: np.searchsorted(np.cumsum(queues), n_holds) + 1]
    queues[-1] -= queues.sum() - n_holds
    held = rng.choice(n_titles, size=len(queues), replace=False)
    per_title = np.zeros(n_titles, dtype=np.int64)
    per_title[held] = queues
    # Copies: popular titles are bought about one per four holds; the rest share the remainder.
    wanted = 1 + np.ceil(queues / 4).astype(np.int64) + rng.poisson(1, len(queues))
    rest = n_copies - wanted.sum()
    others = np.ones(n_titles, dtype=np.int64)
    others[held] = 0
    lam = max(rest / max(others.sum(), 1) - 1, 0)
    count = others * (1 + rng.poisson(lam, n_titles))
    count[held] = wanted
    title = np.repeat(np.arange(n_titles, dtype=np.int64), count)
    n = len(title)
    branches_of_library = np.bincount(library_of, minlength=LIBRARIES)
    size = branches_of_library[library_of] * rng.lognormal(0, 0.5, BRANCHES)
    branch = rng.choice(BRANCHES, size=n, p=size / size.sum()).astype(np.int64)
    age = rng.integers(60, 5000, size=n)
    new = rng.random(n) < np.where(per_title[title] >= 20, 0.3, 0.03)
    age[new] = rng.integers(0, 60, size=int(new.sum()))
    ratio = per_title[title] / count[title]
    available = rng.random(n) < 0.6 / (1 + ratio)
    holdable = rng.random(n) < 0.97
    exempt = rng.random(n) < 0.02
    catalog = {
        "title": title,
        "branch": branch,
        "age": age,
        "available": available,
        "holdable": holdable,
        "exempt": exempt,
    }
    # Holds: the patron's library by size; pickup at one of its branches.
    hold_title = np.repeat(held, queues)
    n_h = len(hold_title)
    pickup = rng.choice(BRANCHES, size=n_h, p=size / size.sum()).astype(np.int64)
    seconds = rng.integers(0, 120 * 86400, size=n_h)
    item_hold = rng.random(n_h) < 0.005
    holds = {"title": hold_title, "pickup": pickup, "seconds": seconds, "item": item_hold}
    return catalog, holds, per_title


def materialise(catalog, holds, network: Network, rng: np.random.Generator):
    """Copy objects for titles with holds only; every HoldRequest."""
    title = catalog["title"]
    held = np.unique(holds["title"])
    start = np.searchsorted(title, held)
    stop = np.searchsorted(title, held, side="right")
    rows = np.concatenate([np.arange(a, b) for a, b in zip(start, stop, strict=True)])
    days = [TODAY - dt.timedelta(days=int(d)) for d in range(5001)]
    owner = network.branch_library
    copies = [
        Copy(i, t, b, owner[b], days[a], bool(h), bool(e), bool(v))
        for i, t, b, a, h, e, v in zip(
            rows.tolist(),
            title[rows].tolist(),
            catalog["branch"][rows].tolist(),
            catalog["age"][rows].tolist(),
            catalog["holdable"][rows].tolist(),
            catalog["exempt"][rows].tolist(),
            catalog["available"][rows].tolist(),
            strict=True,
        )
    ]
    first = dict(zip(held.tolist(), start.tolist(), strict=True))
    span = dict(zip(held.tolist(), (stop - start).tolist(), strict=True))
    t0 = dt.datetime(2024, 2, 1)
    picks = rng.random(len(holds["title"]))
    out = []
    for n, (t, p, s, item, pick) in enumerate(
        zip(
            holds["title"].tolist(),
            holds["pickup"].tolist(),
            holds["seconds"].tolist(),
            holds["item"].tolist(),
            picks.tolist(),
            strict=True,
        )
    ):
        item_id = first[t] + int(pick * span[t]) if item else None
        out.append(HoldRequest(n, t, p, owner[p], t0 + dt.timedelta(seconds=s), item_id))
    return out, copies


def summary(
    name: str, result: Routing, holds, copies, network: Network, seconds: float, cpu: float
) -> None:
    by_id = {c.id: c for c in copies}
    pull, courier, lent = 0.0, 0.0, 0
    lib = network.branch_library
    for h in holds:
        j = result.assignments.get(h.id)
        if j is None:
            continue
        c = by_id[j]
        pull += network.pull_days.get(c.branch_id, 1.0)
        if c.branch_id != h.pickup_branch_id:
            courier += network.courier_days.get((c.branch_id, h.pickup_branch_id), 14.0)
        lent += lib[c.branch_id] != h.patron_library
    filled = len(result.assignments)
    print(
        f"{name:>14}: {seconds:5.1f} s ({cpu:.1f} s CPU)  filled {filled:,}  "
        f"days per fill {(pull + courier) / max(filled, 1):.2f} "
        f"(courier {courier / max(filled, 1):.2f})  lent between libraries {lent:,}"
    )


def time_captures(label, titles, holds, copies, network, loads, args) -> None:
    """Check in copies of these titles one at a time; each capture is given its title's
    open holds, as the checkin action does."""
    by_title: dict[int, list[HoldRequest]] = {t: [] for t in titles}
    for h in holds:
        if h.title_id in by_title:
            by_title[h.title_id].append(h)
    pool = [c for c in copies if c.title_id in by_title]
    if not pool:
        return
    times = []
    pick = np.random.default_rng(args.seed + 1)
    for _ in range(args.captures):
        c = pool[int(pick.integers(len(pool)))]
        checked_in = Copy(c.id, c.title_id, c.branch_id, c.owner, c.created)
        queue = by_title[c.title_id]
        t = time.perf_counter()
        capture(
            checked_in, queue, network, lending_load=loads, load_weight=LOAD_WEIGHT, today=TODAY
        )
        times.append(time.perf_counter() - t)
    ms = np.asarray(times) * 1000
    depth = [len(v) for v in by_title.values()]
    print(
        f"{'capture':>14}: {len(ms)} check-ins on {label} ({len(depth)} titles, "
        f"{min(depth):,}-{max(depth):,} holds): p50 {np.percentile(ms, 50):.2f} ms, "
        f"p95 {np.percentile(ms, 95):.2f} ms, max {ms.max():.2f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--captures", type=int, default=1000)
    parser.add_argument("--no-baseline", action="store_true")
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)

    started = time.perf_counter()
    network, library_of, loads = make_network(rng)
    catalog, hold_cols, per_title = make_catalog(rng, args.scale, library_of)
    generated = time.perf_counter() - started
    print(
        f"group: {BRANCHES} branches, {LIBRARIES} members, {len(per_title):,} titles, "
        f"{len(catalog['title']):,} copies, {len(hold_cols['title']):,} open holds "
        f"on {int((per_title > 0).sum()):,} titles (deepest queue {per_title.max():,}); "
        f"generated in {generated:.1f} s"
    )
    started = time.perf_counter()
    holds, copies = materialise(catalog, hold_cols, network, rng)
    print(
        f"materialised {len(holds):,} holds and the {len(copies):,} copies of their titles "
        f"({sum(c.available for c in copies):,} available) in "
        f"{time.perf_counter() - started:.1f} s; RSS {rss_mb():,.0f} MB"
    )
    del catalog
    gc.collect()

    before = rss_mb()
    started, cpu = time.perf_counter(), time.process_time()
    routed = route(holds, copies, network, lending_load=loads, load_weight=LOAD_WEIGHT, today=TODAY)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    after = rss_mb()
    summary("route", routed, holds, copies, network, seconds, cpu)
    print(
        f"{'':>14}  memory: RSS {before:,.0f} MB before, {after:,.0f} MB after "
        f"(+{after - before:,.0f} MB for assignments and {len(routed.explanations):,} "
        f"explanations); peak RSS {peak_mb():,.0f} MB"
    )
    del routed
    gc.collect()  # not to charge the baseline with collecting route's answer
    if not args.no_baseline:
        started, cpu = time.perf_counter(), time.process_time()
        base = nearest_copy(holds, copies, network, today=TODAY, seed=args.seed)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        summary("nearest copy", base, holds, copies, network, seconds, cpu)
        del base

    deepest = [int(t) for t in np.argsort(-per_title)[:50] if per_title[t] > 0]
    about_500 = [int(t) for t in np.flatnonzero((per_title >= 400) & (per_title <= 600))[:50]]
    for label, titles in (("the deepest queues", deepest), ("queues of 400-600", about_500)):
        time_captures(label, titles, holds, copies, network, loads, args)
    print(f"peak RSS of the whole run {peak_mb():,.0f} MB; load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
