"""Bulk inserts of rows that already hold database-ready values (the MARC import's)."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import Field, Model


def insert(
    model: type[Model],
    names: list[str],
    rows: list[tuple[Any, ...]],
    *,
    returning: bool = False,
) -> list[int]:
    """Insert rows holding database-ready values; the model's other fields get defaults.

    bulk_create runs every value of every row through the ORM's compiler, which at
    50,000 records cost more than reading the MARC itself (bench/import_marc.py). With
    `returning`, multi-row INSERT ... RETURNING gives the new pks; sorted, they are in
    row order, since one statement takes them from one increasing counter.
    """
    if not rows:
        return []
    meta = model._meta
    given = [column(model, name) for name in names]
    rest = [f for f in meta.concrete_fields if not f.primary_key and f not in given]
    defaults = tuple(f.get_db_prep_save(f.get_default(), connection) for f in rest)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(f.column)) for f in [*given, *rest])
    statement = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES "
    width = len(given) + len(rest)
    row_marks = "(" + ", ".join(["%s"] * width) + ")"
    with connection.cursor() as cursor:
        if not returning:
            cursor.executemany(statement + row_marks, [row + defaults for row in rows])
            return []
        pks: list[int] = []
        per_statement = max(1, (connection.features.max_query_params or 999) // width)
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            sql = statement + ", ".join([row_marks] * len(chunk))
            sql += f" RETURNING {quote(str(column(model, 'pk').column))}"
            cursor.execute(sql, [value for row in chunk for value in row + defaults])
            pks += sorted(pk for (pk,) in cursor.fetchall())
        return pks


def column(model: type[Model], name: str) -> Field[Any, Any]:
    found = model._meta.pk if name == "pk" else model._meta.get_field(name)
    assert isinstance(found, Field), f"{model.__name__}.{name} is not a column"
    return found


def db_value(model: type[Model], name: str, value: object) -> Any:
    return column(model, name).get_db_prep_save(value, connection)
