"""The timing scaffold the database benches share (bench/circulation.py, bench/ledger.py).

A bench measures each database in a child process of its own, because Django reads
DATABASE_URL at start-up: `run_child` starts the script again with `--child`, on SQLite in
a fresh data folder or on a throwaway PostgreSQL server, and reads back the one JSON line
the child ends with (`send`). The child times its calls (`median_of`, or `percentile` and
`p50_p95_ms` over per-call samples) beside a floor it measures in the same run, so that
the report can say how many times the floor each figure is (`over_floor`).

A bench script imports this as `timing`: the script's own folder is first on the path.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # for tests.pgserver, the throwaway PostgreSQL server

T = TypeVar("T")


def add_database_options(parser: argparse.ArgumentParser) -> None:
    """`--db sqlite|postgres|both`, and the hidden `--child` that `run_child` passes."""
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)


def databases(choice: str) -> list[str]:
    """The databases `--db` names, in the order they run."""
    return ["sqlite", "postgres"] if choice == "both" else [choice]


def setup_django() -> None:
    """In the child: Django set up against the database the parent chose."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onelibrary.settings")
    import django

    django.setup()


def median_of(fn: Callable[[], T], rounds: int) -> tuple[float, T]:
    """The median seconds of `rounds` calls of `fn`, and what the last call returned."""
    times = []
    for _ in range(rounds):
        began = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - began)
    return statistics.median(times), result


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def p50_p95_ms(seconds: Sequence[float]) -> dict[str, float]:
    """A sample of timings in seconds, as its median and 95th percentile in milliseconds."""
    return {
        "p50": round(statistics.median(seconds) * 1000, 3),
        "p95": round(percentile(seconds, 0.95) * 1000, 3),
    }


def over_floor(value: float, floor: float) -> float:
    """How many times the floor `value` is; not a number when the floor timed as zero."""
    return value / floor if floor else float("nan")


def send(result: dict[str, Any]) -> None:
    """In the child: the result, as the last line the parent reads."""
    print(json.dumps(result))


def run_child(
    script: str, db: str, options: list[str], env: dict[str, str] | None = None
) -> dict[str, Any]:
    """Run `script --child options` on a fresh `db` ("sqlite" or "postgres") and return
    what it `send`s; `env` adds to the child's environment. The data folder is temporary,
    and PostgreSQL a throwaway server, so nothing of one run is left for the next. A child
    that fails has its error output shown and raises CalledProcessError."""
    argv = [sys.executable, script, "--child", *options]
    with tempfile.TemporaryDirectory(prefix="onelibrary-bench-") as tmp:
        child_env = {**os.environ, "ONELIBRARY_DATA_DIR": tmp, "PYTHONPATH": str(ROOT / "src")}
        child_env.update(env or {})
        child_env.pop("DATABASE_URL", None)
        if db == "postgres":
            from tests.pgserver import throwaway_server

            with throwaway_server() as url:
                child_env["DATABASE_URL"] = url
                out = subprocess.run(argv, env=child_env, capture_output=True, text=True)
        else:
            out = subprocess.run(argv, env=child_env, capture_output=True, text=True)
    if out.returncode != 0:
        sys.stderr.write(f"the {db} run failed:\n{out.stderr}")
        raise subprocess.CalledProcessError(out.returncode, argv, out.stdout, out.stderr)
    return json.loads(out.stdout.strip().splitlines()[-1])
