"""A state table as the docs give it: the rows of a page's `| ID-n | before | trigger |
after | who may | …` table, read into the transitions they stand for, so a test can hold
the code's `StateTable` to its page and try every state × trigger × role against it."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from onelibrary.core.states import (
    CENTRAL_OFFICE,
    DESK,
    LIBRARY_ADMIN,
    PATRON,
    ROLES,
    STAFF,
    SYSTEM,
    StateTable,
    TransitionError,
)

DOCS = Path(__file__).resolve().parents[1] / "docs"
WHO = {
    "staff": STAFF,
    "desk": frozenset({DESK}),
    "library admin": frozenset({LIBRARY_ADMIN}),
    "central office": frozenset({CENTRAL_OFFICE}),
    "patron": frozenset({PATRON}),
    "system": frozenset({SYSTEM}),
}
NONE = ("—", "(none)")

Move = tuple[str | None, str, str, frozenset[str]]


def _state(words: str) -> str | None:
    words = words.strip()
    return None if words in NONE else words.replace(" ", "_")


def documented(page: str, prefix: str) -> dict[str, set[Move]]:
    """id → the moves its row stands for: one per state in its `before` column."""
    rows: dict[str, set[Move]] = {}
    for line in (DOCS / page).read_text().splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if not re.fullmatch(rf"{prefix}-\d+", cells[0]):
            continue
        ident, befores, trigger, after, who = cells[:5]
        roles = frozenset().union(*(WHO[word.strip()] for word in who.split(",")))
        rows[ident] = {
            (_state(before), trigger, _state(after), roles)  # type: ignore[misc]
            for before in befores.split(",")
        }
    return rows


def in_code(table: StateTable) -> set[Move]:
    return {(t.before, t.trigger, t.after, t.who) for t in table.transitions}


def check_page_is_the_table(table: StateTable, page: str, prefix: str) -> None:
    rows = documented(page, prefix)
    numbers = sorted(int(ident.split("-")[1]) for ident in rows)
    assert numbers == list(range(1, len(rows) + 1)), f"{prefix} ids are not 1 … n: {numbers}"
    listed = set().union(*rows.values())
    assert listed - in_code(table) == set(), f"{page} lists moves the code has not"
    assert in_code(table) - listed == set(), f"the code has moves {page} does not list"


def check_every_move(table: StateTable, page: str, prefix: str) -> None:
    """Every state × trigger × role answers as the page says: the state after, or refused."""
    allowed = {
        (before, trigger, role): after
        for moves in documented(page, prefix).values()
        for before, trigger, after, who in moves
        for role in who
    }
    for before, trigger, role in itertools.product(
        [None, *table.labels], sorted(table.triggers() | {"shelve"}), sorted(ROLES)
    ):
        expected = allowed.get((before, trigger, role))
        if expected is None:
            with pytest.raises(TransitionError):
                table.next_state(before, trigger, role)
        else:
            assert table.next_state(before, trigger, role) == expected
