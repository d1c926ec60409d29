"""The search index's vocabulary: its words and how many titles have each.

"Did you mean" (catalog/suggest.py) picks its corrections from here, so it only ever
suggests words the catalog has. The words come from the index itself: titles, authors
and subjects, folded as search folds them; identifiers (ISBNs, control numbers) and
words of digits alone are left out, as are words shorter than a prefix search (3).

- `refresh_terms()` counts every word again from the index: SQLite reads the FTS5
  index through its fts5vocab table, PostgreSQL through ts_stat(), each one statement.
  `rebuild_index()`, the MARC import command and the demo loader call it.
- `add_terms()` adds the words of newly indexed titles, counted once, so that an edit
  between refreshes is already in the vocabulary; the next refresh counts it right.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models.functions import Length

from onelibrary.catalog.models import SearchTerm

MIN_LENGTH = 3
MAX_LENGTH = 64
# Terms read as candidates for one word, per range: enough for a two-letter start on a
# large catalog, few enough to compare in tens of milliseconds.
CANDIDATES = 2000

# SQLite: a title counts once for each field the word is in (the vocabulary table
# counts per column); PostgreSQL counts titles. Only the order of frequencies matters.
REFRESH_SQL = {
    "sqlite": """
        INSERT INTO catalog_searchterm (term, titles)
        SELECT term, sum(doc) FROM catalog_title_fts_vocab
        WHERE col IN ('title', 'author', 'subjects')
          AND length(term) BETWEEN %s AND %s AND term GLOB '*[^0-9]*'
        GROUP BY term
    """,
    "postgresql": """
        INSERT INTO catalog_searchterm (term, titles)
        SELECT word, ndoc FROM ts_stat('SELECT document FROM catalog_title_fts', 'ABC')
        WHERE length(word) BETWEEN %s AND %s AND word !~ '^[0-9]+$'
    """,
}


def refresh_terms() -> int:
    """Count the index's words again. Returns the number of terms."""
    if connection.vendor not in REFRESH_SQL:
        raise NotImplementedError(f"catalog search does not support {connection.vendor}")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM catalog_searchterm")
        cursor.execute(REFRESH_SQL[connection.vendor], [MIN_LENGTH, MAX_LENGTH])
    return SearchTerm.objects.count()


def is_term(word: str) -> bool:
    return MIN_LENGTH <= len(word) <= MAX_LENGTH and not word.isdigit()


def add_terms(words: Iterable[str]) -> None:
    """Add words not yet in the vocabulary (counted once until the next refresh)."""
    new = sorted({w for w in words if is_term(w)})
    SearchTerm.objects.bulk_create(
        (SearchTerm(term=w, titles=1) for w in new), ignore_conflicts=True, batch_size=500
    )


def _after(prefix: str) -> str:
    """The first string after every string starting with `prefix`: a range for the
    term index, which (unlike LIKE under a PostgreSQL locale) every database can use."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def starts_a_term(word: str) -> bool:
    """A term is this word or starts with it (a search matches words of 3+ letters as
    prefixes, so such a word is not misspelt)."""
    return SearchTerm.objects.filter(term__gte=word, term__lt=_after(word)).exists()


def candidates(word: str, slack: int) -> list[tuple[str, int]]:
    """Terms that could be `word` misspelt by up to `slack` edits, with their titles.

    A length within `slack`, and either the same first two letters (every such term,
    up to CANDIDATES) or the same first letter (the CANDIDATES most frequent): a slip is
    rarely in the first letter, and a rarer word is found when the slip is further on.
    Two ranges of the term index, however large the vocabulary."""
    near = SearchTerm.objects.annotate(length=Length("term")).filter(
        length__gte=len(word) - slack, length__lte=len(word) + slack
    )
    found: dict[str, int] = {}
    for prefix in (word[:2], word[0]):
        rows = (
            near.filter(term__gte=prefix, term__lt=_after(prefix))
            .order_by("-titles", "term")
            .values_list("term", "titles")[:CANDIDATES]
        )
        found.update(rows)
    return list(found.items())
