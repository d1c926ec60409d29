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
from dataclasses import dataclass, replace

import isbnlib
from django.db import connection, transaction
from django.db.models import Count, Q

from onelibrary.catalog import terms
from onelibrary.catalog.facets import (
    CANDIDATES,
    CORE,
    SORTS,
    TITLE_CORE,
    Candidate,
    Facets,
    SearchFilters,
    count_facets,
    order,
    passes,
)
from onelibrary.catalog.languages import LANGUAGE_NAMES
from onelibrary.catalog.marc import NAME_TAGS
from onelibrary.catalog.models import Item, Title, TitleIdentifier
from onelibrary.catalog.scripts import AUTHOR, TITLE, ScriptText, first_of, script_texts
from onelibrary.members.models import Library

FIELDS = ("keyword", "title", "author", "subject", "isbn")
MAX_PER_PAGE = 100
# A longer query is almost certainly pasted text; its tail adds nothing but cost.
MAX_TOKENS = 12
MAX_TOKEN_LENGTH = 64
# Shorter words match whole words only: "a" or "of" as a prefix would match most of
# the catalog and cost the most while adding nothing.
PREFIX_MIN = 3
BATCH = 500

# Letters and digits only: an underscore or any FTS operator character splits words.
WORD = re.compile(r"[^\W_]+")
# Chinese and Japanese are written without spaces between words: each Han or kana
# character is a word of its own, in the index and in the query alike, so any run of
# characters from a title finds it (FTS5's unicode61 and PostgreSQL's parser would keep
# the whole run as one word).
CJK = re.compile(r"([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])")
ISBN_LIKE = re.compile(r"^[0-9][0-9Xx-]{8,16}$")

# SQLite: bm25 weights for (title, author, subjects, identifiers).
BM25_WEIGHTS = (10.0, 4.0, 2.0, 1.0)
FTS5_COLUMN = {"title": "title", "author": "author", "subject": "subjects"}
# PostgreSQL: ts_rank weights are given as {D, C, B, A}.
TS_RANK_WEIGHTS = "{0.1, 0.2, 0.4, 1.0}"
TS_WEIGHT = {"title": "A", "author": "B", "subject": "C"}
FORMAT_LABELS = dict(Title.Format.choices)
NO_FILTERS = SearchFilters()


