"""The rows of one OAI-PMH list page, read from a cursor, and the token that carries it.

A harvest walks titles and retired titles together in (datestamp, id) order. The
resumption token holds the request's arguments and the last (datestamp, id) sent, signed
so that a token we did not make is refused; each page is one ranged read of the
`title_datestamp` and `retired_datestamp` indexes from that cursor, so a page costs the
same at the millionth record as at the first and nothing is kept between requests.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core import signing
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from onelibrary.catalog.models import Item, RetiredTitle, Title
from onelibrary.members.models import Library

PAGE_SIZE = 200
TOKEN_AGE = dt.timedelta(hours=24)
TOKEN_SALT = "onelibrary.interop.oai"
UTC = dt.UTC


class BadToken(Exception):
    """The resumption token is garbled, not ours, or expired."""


@dataclass(frozen=True)
class Selection:
    """What a list request asks for: the same on every page of one harvest."""

    prefix: str
    set_spec: str = ""
    since: dt.datetime | None = None  # from, inclusive
    until: dt.datetime | None = None  # until, inclusive to the second


@dataclass(frozen=True)
class Cursor:
    datestamp: dt.datetime
    title_id: int
    sent: int  # records sent before this page, for the token's `cursor` attribute


@dataclass
class Entry:
    """One record of a page: a title (with its row when the record is wanted) or a
    retired title's tombstone."""

    title_id: int
    datestamp: dt.datetime
    title: Title | None
    sets: list[str] = field(default_factory=list)
    deleted: bool = False
    retired: bool = False


@dataclass(frozen=True)
class Page:
    entries: list[Entry]
    next_cursor: Cursor | None


def make_token(selection: Selection, cursor: Cursor) -> str:
    payload = {
        "p": selection.prefix,
        "s": selection.set_spec,
        "f": selection.since.isoformat() if selection.since else "",
        "u": selection.until.isoformat() if selection.until else "",
        "d": cursor.datestamp.isoformat(),
        "i": cursor.title_id,
        "n": cursor.sent,
    }
    return signing.dumps(payload, salt=TOKEN_SALT, compress=True)


def read_token(token: str) -> tuple[Selection, Cursor]:
    try:
        payload = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_AGE)
        selection = Selection(
            prefix=str(payload["p"]),
            set_spec=str(payload["s"]),
            since=dt.datetime.fromisoformat(payload["f"]) if payload["f"] else None,
            until=dt.datetime.fromisoformat(payload["u"]) if payload["u"] else None,
        )
        cursor = Cursor(
            dt.datetime.fromisoformat(payload["d"]), int(payload["i"]), int(payload["n"])
        )
    except signing.SignatureExpired as error:
        raise BadToken("The resumption token has expired; start the harvest again.") from error
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise BadToken("The resumption token is not one this repository issued.") from error
    return selection, cursor


def token_expiry(now: dt.datetime) -> dt.datetime:
    return now + TOKEN_AGE


def _after(cursor: Cursor | None, date_column: str, id_column: str) -> tuple[str, list]:
    """A row-value comparison, which both databases answer from the (datestamp, id) index."""
    if cursor is None:
        return "1 = 1", []
    value = connection.ops.adapt_datetimefield_value(cursor.datestamp)
    return f"({date_column}, {id_column}) > (%s, %s)", [value, cursor.title_id]


def _titles(selection: Selection, cursor: Cursor | None, library_id: int | None) -> QuerySet[Title]:
    titles = Title.objects.all()
    if selection.since:
        titles = titles.filter(updated_at__gte=selection.since)
    if selection.until:
        titles = titles.filter(updated_at__lt=selection.until + dt.timedelta(seconds=1))
    if library_id is not None:
        owned = Item.objects.filter(title_id=OuterRef("pk"), owning_library_id=library_id)
        titles = titles.filter(Exists(owned))
    where, params = _after(cursor, "catalog_title.updated_at", "catalog_title.id")
    return titles.extra(where=[where], params=params).order_by("updated_at", "id")


