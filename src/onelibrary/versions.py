"""Version tokens for data that each process keeps in memory.

Some data is read on every desk scan but changes a few times a year: the rules table,
the float rules, the courier network. Each process keeps such data in memory and asks
one cheap question before using it: has its token moved? A token is one row in a small
table of its own, and database triggers (made by `create_token_triggers` in a migration)
set a new random token whenever a watched table changes. Triggers see every write: bulk
updates, raw SQL, the admin, other processes. A random token rather than a counter,
because a rolled-back change puts the token back to a value no process has kept since.

With no token row (a database just emptied) nothing is kept: every use reads afresh.

A desk scan uses several kept values. Inside `held()` (the circulation actions run in
it) every token is read once, all in one statement, so the scan pays one round trip for
all of them. Code inside must not change a watched table and then expect a kept value
to show the change: the tokens are those read when `held()` began.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Hashable, Iterable, Iterator
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


_known: set[str] = set()  # every token table a `Kept` reads, in this process
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
    tables = frozenset(_known)
    _held.tokens = (tables, _read(tables) if tables else {})
    try:
        yield
    finally:
        _held.tokens = None


class Kept(Generic[T]):
    """One value kept per process while `token_table`'s token (and the caller's `key`,
    e.g. the day a table starts) stays the same."""

    def __init__(self, token_table: str) -> None:
        self.token_table = token_table
        _known.add(token_table)
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
