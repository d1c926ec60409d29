"""Version tokens for data that each process keeps in memory.

Some data is read on every desk scan but changes a few times a year: the rules table,
the float rules, the courier network. Each process keeps such data in memory and asks
one cheap question before using it: has its token moved? A token is one row in a small
table of its own, and database triggers (made by `create_token_triggers` in a migration)
set a new random token whenever a watched table changes. Triggers see every write: bulk
updates, raw SQL, the admin, other processes. A random token rather than a counter,
because a rolled-back change puts the token back to a value no process has kept since.

With no token row (a database just emptied) nothing is kept: every use reads afresh.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Iterable
from typing import Generic, TypeVar

from django.db import connection

T = TypeVar("T")

EVENTS = ("INSERT", "UPDATE", "DELETE")


def _bump(vendor: str, token_table: str) -> str:
    fresh = (
        "md5(random()::text || clock_timestamp()::text)"
        if vendor == "postgresql"
        else "lower(hex(randomblob(16)))"
    )
    return (
        f"INSERT INTO {token_table} (id, token) VALUES (1, {fresh}) "
        "ON CONFLICT (id) DO UPDATE SET token = excluded.token;"
    )


def create_token_triggers(schema_editor, token_table: str, watched: Iterable[str]) -> None:
    """Triggers on each `watched` table that move `token_table`'s token; and a first token."""
    run = schema_editor.execute
    vendor = schema_editor.connection.vendor
    bump = _bump(vendor, token_table)
    if vendor == "postgresql":
        run(
            f"CREATE OR REPLACE FUNCTION {token_table}_bump() RETURNS trigger AS $$ "
            f"BEGIN {bump} RETURN NULL; END $$ LANGUAGE plpgsql"
        )
        for table in watched:
            run(
                f"CREATE TRIGGER {table}_{token_table} AFTER INSERT OR UPDATE OR DELETE "
                f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION {token_table}_bump()"
            )
    else:
        for table in watched:
            for event in EVENTS:
                run(
                    f"CREATE TRIGGER {table}_{token_table}_{event.lower()} AFTER {event} "
                    f"ON {table} BEGIN {bump} END"
                )
    run(bump)


def drop_token_triggers(
    schema_editor, token_table: str, watched: Iterable[str], *, function: bool = True
) -> None:
    run = schema_editor.execute
    if schema_editor.connection.vendor == "postgresql":
        for table in watched:
            run(f"DROP TRIGGER IF EXISTS {table}_{token_table} ON {table}")
        if function:
            run(f"DROP FUNCTION IF EXISTS {token_table}_bump()")
    else:
        for table in watched:
            for event in EVENTS:
                run(f"DROP TRIGGER IF EXISTS {table}_{token_table}_{event.lower()}")


def read_token(token_table: str) -> str | None:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT token FROM {token_table} WHERE id = 1")  # noqa: S608
        row = cursor.fetchone()
    return row[0] if row else None


class Kept(Generic[T]):
    """One value kept per process while `token_table`'s token (and the caller's `key`,
    e.g. the day a table starts) stays the same."""

    def __init__(self, token_table: str) -> None:
        self.token_table = token_table
        self._kept: tuple[tuple[str, Hashable], T] | None = None
        self._lock = threading.Lock()

    def get(self, load: Callable[[], T], key: Hashable = None) -> T:
        token = read_token(self.token_table)
        kept = self._kept
        if token is not None and kept is not None and kept[0] == (token, key):
            return kept[1]
        value = load()
        if token is not None:
            with self._lock:
                self._kept = ((token, key), value)
        return value

    def forget(self) -> None:
        with self._lock:
            self._kept = None
