"""A load test of the real server: gunicorn on SQLite or PostgreSQL, desks and patrons at once.

    .venv/bin/python bench/load.py [--db sqlite|postgresql] [--desks N] [--patrons M]
        [--duration SECONDS] [--size tiny|small|large] [--find-max] [--json FILE]

Builds the demo group in a fresh database (a throwaway PostgreSQL server for
`--db postgresql`, from tests/pgserver.py), starts gunicorn on 127.0.0.1, and for
`--duration` seconds lets N simulated desks scan checkouts and checkins through the JSON
API with staff tokens while M simulated patrons, logged in with card and PIN, search the
catalog page and place holds. Prints, per kind of request, the count, requests per
second, p50/p95/p99 and errors (must be 0), then checks the final database: no item both
on loan and on a hold shelf or in transit, loans, holds and transits agreeing with their
items, and every scan the desks sent processed or kept (bench/load_checks.py).

`--find-max` runs steps of `--duration` seconds each, doubling N from `--desks` and then
halving the gap, and reports the largest N whose desk scans kept p95 under 100 ms with
no error and every check passing. The server and the database are stopped at the end.
docs/benchmarks.md has the figures and how to read them.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

import load_checks  # noqa: E402
import load_clients  # noqa: E402
import load_world  # noqa: E402

GOAL_MS = 100.0
DESK_KINDS = ("checkout", "checkin")
KINDS = ("checkout", "checkin", "search", "hold")
PINES_PEAK = 9  # circulations a second at PINES' busiest (docs/benchmarks.md)
MAX_STEPS = 10
START_SECONDS = 60


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


@dataclass(frozen=True)
class Row:
    kind: str
    count: int
    rps: float
    p50: float
    p95: float
    p99: float
    refused: int
    errors: int
    why: dict[str, int]


@dataclass(frozen=True)
class Step:
    desks: int
    patrons: int
    seconds: float
    rows: list[Row]
    checks: list[load_checks.Check]
    errors: int  # warm-up and logins included
    decisions: dict[str, int]  # of the checkins, warm-up included
    cpu_ms: float  # gunicorn workers' CPU time per request counted, all kinds

    def row(self, kind: str) -> Row | None:
        return next((r for r in self.rows if r.kind == kind), None)

    @property
    def desk_p95(self) -> float:
        return max((r.p95 for r in self.rows if r.kind in DESK_KINDS), default=0.0)

    @property
    def scans_per_second(self) -> float:
        return sum(r.rps for r in self.rows if r.kind in DESK_KINDS)

    @property
    def passed(self) -> bool:
        return (
            self.errors == 0
            and self.desk_p95 < GOAL_MS
            and all(c.passed for c in self.checks)
            and self.row("checkout") is not None
        )


def rows_of(recorder: load_clients.Recorder, seconds: float, kinds: tuple[str, ...]) -> list[Row]:
    rows = []
    for kind in kinds:
        tally = recorder.kinds.get(kind)
        if tally is None:
            continue
        ms = [s * 1000 for s in tally.seconds]
        rows.append(
            Row(
                kind,
                tally.sent,
                tally.sent / seconds if seconds else 0.0,
                percentile(ms, 0.50),
                percentile(ms, 0.95),
                percentile(ms, 0.99),
                tally.refused,
                tally.errors,
                dict(tally.why),
            )
        )
    return rows


# --- the database and the server -----------------------------------------------------


@contextmanager
def database(engine: str) -> Iterator[str]:
    """A database URL, '' for SQLite in the data directory; PostgreSQL's server is removed
    afterwards."""
    if engine == "postgresql":
        from tests.pgserver import throwaway_server

        with throwaway_server() as url:
            yield url
    else:
        yield ""


@dataclass(frozen=True)
class Server:
    port: int
    pid: int


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def server(env: dict[str, str], workers: int, log: Path) -> Iterator[Server]:
    """Gunicorn with sync workers on a free loopback port; stopped (then killed if it
    does not stop in 20 s) on the way out."""
    port = free_port()
    argv = [
        sys.executable,
        "-m",
        "gunicorn",
        "onelibrary.wsgi:application",
        f"--bind=127.0.0.1:{port}",
        f"--workers={workers}",
        "--worker-class=sync",
        "--timeout=60",
        "--graceful-timeout=10",
        "--log-level=warning",
    ]
    with log.open("wb") as out:
        process = subprocess.Popen(argv, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        _wait_until_up(process, port, log)
        yield Server(port, process.pid)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=20)


def cpu_seconds(parent: int) -> float:
    """CPU time used so far by the processes whose parent is `parent` (gunicorn's workers),
    from /proc; 0 where there is no /proc. A worker that exits takes its time with it,
    so this is read over a run in which none does."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == parent:  # ppid; utime and stime follow at 11 and 12
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def _wait_until_up(process: subprocess.Popen[bytes], port: int, log: Path) -> None:
    for _ in range(START_SECONDS * 5):
        if process.poll() is not None:
            raise SystemExit(f"gunicorn stopped at start:\n{log.read_text()[-3000:]}")
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        try:
            conn.request("GET", "/api/v1/openapi.json")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        finally:
            conn.close()
        time.sleep(0.2)
    tail = log.read_text()[-3000:]
    raise SystemExit(f"gunicorn did not answer within {START_SECONDS} s:\n{tail}")


# --- one run -------------------------------------------------------------------------


def run_step(args: argparse.Namespace, desks: int, served: Server) -> Step:
    from django.db import connection
    from django.utils import timezone

    # the previous run's clients have all returned, so whatever is written after this is ours
    since = timezone.now()
    desk_list = load_world.desks(desks, args.seed)
    avoid = {card for d in desk_list for card in d.cards}
    patrons = load_world.patrons(args.patrons, avoid)
    terms = load_world.search_terms(desk_list, args.seed)
    connection.close()  # no transaction of ours is open while the server writes
    run = load_clients.run(
        desk_list,
        patrons,
        served.port,
        duration=args.duration,
        warmup=args.warmup,
        desk_think=args.desk_think,
        patron_think=args.patron_think,
        terms=terms,
        seed=args.seed * 1000 + desks,  # each step of find-max draws afresh
        server_cpu=lambda: cpu_seconds(served.pid),
    )
    rows = rows_of(run.recorder, run.seconds, KINDS)
    rows += rows_of(run.logins, 0.0, ("login page", "login"))
    every = run.recorder.every
    answered = {
        kind: {"ok": every[kind, "ok"], "other": every[kind, "refused"] + every[kind, "errors"]}
        for kind in KINDS
    }
    checks = load_checks.state_checks() + load_checks.scan_checks(since, answered)
    errors = sum(n for (_, verdict), n in every.items() if verdict in ("errors", "unanswered"))
    errors += sum(t.errors for t in run.logins.kinds.values())
    decisions = dict(run.recorder.decisions.most_common())
    counted = sum(t.sent for t in run.recorder.kinds.values())
    cpu_ms = 1000 * run.cpu_seconds / counted if counted else 0.0
    return Step(desks, len(patrons), run.seconds, rows, checks, errors, decisions, cpu_ms)


def print_step(step: Step, args: argparse.Namespace) -> None:
    print(
        f"\n{step.desks} desks, {step.patrons} patrons, {step.seconds:.1f} s after "
        f"{args.warmup:.0f} s of warm-up "
        f"(desks' think time {args.desk_think} s, patrons' {args.patron_think} s)"
    )
    print(
        f"  {'kind':<11}{'count':>8}{'rps':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
        f"{'refused':>9}{'errors':>8}"
    )
    for r in step.rows:
        rps = f"{r.rps:.1f}" if r.rps else "-"
        print(
            f"  {r.kind:<11}{r.count:>8}{rps:>8}{r.p50:>9.1f}{r.p95:>9.1f}{r.p99:>9.1f}"
            f"{r.refused:>9}{r.errors:>8}"
        )
        for why, n in sorted(r.why.items()):
            print(f"  {'':<11}  {n} × {why}")
    print(
        f"  server CPU per request (gunicorn workers, all kinds): {step.cpu_ms:.1f} ms; "
        f"{step.cpu_ms * sum(r.rps for r in step.rows) / 10:.0f}% of one core"
    )
    told = ", ".join(f"{d} × {n}" for d, n in step.decisions.items())
    print(f"  checkins answered: {told or 'none'}")
    print("  consistency after the run:")
    for check in step.checks:
        mark = "ok" if check.passed else f"FAILED ({check.found})"
        detail = f": {check.detail}" if check.detail else ""
        print(f"    {mark:<12} {check.name}{detail}")
    verdict = "passed" if step.passed else "NOT passed"
    print(f"  errors, warm-up and logins included: {step.errors}")
    print(
        f"  desk scans {step.scans_per_second:.1f}/s, p95 {step.desk_p95:.1f} ms; "
        f"goal p95 < {GOAL_MS:.0f} ms, 0 errors, every check: {verdict}"
    )


def find_max(args: argparse.Namespace, served: Server) -> list[Step]:
    """Double N while it passes, then halve the gap between the last pass and the first
    failure until it is an eighth of the pass (at most MAX_STEPS runs)."""
    steps: list[Step] = []
    passed, failed, n = 0, 0, args.desks
    for _ in range(MAX_STEPS):
        step = run_step(args, n, served)
        steps.append(step)
        print_step(step, args)
        if step.passed:
            passed = n
            n = n * 2 if not failed else (n + failed) // 2
        else:
            failed = n
            n = (passed + n) // 2 if passed else n // 2
        if n < 1 or (failed and passed and failed - passed <= max(1, passed // 8)):
            break
    return steps


def largest(steps: list[Step]) -> Step | None:
    return max((s for s in steps if s.passed), key=lambda s: s.desks, default=None)


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--desks", type=int, default=4, help="desks (find-max: the first N)")
    parser.add_argument("--patrons", type=int, default=10, help="patrons searching")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of each run")
    parser.add_argument(
        "--warmup", type=float, default=10.0, help="seconds first, not counted (caches fill)"
    )
    parser.add_argument("--size", choices=list(load_world.SIZES), default="large")
    parser.add_argument("--find-max", action="store_true")
    parser.add_argument("--desk-think", type=float, default=1.0, help="seconds between scans")
    parser.add_argument("--patron-think", type=float, default=3.0, help="seconds between searches")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    problems = [
        f"{name} must be at least {low}, not {value}"
        for name, value, low in (
            ("--desks", args.desks, 1),
            ("--patrons", args.patrons, 0),
            ("--duration", args.duration, 1),
            ("--warmup", args.warmup, 0),
            ("--workers", args.workers, 1),
            ("--desk-think", args.desk_think, 0),
            ("--patron-think", args.patron_think, 0),
        )
        if value < low
    ]
    if problems:
        parser.error("; ".join(problems))
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    with (
        tempfile.TemporaryDirectory(prefix="onelibrary-load-") as tmp,
        database(args.db) as url,
    ):
        env = {
            **os.environ,
            "ONELIBRARY_DATA_DIR": tmp,
            "ONELIBRARY_SECRET_KEY": secrets.token_urlsafe(40),
            "DJANGO_SETTINGS_MODULE": "onelibrary.settings",
            "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]),
        }
        env.pop("DATABASE_URL", None)
        if url:
            env["DATABASE_URL"] = url
        os.environ.clear()
        os.environ.update(env)
        import django

        django.setup()
        started = time.perf_counter()
        print(f"load test on {args.db}: building the {args.size} demo group…", flush=True)
        built = load_world.build(args.size, args.seed)
        print(f"  {built} in {time.perf_counter() - started:.0f} s")
        with server(env, args.workers, Path(tmp) / "gunicorn.log") as served:
            print(f"  gunicorn: {args.workers} sync workers on 127.0.0.1:{served.port}")
            if args.find_max:
                steps = find_max(args, served)
            else:
                steps = [run_step(args, args.desks, served)]
                print_step(steps[0], args)
    best = largest(steps)
    if args.find_max:
        print_summary(args, steps, best)
    if args.json:
        write_json(args, steps, best)
    if args.find_max:
        return 0 if best else 1
    return 0 if steps[0].errors == 0 and all(c.passed for c in steps[0].checks) else 1


def print_summary(args: argparse.Namespace, steps: list[Step], best: Step | None) -> None:
    print(f"\nfind-max on {args.db} ({args.size} group, {args.patrons} patrons searching):")
    for s in steps:
        mark = "pass" if s.passed else "fail"
        print(
            f"  N={s.desks:<4} {s.scans_per_second:6.1f} scans/s  desk p95 {s.desk_p95:7.1f} ms"
            f"  errors {s.errors}  {mark}"
        )
    if best is None:
        print("  no N passed")
        return
    print(
        f"  largest N with desk p95 < {GOAL_MS:.0f} ms and 0 errors: {best.desks} desks, "
        f"{best.scans_per_second:.1f} circulations/s (PINES' peak: about {PINES_PEAK}/s)"
    )


def write_json(args: argparse.Namespace, steps: list[Step], best: Step | None) -> None:
    def step_json(s: Step) -> dict[str, object]:
        return {
            "desks": s.desks,
            "patrons": s.patrons,
            "seconds": round(s.seconds, 1),
            "passed": s.passed,
            "errors": s.errors,
            "checkin_decisions": s.decisions,
            "server_cpu_ms_per_request": round(s.cpu_ms, 2),
            "rows": [r.__dict__ for r in s.rows],
            "checks": [{"name": c.name, "found": c.found, "detail": c.detail} for c in s.checks],
        }

    body = {
        "db": args.db,
        "size": args.size,
        "steps": [step_json(s) for s in steps],
        "largest": best.desks if best else None,
    }
    args.json.write_text(json.dumps(body, indent=2))


if __name__ == "__main__":
    raise SystemExit(main())
