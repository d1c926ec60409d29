"""settings.py, built in a fresh process from the environment as a server would build it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"


def _run(code: str, env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """Run `code` with onelibrary.settings built from `env` (and only the usual PATH)."""
    clean = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(SRC),
        "DJANGO_SETTINGS_MODULE": "onelibrary.settings",
        "ONELIBRARY_DATA_DIR": str(tmp_path / "data"),
        **env,
    }
    return subprocess.run(
        [sys.executable, "-c", code],
        env=clean,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _database(env: dict[str, str], tmp_path: Path) -> dict[str, object]:
    code = (
        "import json; from django.conf import settings; "
        "print(json.dumps(settings.DATABASES['default'], default=str))"
    )
    done = _run(code, env, tmp_path)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_it_applies_the_sqlite_options_whichever_way_sqlite_is_chosen(tmp_path):
    path = tmp_path / "library.sqlite3"
    by_default = _database({"ONELIBRARY_SQLITE_PATH": str(path)}, tmp_path)
    by_url = _database({"DATABASE_URL": f"sqlite:///{path}"}, tmp_path)

    assert by_url["ENGINE"] == by_default["ENGINE"] == "django.db.backends.sqlite3"
    assert by_url["NAME"] == by_default["NAME"] == str(path)
    assert by_url["OPTIONS"] == by_default["OPTIONS"]
    options = by_url["OPTIONS"]
    assert isinstance(options, dict)
    assert "journal_mode=WAL" in options["init_command"]
    assert options["timeout"] == 20
    assert options["transaction_mode"] == "IMMEDIATE"


# Two desks at once: each reads, pauses, then writes, in one transaction, many times.
# Deferred transactions with no busy wait fail the second writer ("database is locked").
RACE = """
import threading, time, django
django.setup()
from django.db import connection, transaction, OperationalError

with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE scans (id INTEGER PRIMARY KEY, desk TEXT)")
connection.close()
errors = []

def desk(name):
    for _ in range(15):
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SELECT count(*) FROM scans")
                    time.sleep(0.01)
                    cursor.execute("INSERT INTO scans (desk) VALUES (%s)", [name])
        except OperationalError as exc:
            errors.append(str(exc))
    connection.close()

desks = [threading.Thread(target=desk, args=(n,)) for n in ("a", "b")]
for t in desks:
    t.start()
for t in desks:
    t.join()
with connection.cursor() as cursor:
    cursor.execute("PRAGMA journal_mode")
    mode = cursor.fetchone()[0]
    cursor.execute("SELECT count(*) FROM scans")
    print(mode, cursor.fetchone()[0], len(errors), errors[:1])
"""


def test_two_desks_writing_at_once_on_a_sqlite_url_both_succeed(tmp_path):
    path = tmp_path / "race.sqlite3"
    done = _run(RACE, {"DATABASE_URL": f"sqlite:///{path}"}, tmp_path)

    assert done.returncode == 0, done.stderr
    mode, rows, errors, first = done.stdout.split(maxsplit=3)
    assert (mode, rows, errors) == ("wal", "30", "0"), first
