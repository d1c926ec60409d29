"""Version tokens for data that each process keeps in memory.

Some data is read on every desk scan but changes a few times a year: the rules table,
the float rules, the courier network. Each process keeps such data in memory and asks
one cheap question before using it: has its token moved? A token is one row in a small
table of its own, and database triggers (made by `create_token_triggers` in a migration)
set a new random token whenever a watched table changes. Triggers see every write: bulk
updates, raw SQL, the admin, other processes. A random token rather than a counter,
because a rolled-back change puts the token back to a value no process has kept since.

With no token row (a database just emptied) nothing is kept: every use reads afresh.

Each `Kept` declares the models it reads (`watches`); `token_triggers()` reads the
triggers the database really has, and tests/test_versions.py holds the two equal on
SQLite and PostgreSQL, so a new table read behind a token cannot be left without its
trigger.

A desk scan uses several kept values. Inside `held()` (the circulation actions run in
it) every token is read once, all in one statement, so the scan pays one round trip for
all of them. Code inside must not change a watched table and then expect a kept value
to show the change: the tokens are those read when `held()` began.
"""

from __future__ import annotations

import contextlib
import re
import threading
from collections.abc import Callable, Hashable, Iterable, Iterator
from typing import Generic, TypeVar

from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model

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


_held = threading.local()


def _read(token_tables: Iterable[str]) -> dict[str, str]:
    union = " UNION ALL ".join(
        f"SELECT '{table}', token FROM {table} WHERE id = 1"  # noqa: S608
        for table in sorted(token_tables)
    )
    with connection.cursor() as cursor:
        cursor.execute(union)
        return dict(cursor.fetchall())


def read_token(token_table: str) -> str | None:
    held = getattr(_held, "tokens", None)
    if held is not None and token_table in held[0]:
        return held[1].get(token_table)
    return _read([token_table]).get(token_table)


@contextlib.contextmanager
def held() -> Iterator[None]:
    """Every known token read once, in one statement, for the code inside. Nested uses
    share the outer reading."""
    if getattr(_held, "tokens", None) is not None:
        yield
        return
    tables = frozenset(kept.token_table for kept in _every)
    _held.tokens = (tables, _read(tables) if tables else {})
    try:
        yield
    finally:
        _held.tokens = None


class Kept(Generic[T]):
    """One value kept per process while `token_table`'s token (and the caller's `key`,
    e.g. the day a table starts) stays the same.

    `watches` names the models the value is read from (their tables, many-to-many tables
    included): each must have a trigger that moves the token, or a change to it would go
    unseen. `tests/test_versions.py` compares every declaration with the triggers in the
    database (`token_triggers`), both ways."""

    def __init__(self, token_table: str, *, watches: Iterable[type[Model]]) -> None:
        self.token_table = token_table
        self.watches = frozenset(model._meta.db_table for model in watches)
        if not self.watches:
            raise ValueError(f"A value kept behind {token_table} must name the models it reads.")
        _every.append(self)
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


_every: list[Kept] = []  # every `Kept` made in this process (`held()` reads their tokens)


# --- what is declared, and what the database has -------------------------------------------

Trigger = tuple[str, str, str]  # (token table, watched table, INSERT | UPDATE | DELETE)


def declared() -> set[Trigger]:
    """The triggers the kept values made so far need: every event on every table they watch."""
    return {
        (kept.token_table, table, event)
        for kept in _every
        for table in kept.watches
        for event in EVENTS
    }


_SQLITE_TRIGGER = re.compile(
    r"AFTER (INSERT|UPDATE|DELETE) ON (\w+) BEGIN INSERT INTO (\w+) \(id, token\)"
)
_POSTGRES_BUMP = re.compile(r"EXECUTE FUNCTION (\w+)_bump\(\)")


def token_triggers(using: BaseDatabaseWrapper | None = None) -> set[Trigger]:
    """The token triggers in the database, as `create_token_triggers` makes them: on SQLite
    one per table and event (read from sqlite_master), on PostgreSQL one per table for
    the three events (information_schema.triggers lists each event)."""
    db = using or connection
    found: set[Trigger] = set()
    with db.cursor() as cursor:
        if db.vendor == "postgresql":
            cursor.execute(
                "SELECT event_object_table, event_manipulation, action_statement "
                "FROM information_schema.triggers WHERE trigger_schema = current_schema()"
            )
            for table, event, action in cursor.fetchall():
                bump = _POSTGRES_BUMP.search(action)
                if bump:
                    found.add((bump[1], table, event))
        else:
            cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger'")
            for (sql,) in cursor.fetchall():
                made = _SQLITE_TRIGGER.search(" ".join(sql.split()))
                if made:
                    event, table, token_table = made.groups()
                    found.add((token_table, table, event))
    return found


def mismatches(wanted: set[Trigger], present: set[Trigger]) -> list[str]:
    """What differs, in words: a watched table no trigger moves the token for (a change
    would go unseen), or a trigger no kept value declares (a table that moves the token
    for nothing, or a declaration that was forgotten)."""
    return [
        f"{table} is watched for {token_table} but no {event} trigger moves that token: "
        "add it in a migration (versions.create_token_triggers)."
        for token_table, table, event in sorted(wanted - present)
    ] + [
        f"{table} moves {token_table} on {event}, but no kept value declares {table}: add "
        "its model to that Kept's watches, or drop the trigger in a migration."
        for token_table, table, event in sorted(present - wanted)
    ]
