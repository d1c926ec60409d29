"""Catalog search behind one interface: SQLite FTS5 or PostgreSQL full text.

The index is one table, `catalog_title_fts` (made by migration 0002), with a row per
title holding its title, author, subjects and identifiers. SQLite keeps the four as
FTS5 columns ranked by bm25 with column weights; PostgreSQL keeps one weighted
tsvector (title A, author B, subjects C, identifiers D) ranked by ts_rank. Both sides
see the same words: text is folded (lower case, no diacritics) and split by the same
word regex in Python, so a search behaves alike on either database.

Whoever creates or changes titles calls `index_titles` in the same transaction.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import isbnlib
from django.db import connection, transaction
from django.db.models import Count, Q

from onelibrary.catalog.models import Item, Title, TitleIdentifier

FIELDS = ("keyword", "title", "author", "subject", "isbn")
MAX_PER_PAGE = 100
# A longer query is almost certainly pasted text; its tail adds nothing but cost.
MAX_TOKENS = 12
MAX_TOKEN_LENGTH = 64
BATCH = 500

# Letters and digits only: an underscore or any FTS operator character splits words.
WORD = re.compile(r"[^\W_]+")
ISBN_LIKE = re.compile(r"^[0-9][0-9Xx-]{8,16}$")

# SQLite: bm25 weights for (title, author, subjects, identifiers).
BM25_WEIGHTS = (10.0, 4.0, 2.0, 1.0)
FTS5_COLUMN = {"title": "title", "author": "author", "subject": "subjects"}
# PostgreSQL: ts_rank weights are given as {D, C, B, A}.
TS_RANK_WEIGHTS = "{0.1, 0.2, 0.4, 1.0}"
TS_WEIGHT = {"title": "A", "author": "B", "subject": "C"}
FORMAT_LABELS = dict(Title.Format.choices)


@dataclass(frozen=True)
class SearchHit:
    title_id: int
    title: str
    author: str
    year: int | None
    format: str
    total_copies: int
    available_copies: int

    @property
    def format_label(self) -> str:
        return FORMAT_LABELS.get(self.format, self.format)


@dataclass(frozen=True)
class SearchResults:
    query: str
    field: str
    total: int
    page: int
    per_page: int
    hits: list[SearchHit]

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def first_index(self) -> int:
        return (self.page - 1) * self.per_page + 1 if self.hits else 0

    @property
    def last_index(self) -> int:
        return (self.page - 1) * self.per_page + len(self.hits)


# --- text --------------------------------------------------------------------------


def fold(text: str) -> str:
    """Lower case without diacritics, so 'Müller' and 'muller' are the same word."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def words(text: str) -> list[str]:
    return WORD.findall(fold(text))


def normalize_isbn(text: str) -> str | None:
    """An ISBN-10 or ISBN-13 (hyphens and spaces allowed) as a bare ISBN-13, else None."""
    candidate = re.sub(r"[\s-]", "", text).upper()
    if candidate.startswith("ISBN"):
        candidate = candidate[4:].lstrip(":")
    if isbnlib.is_isbn13(candidate):
        return candidate
    if isbnlib.is_isbn10(candidate):
        return isbnlib.to_isbn13(candidate) or None
    return None


def query_tokens(query: str) -> list[str]:
    """The words of a keyword query; an ISBN-looking chunk becomes its ISBN-13."""
    tokens: list[str] = []
    for chunk in query.split():
        isbn = normalize_isbn(chunk) if ISBN_LIKE.match(chunk) else None
        tokens.extend([isbn] if isbn else words(chunk))
    return [t[:MAX_TOKEN_LENGTH] for t in tokens[:MAX_TOKENS]]


# --- indexing ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Document:
    title_id: int
    title: str
    author: str
    subjects: str
    identifiers: str


def _chunks(ids: Sequence[int], size: int) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _documents(title_ids: Sequence[int]) -> list[_Document]:
    identifiers: dict[int, set[str]] = {}
    for title_id, value in TitleIdentifier.objects.filter(title_id__in=title_ids).values_list(
        "title_id", "value"
    ):
        identifiers.setdefault(title_id, set()).add(value)
    rows = Title.objects.filter(pk__in=title_ids).values_list(
        "pk", "title", "author", "subjects", "isbns", "oclc_number"
    )
    return [
        _Document(
            title_id=pk,
            title=" ".join(words(title)),
            author=" ".join(words(author)),
            subjects=" ".join(words(subjects)),
            identifiers=" ".join(
                sorted((set(isbns.split()) | identifiers.get(pk, set()) | {oclc}) - {""})
            ),
        )
        for pk, title, author, subjects, isbns, oclc in rows
    ]