@dataclass(frozen=True)
class SearchHit:
    title_id: int
    title: str
    author: str
    year: int | None
    format: str
    total_copies: int
    available_copies: int
    # The 880 twins of title and author, shown beside them (catalog/scripts.py).
    vernacular_title: ScriptText | None = None
    vernacular_author: ScriptText | None = None

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
    filters: SearchFilters = NO_FILTERS
    sort: str = "relevance"
    facets: Facets | None = None
    counted: int = 0  # the matches the facets count: all of them unless capped
    page_clamped: bool = False  # the page asked for was past the last one
    more: bool = False  # more than CORE titles match: `total` is CORE, a floor

    @property
    def capped(self) -> bool:
        """More titles match than the search ranks and counts facets over."""
        return self.total > self.counted

    @property
    def num_pages(self) -> int:
        return max(1, -(-min(self.total, self.counted) // self.per_page))

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
    found = WORD.findall(fold(text))
    if text.isascii():
        return found
    return [part for word in found for part in CJK.split(word) if part]


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
        "pk", "title", "author", "subjects", "isbns", "oclc_number", "vernacular"
    )
    documents = []
    for pk, title, author, subjects, isbns, oclc, vernacular in rows:
        # Each 880 twin is indexed in its romanized field's column (docs/marc.md).
        texts = {"title": [title], "author": [author], "subjects": [subjects]}
        for twin in script_texts(vernacular):
            column = "author" if twin.tag in NAME_TAGS else "title"
            texts["subjects" if twin.tag[:1] == "6" else column].append(twin.text)
        documents.append(
            _Document(
                title_id=pk,
                title=" ".join(words(" ".join(texts["title"]))),
                author=" ".join(words(" ".join(texts["author"]))),
                subjects=" ".join(words(" ".join(texts["subjects"]))),
                identifiers=" ".join(
                    sorted((set(isbns.split()) | identifiers.get(pk, set()) | {oclc}) - {""})
                ),
            )
        )
    return documents


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
            docs = _documents(chunk)
            write(chunk, docs)
            # New words join "Did you mean"'s vocabulary at once (catalog/terms.py).
            terms.add_terms(w for d in docs for w in f"{d.title} {d.author} {d.subjects}".split())


def rebuild_index() -> int:
    """Index every title again, e.g. after a restore. Returns the number of titles."""
    ids = list(Title.objects.order_by("pk").values_list("pk", flat=True))
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM catalog_title_fts")
        index_titles(ids)
        terms.refresh_terms()
    return len(ids)


# --- searching ---------------------------------------------------------------------
#
# One search is four queries whatever the catalog's size: the libraries (for the facet
# labels), the best CANDIDATES matches with every filter applied in SQL (plus their
# exact count when there are more), then those titles and their copies per library.
# Facet counts and the order a patron reads come from facets.py, in Python, over the
# candidates alone, so their cost does not grow with the catalog.


def sqlite_match(tokens: list[str], field: str) -> str:
    """FTS5 MATCH text. Each token is a quoted string (quotes doubled), so no user text
    is ever FTS syntax; a token of PREFIX_MIN letters or more also matches as a prefix."""
    terms = " AND ".join(
        '"{}"{}'.format(t.replace('"', '""'), "*" if len(t) >= PREFIX_MIN else "") for t in tokens
    )
    if field in FTS5_COLUMN:
        return f"{{{FTS5_COLUMN[field]}}} : ({terms})"
    return terms


def postgresql_query(tokens: list[str], field: str) -> str:
    """to_tsquery text. Tokens hold letters and digits only: they cannot carry operators."""
    weight = TS_WEIGHT.get(field, "")
    return " & ".join(
        f"{t}:{'*' if len(t) >= PREFIX_MIN else ''}{weight}".rstrip(":") for t in tokens
    )


def _filter_sql(
    id_column: str, filters: SearchFilters, library_id: int | None
) -> tuple[str, list, bool]:
    """WHERE conditions for the filters, their parameters, and whether they need the
    catalog_title join. Copies are asked through EXISTS on the (title, library, status)
    index, so a filter costs one index probe per matching title."""
    conditions: list[str] = []
    params: list[object] = []
    if filters.format:
        conditions.append("t.format = %s")
        params.append(filters.format)
    if filters.language:
        conditions.append("t.language = %s")
        params.append(filters.language)
    if filters.year_range:
        conditions.append("t.year BETWEEN %s AND %s")
        params.extend(filters.year_range)
    needs_title = bool(conditions)
    if filters.available or library_id is not None:
        copy = [f"i.title_id = {id_column}"]
        if filters.available:
            copy.append("i.status = %s")
            params.append(Item.Status.AVAILABLE.value)
        else:
            copy.append("i.status <> %s")
            params.append(Item.Status.WITHDRAWN.value)
        if library_id is not None:
            copy.append("i.owning_library_id = %s")
            params.append(library_id)
        conditions.append(f"EXISTS (SELECT 1 FROM catalog_item i WHERE {' AND '.join(copy)})")
    return "".join(f" AND {c}" for c in conditions), params, needs_title


# The candidate statement, the same shape on both databases:
#   main:   the first CORE matches that pass the filters, each with its score;
#   titles: for a keyword search whose main pass is full, the first TITLE_CORE matches
#           in the title alone, so that a title match is not crowded out by subject
#           matches (run only when main is full: the gate reads main's row count);
#   best:   the best CANDIDATES of the two;
#   then each with its title row, its copies per library and status, and main's size
#   (the exact total up to CORE), in the same statement.
# The exact-title boost is decided in Python on the candidates (facets.order): reading
# the stored title of every match would cost more than ranking it.
CANDIDATE_SQL = """
WITH main AS MATERIALIZED ({main}),
titles AS ({titles}),
best AS (
    SELECT id, max(score) AS score FROM (SELECT * FROM main UNION ALL SELECT * FROM titles) u
    GROUP BY id ORDER BY 2 DESC, 1 LIMIT %s
)
SELECT best.id, best.score, (SELECT count(*) FROM main), t.title, t.author, t.year,
       t.format, t.language, i.owning_library_id, count(i.title_id),
       coalesce(sum(CASE WHEN i.status = %s THEN 1 ELSE 0 END), 0)
FROM best JOIN catalog_title t ON t.id = best.id
LEFT JOIN catalog_item i ON i.title_id = best.id AND i.status <> %s
GROUP BY best.id, best.score, t.title, t.author, t.year, t.format, t.language,
         i.owning_library_id
"""
GATE = " AND (SELECT count(*) FROM main) >= %s"
NO_TITLES = "SELECT id, score FROM main WHERE 1 = 0"


def _sqlite_pass(
    match: str, /, where: str, params: list, join: bool, limit: int, gate: str = ""
) -> tuple[str, list]:
    title_join = " JOIN catalog_title t ON t.id = catalog_title_fts.rowid" if join else ""
    weights = ", ".join(map(str, BM25_WEIGHTS))
    # FTS5 walks its matches in rowid order, computing bm25 only for the rows the
    # LIMIT keeps: the cost is bounded by the limit however many titles match.
    sql = (
        "SELECT * FROM (SELECT catalog_title_fts.rowid AS id,"
        f" -bm25(catalog_title_fts, {weights}) AS score FROM catalog_title_fts{title_join}"
        f" WHERE catalog_title_fts MATCH %s{where}{gate}"
        " ORDER BY catalog_title_fts.rowid LIMIT %s)"
    )
    return sql, [match, *params, *([CORE] if gate else []), limit]


def _postgresql_pass(
    query: str, /, where: str, params: list, join: bool, limit: int, gate: str = ""
) -> tuple[str, list]:
    title_join = " JOIN catalog_title t ON t.id = f.title_id" if join else ""
    # The first matches the scan yields (a bitmap scan for rare words, a sequential one
    # for common words: in storage order, close to id order, with no sort), then
    # ts_rank on those alone.
    sql = (
        f"SELECT m.title_id AS id, ts_rank('{TS_RANK_WEIGHTS}', m.document, q) AS score"
        " FROM (SELECT f.title_id, f.document"
        f" FROM catalog_title_fts f{title_join}"
        f" WHERE f.document @@ to_tsquery('simple', %s){where}{gate}"
        " LIMIT %s) m, to_tsquery('simple', %s) q"
    )
    return sql, [query, *params, *([CORE] if gate else []), limit, query]


def _full_text_candidates(
    tokens: list[str], field: str, filters: SearchFilters, library_id: int | None
) -> tuple[int, list[Candidate], bool]:
    """(total, the best candidates, whether more than CORE titles match)."""
    if connection.vendor == "sqlite":
        id_column, run_pass, express = "catalog_title_fts.rowid", _sqlite_pass, sqlite_match
    elif connection.vendor == "postgresql":
        id_column, run_pass, express = "f.title_id", _postgresql_pass, postgresql_query
    else:
        raise NotImplementedError(f"catalog search does not support {connection.vendor}")
    where, params, join = _filter_sql(id_column, filters, library_id)
    main_sql, main_params = run_pass(express(tokens, field), where, params, join, CORE)
    titles_sql = NO_TITLES
    titles_params: list[object] = []
    if field == "keyword":
        titles_sql, titles_params = run_pass(
            express(tokens, "title"), where, params, join, TITLE_CORE, GATE
        )
    sql = CANDIDATE_SQL.format(main=main_sql, titles=titles_sql)
    arguments = [*main_params, *titles_params, CANDIDATES + 1]
    arguments += [Item.Status.AVAILABLE.value, Item.Status.WITHDRAWN.value]
    exact = " ".join(tokens)
    by_id: dict[int, Candidate] = {}
    matched = 0
    with connection.cursor() as cursor:
        cursor.execute(sql, arguments)
        rows = cursor.fetchall()
    for pk, score, main_size, title, author, year, fmt, language, library, n, avail in rows:
        matched = main_size
        c = by_id.get(pk)
        if c is None:
            c = by_id[pk] = Candidate(
                pk,
                float(score),
                " ".join(words(title)) == exact,
                title,
                author,
                year,
                fmt,
                language,
            )
        if library is not None:
            c.copies[library] = (n, avail)
    candidates = list(by_id.values())
    if len(candidates) > CANDIDATES:
        order(candidates, "relevance")
        candidates = candidates[:CANDIDATES]
    # The main pass holds every match up to CORE: its size is the exact total, or,
    # when full, a floor ("more than CORE").
    more = matched >= CORE
    return (CORE if more else matched), candidates, more


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


def _fill(candidates: list[Candidate]) -> list[Candidate]:
    """Read the candidates' titles and copies per library; drop ids with no title left
    (an index row whose title was merged away)."""
    ids = [c.title_id for c in candidates]
    titles = {
        row[0]: row
        for row in Title.objects.filter(pk__in=ids).values_list(
            "pk", "title", "author", "year", "format", "language"
        )
    }
    copies = (
        Item.objects.filter(title_id__in=ids)
        .exclude(status=Item.Status.WITHDRAWN)
        .values_list("title_id", "owning_library_id")
        .annotate(total=Count("pk"), available=Count("pk", filter=Q(status=Item.Status.AVAILABLE)))
        .order_by()
    )
    by_title: dict[int, dict[int, tuple[int, int]]] = {}
    for title_id, library_id, total, available in copies:
        by_title.setdefault(title_id, {})[library_id] = (total, available)
    kept = []
    for c in candidates:
        row = titles.get(c.title_id)
        if row is None:
            continue
        _, c.title, c.author, c.year, c.format, c.language = row
        c.copies = by_title.get(c.title_id, {})
        kept.append(c)
    return kept


def _libraries() -> dict[int, tuple[str, str]]:
    return {
        pk: (code, name) for pk, code, name in Library.objects.values_list("pk", "code", "name")
    }


def search_titles(
    query: str,
    *,
    field: str = "keyword",
    filters: SearchFilters = NO_FILTERS,
    sort: str = "relevance",
    page: int = 1,
    per_page: int = 20,
) -> SearchResults:
    """Titles matching every word of `query`, narrowed by `filters`, best match first.

    A page past the last one shows the last page (`page_clamped` says so); an unknown
    field or sort falls back to keyword and relevance; a library code that is not a
    member matches nothing.
    """
    field = field if field in FIELDS else "keyword"
    sort = sort if sort in SORTS else "relevance"
    per_page = min(max(1, per_page), MAX_PER_PAGE)
    libraries = _libraries()
    library_id = None
    if filters.library:
        library_id = next((pk for pk, (code, _) in libraries.items() if code == filters.library), 0)
    if field == "isbn":
        isbn = normalize_isbn(query.strip())
        found = [Candidate(pk, 0.0) for pk in _isbn_ids(isbn)] if isbn else []
        candidates = [c for c in _fill(found) if passes(c, filters, library_id)]
        total, more = len(candidates), False
    else:
        tokens = query_tokens(query)
        total, candidates, more = (
            _full_text_candidates(tokens, field, filters, library_id) if tokens else (0, [], False)
        )
    order(candidates, sort, library_id)
    reachable = min(total, len(candidates))
    last_page = max(1, -(-reachable // per_page))
    clamped = page > last_page
    page = min(max(1, page), last_page)
    offset = (page - 1) * per_page
    hits = [
        SearchHit(
            title_id=c.title_id,
            title=c.title,
            author=c.author,
            year=c.year,
            format=c.format,
            total_copies=c.total_copies,
            available_copies=c.available_copies,
        )
        for c in candidates[offset : offset + per_page]
    ]
    hits = _with_scripts(hits)
    facets = count_facets(
        candidates,
        format_labels=FORMAT_LABELS,
        language_labels=LANGUAGE_NAMES,
        libraries=libraries,
        library_id=library_id,
    )
    return SearchResults(
        query=query,
        field=field,
        total=total,
        page=page,
        per_page=per_page,
        hits=hits,
        filters=filters,
        sort=sort,
        facets=facets,
        counted=len(candidates),
        page_clamped=clamped,
        more=more,
    )


def _with_scripts(hits: list[SearchHit]) -> list[SearchHit]:
    """The page's hits with their original-script title and author, in one query."""
    if not hits:
        return hits
    found = {
        pk: (lines, language)
        for pk, lines, language in Title.objects.filter(pk__in=[h.title_id for h in hits])
        .exclude(vernacular="")
        .values_list("pk", "vernacular", "language")
    }
    return [
        replace(
            h,
            vernacular_title=first_of(found[h.title_id][0], TITLE, found[h.title_id][1]),
            vernacular_author=first_of(found[h.title_id][0], AUTHOR, found[h.title_id][1]),
        )
        if h.title_id in found
        else h
        for h in hits
    ]


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
