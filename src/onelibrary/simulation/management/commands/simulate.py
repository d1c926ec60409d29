"""`onelibrary simulate`: replay a year of generated demand through the real routing.

By default no database: the group is the demo plan (`demo.generator.build_plan`), held in
memory. With `--from-db`, the live group and its last year's holds (`simulation/live.py`).
See docs/simulation.md for the model, the options and how to read the figures.
"""

from __future__ import annotations

import json
import math
import os
import sys
import time
from contextlib import nullcontext
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError
from tqdm import tqdm

from onelibrary.demo.collection import SHELF_LOCATIONS
from onelibrary.demo.generator import SIZES, build_plan
from onelibrary.simulation import compare, demand, live, world
from onelibrary.simulation.figures import Figures
from onelibrary.simulation.policy import Policy

COLLECTIONS = tuple(SHELF_LOCATIONS)  # the demo group's collection codes
MAX_DAYS = 3 * 365


def parse_floating(value: str) -> str | frozenset[str]:
    """none, all, members (what each member floats today) or collection codes, comma-separated."""
    word = value.strip().lower()
    if word in ("none", "all", "members"):
        return word
    codes = [c.strip().upper() for c in value.split(",") if c.strip()]
    unknown = [c for c in codes if c not in COLLECTIONS]
    if not codes or unknown:
        raise CommandError(
            f"--floating {value!r}: unknown collection {', '.join(unknown) or '(none given)'}. "
            f"Use none, all, members, or collection codes from {', '.join(COLLECTIONS)}, "
            "separated by commas (e.g. --floating DVD,NEW)."
        )
    return frozenset(codes)


def describe(policy: Policy) -> str:
    routing = "nearest copy" if policy.routing == "nearest" else "optimal routing"
    weight = "" if policy.routing == "nearest" else f", load weight {policy.load_weight:g}"
    return (
        f"{routing}{weight}, {compare.floating_name(policy.floating)}, "
        f"local-priority window {policy.local_window} days"
    )