def _write_sqlite(title_ids: Sequence[int], docs: list[_Document]) -> None:
    marks = ", ".join(["%s"] * len(title_ids))
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM catalog_title_fts WHERE rowid IN ({marks})", list(title_ids))
        cursor.executemany(
            "INSERT INTO catalog_title_fts (rowid, title, author, subjects, identifiers) "
            "VALUES (%s, %s, %s, %s, %s)",
            [(d.title_id, d.title, d.author, d.subjects, d.identifiers) for d in docs],
        )


def _write_postgresql(title_ids: Sequence[int], docs: list[_Document]) -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM catalog_title_fts WHERE title_id = ANY(%s)", [list(title_ids)])
        if not docs:
            return
        # One statement for the whole batch: the arrays are zipped back into rows.
        cursor.execute(
            """
            INSERT INTO catalog_title_fts (title_id, document)
            SELECT d.id,
                   setweight(to_tsvector('simple', d.title), 'A')
                   || setweight(to_tsvector('simple', d.author), 'B')
                   || setweight(to_tsvector('simple', d.subjects), 'C')
                   || setweight(to_tsvector('simple', d.identifiers), 'D')
            FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[], %s::text[])
                 AS d(id, title, author, subjects, identifiers)
            """,
            [
                [d.title_id for d in docs],
                [d.title for d in docs],
                [d.author for d in docs],
                [d.subjects for d in docs],
                [d.identifiers for d in docs],
            ],
        )


def _writer():
    if connection.vendor == "sqlite":
        return _write_sqlite
    if connection.vendor == "postgresql":
        return _write_postgresql
    raise NotImplementedError(f"catalog search does not support {connection.vendor}")


def index_titles(title_ids: Iterable[int]) -> None:
    """(Re)build the full-text index rows of these titles.

    Ids of titles that no longer exist (merged away, deleted) lose their rows. A batch
    costs three statements per 500 titles whatever its size.
    """
    ids = sorted({int(i) for i in title_ids})
    write = _writer()
    with transaction.atomic():
        for chunk in _chunks(ids, BATCH):
            write(chunk, _documents(chunk))


def rebuild_index() -> int:
    """Index every title again, e.g. after a restore. Returns the number of titles."""
    ids = list(Title.objects.order_by("pk").values_list("pk", flat=True))
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM catalog_title_fts")
        index_titles(ids)
    return len(ids)


# --- searching ---------------------------------------------------------------------


def _sqlite_match(tokens: list[str], field: str) -> str:
    # Each token is a quoted string (quotes doubled), so no user text is ever FTS syntax.
    terms = " AND ".join('"{}"*'.format(t.replace('"', '""')) for t in tokens)
    if field in FTS5_COLUMN:
        return f"{{{FTS5_COLUMN[field]}}} : ({terms})"
    return terms


def _postgresql_query(tokens: list[str], field: str) -> str:
    # Tokens hold letters and digits only, so they cannot carry tsquery operators.
    weight = TS_WEIGHT.get(field, "")
    return " & ".join(f"{t}:*{weight}" for t in tokens)


SQLITE_COUNT = """
    SELECT count(*) FROM catalog_title_fts
    JOIN catalog_title t ON t.id = catalog_title_fts.rowid
    WHERE catalog_title_fts MATCH %s
"""
SQLITE_PAGE = f"""
    SELECT t.id, t.title, t.author, t.year, t.format FROM catalog_title_fts
    JOIN catalog_title t ON t.id = catalog_title_fts.rowid
    WHERE catalog_title_fts MATCH %s
    ORDER BY bm25(catalog_title_fts, {", ".join(map(str, BM25_WEIGHTS))}), t.title, t.id
    LIMIT %s OFFSET %s
"""
POSTGRESQL_COUNT = """
    SELECT count(*) FROM catalog_title_fts f
    JOIN catalog_title t ON t.id = f.title_id
    WHERE f.document @@ to_tsquery('simple', %s)
"""
POSTGRESQL_PAGE = f"""
    SELECT t.id, t.title, t.author, t.year, t.format
    FROM catalog_title_fts f
    JOIN catalog_title t ON t.id = f.title_id,
         to_tsquery('simple', %s) q
    WHERE f.document @@ q
    ORDER BY ts_rank('{TS_RANK_WEIGHTS}', f.document, q) DESC, t.title, t.id
    LIMIT %s OFFSET %s
"""


