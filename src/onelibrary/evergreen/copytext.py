"""PostgreSQL's COPY text format, read and written: the form of an Evergreen dump.

A dump file holds one or more blocks, each `COPY schema.table (col, ...) FROM stdin;`,
then one row per line with the columns separated by tabs, then a line `\\.`. Inside a
column a backslash starts an escape (`\\t`, `\\n`, `\\\\`, octal and hex bytes...) and
`\\N` alone is NULL (PostgreSQL's documentation, "COPY", "Text Format"). Lines outside
the blocks (`\\echo`, `SELECT SETVAL(...)`, blank lines) are housekeeping and skipped.

Nothing here knows Evergreen; `dump.py` reads the tables it needs through this.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

NULL = "\\N"
END = "\\."
_SIMPLE = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}
_ESCAPE = re.compile(r"\\(?:([0-7]{1,3})|x([0-9A-Fa-f]{1,2})|(.))", re.S)
_HEADER = re.compile(r"^COPY\s+([\w.\"]+)\s*\(([^)]*)\)\s+FROM\s+stdin;\s*$", re.I)
_SPECIALS = {"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r", "\b": "\\b", "\f": "\\f",
             "\v": "\\v"}  # fmt: skip


class CopyFormatError(ValueError):
    """A dump that is not COPY text as PostgreSQL writes it; the message names file and line."""

    def __init__(self, path: Path | str, line: int, problem: str) -> None:
        self.path, self.line, self.problem = str(path), line, problem
        super().__init__(f"{path}, line {line}: {problem}")


def unescape(field: str) -> str | None:
    """One column as written in COPY text → its value (None for NULL).

    Octal and hex escapes give bytes; like PostgreSQL we read a run of them as UTF-8.
    """
    if field == NULL:
        return None
    if "\\" not in field:
        return field
    out = bytearray()
    at = 0
    for match in _ESCAPE.finditer(field):
        out += field[at : match.start()].encode("utf-8")
        octal, hexa, other = match.groups()
        if octal is not None:
            out.append(int(octal, 8) & 0xFF)
        elif hexa is not None:
            out.append(int(hexa, 16))
        else:
            out += _SIMPLE.get(other, other).encode("utf-8")
        at = match.end()
    out += field[at:].encode("utf-8")
    return out.decode("utf-8", errors="replace")


def escape(value: str | None) -> str:
    """A value as COPY text writes it: the inverse of `unescape`."""
    if value is None:
        return NULL
    return "".join(_SPECIALS.get(ch, ch) for ch in value)


def split_row(line: str) -> list[str | None]:
    return [unescape(field) for field in line.split("\t")]


def join_row(values: list[str | None]) -> str:
    return "\t".join(escape(v) for v in values)


@dataclass(frozen=True)
class Row:
    line: int  # 1-based line of the file, for messages
    values: dict[str, str | None]

    def __getitem__(self, column: str) -> str | None:
        return self.values[column]


@dataclass(frozen=True)
class Table:
    name: str  # as the header names it, e.g. "asset.copy"
    path: Path
    columns: tuple[str, ...]
    rows: tuple[Row, ...]


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    """The file's lines, numbered from 1, without their line ends. COPY text ends a row at
    a newline (a carriage return before it is the Windows form of the same end)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise CopyFormatError(path, 0, "the file is missing") from exc
    except UnicodeDecodeError as exc:
        raise CopyFormatError(path, text_line(path, exc.start), "not UTF-8 text") from exc
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()  # the newline that ends the last line starts no new one
    for number, line in enumerate(lines, start=1):
        yield number, line.removesuffix("\r")


def text_line(path: Path, offset: int) -> int:
    return path.read_bytes()[:offset].count(b"\n") + 1


def read_dump(path: Path) -> list[Table]:
    """Every COPY block of a dump file, in order. Raises CopyFormatError on a block that
    never ends, a row with the wrong number of columns, or a header that is not COPY's."""
    tables: list[Table] = []
    block: tuple[str, tuple[str, ...], int] | None = None
    rows: list[Row] = []
    for number, line in _lines(path):
        if block is None:
            if line.upper().startswith("COPY "):
                header = _HEADER.match(line)
                if header is None:
                    raise CopyFormatError(
                        path, number, "a COPY header must read 'COPY table (columns) FROM stdin;'"
                    )
                columns = tuple(c.strip().strip('"') for c in header.group(2).split(","))
                block, rows = (header.group(1).replace('"', ""), columns, number), []
            continue
        name, columns, _ = block
        if line == END:
            tables.append(Table(name, path, columns, tuple(rows)))
            block = None
            continue
        values = split_row(line)
        if len(values) != len(columns):
            raise CopyFormatError(
                path,
                number,
                f"{len(values)} columns where {name} has {len(columns)}; "
                "a tab or a line end inside a value must be escaped (\\t, \\n)",
            )
        rows.append(Row(number, dict(zip(columns, values, strict=True))))
    if block is not None:
        raise CopyFormatError(
            path,
            block[2],
            f"the COPY block for {block[0]} that starts here never ends with '\\.': "
            "the file is truncated",
        )
    return tables


def read_table(path: Path, name: str) -> Table:
    """The rows of every block for table `name` in the file (asset.copy has several)."""
    found = [t for t in read_dump(path) if t.name == name]
    if not found:
        raise CopyFormatError(path, 1, f"no 'COPY {name} (...) FROM stdin;' block in the file")
    columns = found[0].columns
    for other in found[1:]:
        if other.columns != columns:
            raise CopyFormatError(path, other.rows[0].line if other.rows else 1,
                                  f"a second COPY block for {name} has other columns")  # fmt: skip
    return Table(name, path, columns, tuple(r for t in found for r in t.rows))


def read_tsv(path: Path) -> Table:
    """A table with a header line of column names and rows in COPY text, without a COPY
    header or an end marker (actor.usr.minimal.tsv)."""
    lines = iter(_lines(path))
    try:
        _, header = next(lines)
    except StopIteration:
        raise CopyFormatError(path, 1, "the file is empty; it needs a header line") from None
    columns = tuple(header.split("\t"))
    rows: list[Row] = []
    for number, line in lines:
        if line == "" or line == END:
            continue
        values = split_row(line)
        if len(values) != len(columns):
            raise CopyFormatError(
                path, number, f"{len(values)} columns where the header has {len(columns)}"
            )
        rows.append(Row(number, dict(zip(columns, values, strict=True))))
    return Table(path.stem, path, columns, tuple(rows))
