"""Monthly rollups of the title and transit days, and reading a period from both.

The title and transit daily tables have a monthly table beside them
(models.py): the same key and count columns, `day` the month's first day. `roll_up(month)`
replaces a month's rows with the sums of its daily rows, in SQL (INSERT … SELECT … GROUP
BY), so it is idempotent and costs one pass over the month. `build.build_day` rolls up the
day's month after writing the day; `build.rebuild` rolls up each month it touched once.

`summed(daily, start, end, keys, counts)` answers a period: its whole months from the
monthly table and its edge days from the daily one, added up by the database in one
query: a year reads at most 12 month slices and about 60 days. Top titles read them from
the top (series.py); a pair's long transits are read exactly from them (figures.py). The
pair, fill and send tables keep running totals instead (running.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection, models

from onelibrary.insights.models import (
    TitleDay,
    TitleMonth,
    TransitDays,
    TransitMonth,
)


@dataclass(frozen=True)
class Rollup:
    daily: type[models.Model]
    monthly: type[models.Model]
    keys: tuple[str, ...]  # field names, besides `day`
    counts: tuple[str, ...]


ROLLUPS = (
    Rollup(TransitDays, TransitMonth, ("sender", "receiver", "days"), ("copies",)),
    Rollup(TitleDay, TitleMonth, ("title",), ("loans",)),
)
OF_DAILY = {r.daily: r for r in ROLLUPS}


def first_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def last_of(day: dt.date) -> dt.date:
    """The last day of `day`'s month."""
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


def months(start: dt.date, end: dt.date) -> list[dt.date]:
    """The first day of each month from `start`'s to `end`'s, both included."""
    found, month = [], first_of(start)
    while month <= end:
        found.append(month)
        month = last_of(month) + dt.timedelta(days=1)
    return found


@dataclass(frozen=True)
class Split:
    """A period as whole months (their first days, both included) and edge day runs."""

    whole: tuple[dt.date, dt.date] | None
    edges: tuple[tuple[dt.date, dt.date], ...]


def split(start: dt.date, end: dt.date) -> Split:
    """[start, end] as the whole months inside it and the days outside them."""
    first = start if start.day == 1 else last_of(start) + dt.timedelta(days=1)
    last = end if end == last_of(end) else first_of(end) - dt.timedelta(days=1)
    if first > last:  # no whole month: days only
        return Split(None, ((start, end),) if start <= end else ())
    edges = []
    if start < first:
        edges.append((start, first - dt.timedelta(days=1)))
    if last < end:
        edges.append((last + dt.timedelta(days=1), end))
    return Split((first, first_of(last)), tuple(edges))


def columns(model: type[models.Model], names: Iterable[str]) -> list[str]:
    """The quoted columns of `model`'s fields `names` (a foreign key: its id's)."""
    quote = connection.ops.quote_name
    fields = [model._meta.get_field(name) for name in names]
    return [quote(str(getattr(field, "column", field.name))) for field in fields]


def roll_up(month: dt.date) -> None:
    """Replace the monthly rows of `month` (any day in it) with the sums of its days."""
    first, last = first_of(month), last_of(month)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for r in ROLLUPS:
            r.monthly._default_manager.filter(day=first).delete()
            keys, counts = columns(r.daily, r.keys), columns(r.daily, r.counts)
            target = ", ".join([quote("day"), *columns(r.monthly, r.keys + r.counts)])
            sums = ", ".join(f"SUM({c})" for c in counts)
            cursor.execute(
                f"INSERT INTO {quote(r.monthly._meta.db_table)} ({target}) "  # noqa: S608 - names from models
                f"SELECT %s, {', '.join(keys)}, {sums} FROM {quote(r.daily._meta.db_table)} "
                f"WHERE {quote('day')} >= %s AND {quote('day')} <= %s "
                f"GROUP BY {', '.join(keys)}",
                [first, first, last],
            )


def summed(
    daily: type[models.Model],
    start: dt.date,
    end: dt.date,
    keys: tuple[str, ...],
    counts: tuple[str, ...],
    **filters: Any,
) -> dict[tuple[Any, ...], list[int]]:
    """{key values: [count sums]} of `daily`'s rows in the period, grouped by `keys`
    (field names; a foreign key gives its id) and in their order: the whole months read
    from the monthly table, the edge days from the daily one, added up by the database
    in one query (UNION ALL, GROUP BY). `filters` are equalities on fields of both, or,
    as `field__in=values`, memberships (a few hundred values at most: each is a query
    parameter)."""
    parts = split(start, end)
    monthly = OF_DAILY[daily].monthly
    quote = connection.ops.quote_name
    selects, params = [], []
    wanted = [*columns(daily, keys), *columns(daily, counts)]
    narrowed, values = [], []
    for name, value in filters.items():
        field, _, lookup = name.partition("__")
        (column,) = columns(daily, (field,))
        if lookup == "in":
            if not value:
                return {}
            narrowed.append(f"{column} IN ({', '.join(['%s'] * len(value))})")
            values += list(value)
        elif not lookup:
            narrowed.append(f"{column} = %s")
            values.append(value)
        else:
            raise ValueError(f"summed() filters by field=value or field__in=values, not {name}")
    for model, runs in ((daily, parts.edges), (monthly, (parts.whole,) if parts.whole else ())):
        if not runs:
            continue
        day = quote("day")
        when = " OR ".join(f"({day} >= %s AND {day} <= %s)" for _ in runs)
        selects.append(
            f"SELECT {', '.join(wanted)} FROM {quote(model._meta.db_table)} "  # noqa: S608 - names from models
            f"WHERE ({when}){''.join(f' AND {n}' for n in narrowed)}"
        )
        for run in runs:
            params += [*run]
        params += values
    if not selects:
        return {}
    key_list = ", ".join(columns(daily, keys))
    sums = ", ".join(f"SUM({c})" for c in columns(daily, counts))
    sql = (
        f"SELECT {key_list}, {sums} FROM ({' UNION ALL '.join(selects)}) AS period "
        f"GROUP BY {key_list} ORDER BY {key_list}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        width = len(keys)
        return {tuple(row[:width]): [int(v or 0) for v in row[width:]] for row in cursor.fetchall()}