def _full_text(tokens: list[str], field: str, limit: int, offset: int) -> tuple[int, list[tuple]]:
    if connection.vendor == "sqlite":
        expression, count_sql, page_sql = _sqlite_match(tokens, field), SQLITE_COUNT, SQLITE_PAGE
    elif connection.vendor == "postgresql":
        expression = _postgresql_query(tokens, field)
        count_sql, page_sql = POSTGRESQL_COUNT, POSTGRESQL_PAGE
    else:
        raise NotImplementedError(f"catalog search does not support {connection.vendor}")
    with connection.cursor() as cursor:
        cursor.execute(count_sql, [expression])
        total = cursor.fetchone()[0]
        if not total:
            return 0, []
        cursor.execute(page_sql, [expression, limit, offset])
        return total, cursor.fetchall()


def _isbn_ids(isbn: str) -> list[int]:
    """Titles with this ISBN-13: identifiers first, then the index's identifier words."""
    found = set(
        TitleIdentifier.objects.filter(kind=TitleIdentifier.Kind.ISBN, value=isbn).values_list(
            "title_id", flat=True
        )
    )
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT rowid FROM catalog_title_fts WHERE catalog_title_fts MATCH %s",
                [f'{{identifiers}} : "{isbn}"'],
            )
        else:
            cursor.execute(
                "SELECT title_id FROM catalog_title_fts WHERE document @@ to_tsquery('simple', %s)",
                [f"{isbn}:D"],
            )
        found.update(row[0] for row in cursor.fetchall())
    return sorted(found)


def _isbn_search(query: str, limit: int, offset: int) -> tuple[int, list[tuple]]:
    isbn = normalize_isbn(query.strip())
    if isbn is None:
        return 0, []
    ids = _isbn_ids(isbn)
    rows = (
        Title.objects.filter(pk__in=ids)
        .order_by("title", "pk")
        .values_list("pk", "title", "author", "year", "format")[offset : offset + limit]
    )
    return len(ids), list(rows)


def copy_counts(title_ids: Iterable[int]) -> dict[int, tuple[int, int]]:
    """(copies, available copies) per title across the group, in one query.

    Withdrawn copies have left the collection and are not counted.
    """
    rows = (
        Item.objects.filter(title_id__in=list(title_ids))
        .exclude(status=Item.Status.WITHDRAWN)
        .values("title_id")
        .annotate(
            total=Count("pk"),
            available=Count("pk", filter=Q(status=Item.Status.AVAILABLE)),
        )
    )
    return {r["title_id"]: (r["total"], r["available"]) for r in rows}


def search_titles(
    query: str, *, field: str = "keyword", page: int = 1, per_page: int = 20
) -> SearchResults:
    """Titles matching every word of `query` (each as a prefix), best match first."""
    if field not in FIELDS:
        field = "keyword"
    page = max(1, page)
    per_page = min(max(1, per_page), MAX_PER_PAGE)
    offset = (page - 1) * per_page
    if field == "isbn":
        total, rows = _isbn_search(query, per_page, offset)
    else:
        tokens = query_tokens(query)
        total, rows = _full_text(tokens, field, per_page, offset) if tokens else (0, [])
    counts = copy_counts(row[0] for row in rows)
    hits = [
        SearchHit(
            title_id=pk,
            title=title,
            author=author,
            year=year,
            format=fmt,
            total_copies=counts.get(pk, (0, 0))[0],
            available_copies=counts.get(pk, (0, 0))[1],
        )
        for pk, title, author, year, fmt in rows
    ]
    return SearchResults(
        query=query, field=field, total=total, page=page, per_page=per_page, hits=hits
    )