class Command(BaseCommand):
    help = (
        "Simulate the demo group's holds for a year through the real routing and capture "
        "code, under one policy or (--compare) a set of them. No database is used."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--group", choices=list(SIZES), help="demo group size (small)")
        parser.add_argument(
            "--from-db",
            action="store_true",
            help="replay the last --days of the live group's holds from the database "
            "instead of the demo group's generated demand",
        )
        parser.add_argument("--days", type=int, default=365, help="days to simulate (365)")
        parser.add_argument("--seed", type=int, default=1, help="the group and its demand")
        parser.add_argument("--routing", choices=["optimal", "nearest"], help="(optimal)")
        parser.add_argument("--load-weight", type=float, help="load term weight (1)")
        parser.add_argument(
            "--floating",
            default="members",
            help="none, all, members (what each member floats today; the default) or "
            "collection codes such as DVD,NEW",
        )
        parser.add_argument("--local-window", type=int, default=30, help="days (30)")
        parser.add_argument("--compare", action="store_true", help="run the set of variants")
        parser.add_argument("--json", action="store_true", help="end with one JSON line")
        parser.add_argument(
            "--jobs", type=int, default=min(2, os.cpu_count() or 1), help="processes for --compare"
        )

    def handle(self, *args: object, **options: Any) -> None:
        policy = self.policy(options)
        days, jobs = options["days"], options["jobs"]
        if not 1 <= days <= MAX_DAYS:
            raise CommandError(f"--days {days}: give a number of days from 1 to {MAX_DAYS}.")
        if jobs < 1:
            raise CommandError(f"--jobs {jobs}: give 1 or more processes.")
        started = time.monotonic()
        seed, group = options["seed"], options["group"] or "small"
        if options["from_db"]:
            if options["group"]:
                raise CommandError("--from-db replays the live group: drop --group.")
            replay = self.replay(seed, days)
            the_world, the_demand, group = replay.world, replay.demand, "live"
        else:
            the_world = world.from_plan(build_plan(seed, group, today=world.START))
            the_demand = demand.generate(the_world, seed=seed, days=days)
        policies = compare.variants(policy) if options["compare"] else [policy]
        with self.progress(days * len(policies)) as bar:
            results = compare.run_all(
                the_world,
                the_demand,
                policies,
                seed=seed,
                days=days,
                jobs=jobs,
                progress=bar.update if bar else None,
            )
        elapsed = time.monotonic() - started
        heading = (
            f"{group} demo group ({len(the_world.members)} members), seed {seed}, {days} days "
            f"from {the_world.start:%Y-%m-%d}"
        )
        if group == "live":
            heading = (
                f"live group ({len(the_world.members)} members), its "
                f"{len(the_demand.holds):,} holds of the {days} days from "
                f"{the_world.start:%Y-%m-%d} replayed, seed {seed} for walk-ins"
            )
        if options["compare"]:
            self.print_compare(heading, policies, results, elapsed)
            payload: dict[str, Any] = {
                "group": group,
                "seed": seed,
                "days": days,
                "variants": [r.as_json() for r in results],
                "takeaways": compare.takeaways(results, policies),
            }
        else:
            self.print_run(heading, policy, results[0], elapsed)
            payload = {"group": group, "seed": seed, **results[0].as_json()}
        if options["json"]:
            self.stdout.write(json.dumps(payload, separators=(",", ":")))

    def replay(self, seed: int, days: int) -> live.Replay:
        try:
            found = live.from_db(seed=seed, days=days)
        except DatabaseError as error:
            raise CommandError(
                f"--from-db could not read the database ({error}): run `onelibrary migrate` "
                "first, or check DATABASE_URL."
            ) from None
        if not found.world.members:
            raise CommandError(
                "--from-db: the database has no active member with copies. Load your group "
                "(or `onelibrary load-demo`) first, or drop --from-db to use the demo group."
            )
        if found.holds_left_out:
            self.stderr.write(
                f"{found.holds_left_out:,} holds left out: their title, library or pickup "
                "branch is no longer in the group."
            )
        return found

    def policy(self, options: dict[str, Any]) -> Policy:
        routing, weight = options["routing"], options["load_weight"]
        if options["compare"] and (routing is not None or weight is not None):
            raise CommandError(
                "--compare runs its own routing and load weights: drop --routing and "
                "--load-weight (--floating and --local-window set the base of the set)."
            )
        weight = 1.0 if weight is None else weight
        if not math.isfinite(weight) or weight < 0:
            raise CommandError(f"--load-weight {weight:g}: give a number of days, 0 or more.")
        window = options["local_window"]
        if window < 0:
            raise CommandError(f"--local-window {window}: give a number of days, 0 or more.")
        return Policy(
            routing=routing or "optimal",
            load_weight=weight,
            floating=parse_floating(options["floating"]),
            local_window=window,
        )

    def progress(self, total: int):
        if not sys.stderr.isatty():
            return nullcontext(None)
        return tqdm(total=total, unit="day", file=sys.stderr, desc="simulating", leave=False)

    def print_run(self, heading: str, policy: Policy, f: Figures, elapsed: float) -> None:
        write = self.stdout.write
        write(f"Simulated the {heading}: {describe(policy)}.")
        write(f"  holds placed           {f.holds_placed:,}")
        write(f"  holds filled           {f.holds_filled:,} ({f.holds_waiting:,} still waiting)")
        write(
            f"  days to shelf          {f.mean_days_to_shelf:.2f} on average, "
            f"{f.p90_days_to_shelf:g} at the 90th percentile"
        )
        write(f"  courier days per fill  {f.courier_days_per_fill:.3f}")
        write(f"  courier moves          {f.courier_moves:,} ({f.courier_moves_home:,} home)")
        write(f"  new copies lent        {f.new_copies_lent:,} (under 30 days old)")
        write(f"  lending balance        {f.lending_balance:.3f} (0: all lend what they borrow)")
        write(
            f"  largest net lender     {f.largest_net_lender_library}, "
            f"{f.largest_net_lender:,} more lent than borrowed"
        )
        write("")
        write("  member  class     filled   mean    p90    lent  borrowed  balance")
        for m in sorted(f.members, key=lambda m: (-m.net_lent, m.code)):
            mean = "-" if m.mean_days_to_shelf is None else f"{m.mean_days_to_shelf:.2f}"
            p90 = "-" if m.p90_days_to_shelf is None else f"{m.p90_days_to_shelf:g}"
            write(
                f"  {m.code:<6}  {m.size_class:<8}  {m.holds_filled:>6,}  {mean:>5}  {p90:>5}"
                f"  {m.lent:>6,}  {m.borrowed:>8,}  {m.lending_balance:>+7.3f}"
            )
        write(f"({elapsed:.0f} s)")

    def print_compare(
        self, heading: str, policies: list[Policy], results: list[Figures], elapsed: float
    ) -> None:
        write = self.stdout.write
        base = policies[0]
        write(
            f"Compared {len(policies)} policies on the {heading}; unless a row says otherwise: "
            f"{compare.floating_name(base.floating)}, local-priority window "
            f"{base.local_window} days."
        )
        write("")
        write(compare.table(results))
        write("")
        for line in compare.takeaways(results, policies):
            write(f"- {line}")
        write("")
        write(compare.LEGEND)
        write(f"({elapsed:.0f} s)")
