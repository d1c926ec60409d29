"""settings.py, built in a fresh process from the environment as a server would build it."""

from __future__ import annotations

import json
import os
import secrets
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


def _settings(names: list[str], env: dict[str, str], tmp_path: Path) -> dict[str, object]:
    code = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n, None) for n in {names!r}}}))"
    )
    done = _run(code, env, tmp_path)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_without_a_secret_key_one_is_made_once_and_kept_private(tmp_path):
    first = _settings(["SECRET_KEY"], {}, tmp_path)["SECRET_KEY"]
    again = _settings(["SECRET_KEY"], {}, tmp_path)["SECRET_KEY"]

    kept = tmp_path / "data" / "secret_key"
    assert kept.read_text().strip() == first == again
    assert isinstance(first, str) and len(first) >= 50
    assert kept.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in kept.parent.iterdir() if "secret" in p.name] == ["secret_key"]
    other = tmp_path / "other"
    other.mkdir()
    elsewhere = _settings(["SECRET_KEY"], {"ONELIBRARY_DATA_DIR": str(other)}, tmp_path)
    assert elsewhere["SECRET_KEY"] != first  # random, not a key written in the source


def test_a_secret_key_in_the_environment_is_used_and_nothing_is_written(tmp_path):
    key = "k" * 25 + "e" * 25 + "y"
    found = _settings(["SECRET_KEY"], {"ONELIBRARY_SECRET_KEY": key}, tmp_path)
    assert found["SECRET_KEY"] == key
    assert not (tmp_path / "data" / "secret_key").exists()


def test_a_required_secret_key_that_is_missing_stops_the_start(tmp_path):
    done = _run(
        "from django.conf import settings; settings.SECRET_KEY",
        {"ONELIBRARY_REQUIRE_SECRET_KEY": "1"},
        tmp_path,
    )
    assert done.returncode != 0
    assert "Set ONELIBRARY_SECRET_KEY" in done.stderr


def test_https_settings_come_from_the_environment(tmp_path):
    names = [
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SECURE_PROXY_SSL_HEADER",
    ]
    assert _settings(names, {}, tmp_path) == {
        **dict.fromkeys(names, False),
        "SECURE_HSTS_SECONDS": 0,
        "SECURE_PROXY_SSL_HEADER": None,
    }
    on = {
        "ONELIBRARY_SECURE_COOKIES": "true",
        "ONELIBRARY_SSL_REDIRECT": "yes",
        "ONELIBRARY_HSTS_SECONDS": "3600",
        "ONELIBRARY_HSTS_INCLUDE_SUBDOMAINS": "1",
        "ONELIBRARY_HSTS_PRELOAD": "on",
        "ONELIBRARY_PROXY_SSL_HEADER": "X-Forwarded-Proto",
    }
    assert _settings(names, on, tmp_path) == {
        **dict.fromkeys(names, True),
        "SECURE_HSTS_SECONDS": 3600,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
    }
    wrong = _run(
        "from django.conf import settings; settings.DEBUG",
        {"ONELIBRARY_HSTS_SECONDS": "a year"},
        tmp_path,
    )
    assert "ONELIBRARY_HSTS_SECONDS is 'a year': set it to a whole number." in wrong.stderr


def production_settings() -> dict[str, str]:
    """The `export` lines of the production checklist in docs/operations.md."""
    docs = (SRC.parent / "docs" / "operations.md").read_text()
    checklist = docs[docs.index("## Production checklist") :]
    block = checklist[
        checklist.index("```sh") : checklist.index("```", checklist.index("```sh") + 5)
    ]
    found = dict(
        line.removeprefix("export ").split("=", 1)
        for line in block.splitlines()
        if line.startswith("export ")
    )
    assert found["ONELIBRARY_SECRET_KEY"] == "CHANGE-ME"
    return {**found, "ONELIBRARY_SECRET_KEY": secrets.token_urlsafe(50)}


def test_check_deploy_is_clean_on_the_production_settings_the_docs_give(tmp_path):
    env = production_settings()
    assert "ONELIBRARY_SECURE_COOKIES" in env and "DATABASE_URL" in env
    done = _run(
        "from onelibrary.cli import main; main(['check', '--deploy', '--fail-level', 'WARNING'])",
        env,
        tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert "no issues" in done.stdout
