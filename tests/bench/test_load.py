"""bench/load.py cannot rot unseen: one short run of the whole script on SQLite, a tiny
group, two desks and two patrons, must end with no error and every consistency check
passed. It asserts nothing about speed (docs/benchmarks.md has the figures)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_it_runs_desks_and_patrons_against_gunicorn_with_no_error(tmp_path: Path) -> None:
    out = tmp_path / "load.json"
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    argv = [sys.executable, str(ROOT / "bench" / "load.py"), "--db", "sqlite", "--size", "tiny"]
    argv += ["--desks", "2", "--patrons", "2", "--duration", "3", "--warmup", "1"]
    argv += ["--desk-think", "0.2", "--patron-think", "0.5", "--workers", "2"]
    run = subprocess.run(
        [*argv, "--json", str(out)], env=env, capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 0, run.stdout + run.stderr
    [step] = json.loads(out.read_text())["steps"]
    assert step["errors"] == 0, run.stdout
    assert [c for c in step["checks"] if c["found"]] == []
    assert len(step["checks"]) == 12
    counts = {row["kind"]: row["count"] for row in step["rows"]}
    assert counts["checkout"] > 0 and counts["checkin"] > 0 and counts["search"] > 0, counts
    assert counts["login"] == 2
    assert "every checkout scan answered is processed or kept" in run.stdout