def _retired(selection: Selection, cursor: Cursor | None) -> QuerySet[RetiredTitle]:
    retired = RetiredTitle.objects.all()
    if selection.since:
        retired = retired.filter(retired_at__gte=selection.since)
    if selection.until:
        retired = retired.filter(retired_at__lt=selection.until + dt.timedelta(seconds=1))
    where, params = _after(
        cursor, "catalog_retiredtitle.retired_at", "catalog_retiredtitle.title_id"
    )
    wheres, all_params = [where], list(params)
    if selection.set_spec:
        wheres.append("(' ' || catalog_retiredtitle.libraries || ' ') LIKE %s")
        all_params.append(f"% {selection.set_spec} %")
    return retired.extra(where=wheres, params=all_params).order_by("retired_at", "title_id")


def read_page(
    selection: Selection, cursor: Cursor | None, *, with_records: bool, size: int | None = None
) -> Page:
    """The next `size` (PAGE_SIZE) records after `cursor`, each with its sets and status."""
    size = size or PAGE_SIZE
    library_id = None
    if selection.set_spec:
        library_id = (
            Library.objects.filter(code=selection.set_spec).values_list("pk", flat=True).first()
        )
        if library_id is None:
            return Page([], None)
    titles = _titles(selection, cursor, library_id)[: size + 1]
    if with_records:
        entries = [Entry(t.pk, t.updated_at, t) for t in titles]
    else:  # headers only: no model instances
        entries = [Entry(pk, at, None) for pk, at in titles.values_list("pk", "updated_at")]
    entries += [
        Entry(r.title_id, r.retired_at, None, r.libraries.split(), deleted=True, retired=True)
        for r in _retired(selection, cursor)[: size + 1]
    ]
    entries.sort(key=lambda e: (e.datestamp, e.title_id))
    more = len(entries) > size
    entries = entries[:size]
    _add_sets([e for e in entries if not e.retired])
    sent = cursor.sent if cursor else 0
    last = entries[-1] if entries else None
    next_cursor = (
        Cursor(last.datestamp, last.title_id, sent + len(entries)) if more and last else None
    )
    return Page(entries, next_cursor)


def read_one(title_id: int) -> Entry | None:
    title = Title.objects.filter(pk=title_id).first()
    if title is not None:
        entry = Entry(title.pk, title.updated_at, title)
        _add_sets([entry])
        return entry
    retired = RetiredTitle.objects.filter(title_id=title_id).first()
    if retired is not None:
        libraries = retired.libraries.split()
        return Entry(title_id, retired.retired_at, None, libraries, deleted=True, retired=True)
    return None


def _add_sets(entries: list[Entry]) -> None:
    """Each title's sets (the libraries owning a copy of it) and whether it is withdrawn:
    it has copies and every one of them is withdrawn. One query per page."""
    if not entries:
        return
    codes = dict(Library.objects.values_list("pk", "code"))
    copies = (
        Item.objects.filter(title_id__in=[e.title_id for e in entries])
        .values_list("title_id", "owning_library_id")
        .annotate(kept=Count("pk", filter=~Q(status=Item.Status.WITHDRAWN)))
        .order_by()
    )
    owners: dict[int, list[tuple[str, int]]] = {}
    for title_id, library_id, kept in copies:
        owners.setdefault(title_id, []).append((codes[library_id], kept))
    for entry in entries:
        found = sorted(owners.get(entry.title_id, []))
        entry.sets = [code for code, _ in found]
        entry.deleted = bool(found) and not any(kept for _, kept in found)


def earliest_datestamp() -> dt.datetime | None:
    first = Title.objects.order_by("updated_at").values_list("updated_at", flat=True).first()
    retired = (
        RetiredTitle.objects.order_by("retired_at").values_list("retired_at", flat=True).first()
    )
    found = [d for d in (first, retired) if d is not None]
    return min(found) if found else None
