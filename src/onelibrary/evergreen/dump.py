"""The Evergreen tables the import reads, from a directory of COPY text dumps.

Every file is read and checked before anything is written, so a missing file, a truncated
block or a row with the wrong number of columns stops the import with nothing changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from onelibrary.evergreen.copytext import CopyFormatError, Row, Table, read_table, read_tsv

TABLES = (
    "actor.org_unit",
    "actor.org_address",
    "actor.hours_of_operation",
    "actor.org_unit_closed",
    "asset.copy_location",
    "biblio.record_entry",
    "asset.call_number",
    "asset.copy",
    "permission.grp_tree",
    "action.hold_request",
    "action.circulation",
    "config.circ_matrix_matchpoint",
    "config.rule_circ_duration",
    "config.rule_recurring_fine",
    "config.rule_max_fine",
    "config.hold_matrix_matchpoint",
    "config.floating_group",
    "config.floating_group_member",
)
PATRONS = "actor.usr.minimal.tsv"


class EvergreenImportError(Exception):
    """The dump cannot be imported; the message says where and what to do. Nothing changed."""


@dataclass(frozen=True)
class Dump:
    directory: Path
    tables: dict[str, Table]

    def rows(self, name: str) -> tuple[Row, ...]:
        return self.tables[name].rows

    def by_id(self, name: str, column: str = "id") -> dict[str, Row]:
        return {row[column] or "": row for row in self.rows(name)}

    def path(self, name: str) -> Path:
        return self.tables[name].path


def read(directory: Path) -> Dump:
    if not directory.is_dir():
        raise EvergreenImportError(f"{directory} is not a directory of Evergreen dump files.")
    names = [f"{name}.sql" for name in TABLES] + [PATRONS]
    missing = [name for name in names if not (directory / name).is_file()]
    if missing:
        raise EvergreenImportError(
            f"{directory / missing[0]}: missing. The import needs "
            + ", ".join(missing)
            + " in that directory (one COPY dump per table; README.md in the sample data)."
        )
    try:
        tables = {name: read_table(directory / f"{name}.sql", name) for name in TABLES}
        tables["actor.usr"] = read_tsv(directory / PATRONS)
    except CopyFormatError as error:
        raise EvergreenImportError(f"{error}. Nothing was imported.") from error
    for name in ("actor.usr",):
        _require(tables[name], ("id", "profile", "home_ou", "juvenile", "deleted", "expire_date"))
    return Dump(directory, tables)


def _require(table: Table, columns: tuple[str, ...]) -> None:
    lacking = [c for c in columns if c not in table.columns]
    if lacking:
        raise EvergreenImportError(
            f"{table.path}, line 1: the header lacks {', '.join(lacking)}. Nothing was imported."
        )


def fail(row: Row, path: Path, problem: str) -> EvergreenImportError:
    return EvergreenImportError(f"{path}, line {row.line}: {problem}. Nothing was imported.")
