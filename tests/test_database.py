"""The suite runs twice: on SQLite and on PostgreSQL. This makes sure it really does."""

import os
import subprocess
import sys

import pytest
from django.db import connection


def test_it_runs_on_the_database_that_database_url_names(db):
    expected = (
        "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    )
    assert connection.vendor == expected


def test_postgresql_binds_and_prepares_on_the_server(db):
    if connection.vendor != "postgresql":
        assert "server_side_binding" not in connection.settings_dict["OPTIONS"]
        return
    assert connection.settings_dict["ENGINE"] == "onelibrary.db.postgresql"
    assert connection.settings_dict["OPTIONS"]["server_side_binding"] is True
    with connection.cursor() as cursor:
        for _ in range(6):  # psycopg prepares a statement from its fifth use on
            cursor.execute("SELECT count(*) FROM catalog_item WHERE id > %s", [0])
        cursor.execute("SELECT count(*) FROM pg_prepared_statements")
        assert cursor.fetchone()[0] >= 1


def _settings_with(env: dict[str, str]) -> subprocess.CompletedProcess:
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'onelibrary.settings'; "
        "from django.conf import settings; d = settings.DATABASES['default']; "
        "print(d['ENGINE'], d['OPTIONS'].get('server_side_binding'), "
        "d['OPTIONS'].get('prepare_threshold'))"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_onelibrary_pg_prepare_turns_it_off_and_refuses_other_words():
    url = {"DATABASE_URL": "postgres://nobody@127.0.0.1:1/none"}
    on = _settings_with(url)
    assert on.stdout.split() == ["onelibrary.db.postgresql", "True", "5"], on.stderr
    off = _settings_with({**url, "ONELIBRARY_PG_PREPARE": "off"})
    assert off.stdout.split() == ["onelibrary.db.postgresql", "False", "None"], off.stderr
    wrong = _settings_with({**url, "ONELIBRARY_PG_PREPARE": "sometimes"})
    assert wrong.returncode != 0
    assert "ONELIBRARY_PG_PREPARE is 'sometimes': set it to on (the default) or off." in (
        wrong.stderr
    )


class _Connection:
    def __init__(self, server_side_binding: bool) -> None:
        self.settings_dict = {"OPTIONS": {"server_side_binding": server_side_binding}}


LIMIT = 65_535  # parameters in one statement with server-side binding


@pytest.mark.parametrize("count", range(1, 61))
def test_bulk_batches_fit_the_parameter_limit(count):
    """bulk_create binds one parameter per field per row; bulk_update asks with two extra
    names and binds two per field per row, plus the row's key. With 14,000 rows and two
    fields the update alone needs 70,000: without the cut psycopg refuses it."""
    from onelibrary.db.postgresql.base import DatabaseOperations

    ops = DatabaseOperations(_Connection(server_side_binding=True))
    fields = [f"f{n}" for n in range(count)]
    rows = list(range(100_000))
    assert ops.bulk_batch_size(fields, rows) * count <= LIMIT
    assert ops.bulk_batch_size(["pk", "pk", *fields], rows) * (2 * count + 1) <= LIMIT
    assert ops.bulk_batch_size(["pk", "pk", *fields], rows) >= 500  # still real batches
    plain = DatabaseOperations(_Connection(server_side_binding=False))
    assert plain.bulk_batch_size(fields, rows) == len(rows)  # Django's: no limit
