"""Search that forgives: "Did you mean winter road?" when "wintr raod" finds nothing.

Each word of the query that no indexed word starts with is replaced by the closest
frequent word of the index's vocabulary (catalog/terms.py): the fewest edits (a letter
added, dropped, changed, or two letters swapped), then the most titles. The suggestion
is offered only when, searched with the same field and filters, it finds something.
`closest` and `edits` are plain functions, tested without a database.
"""

from __future__ import annotations

from collections.abc import Iterable

from onelibrary.catalog import terms
from onelibrary.catalog.facets import SearchFilters
from onelibrary.catalog.search import NO_FILTERS, PREFIX_MIN, query_tokens, search_titles


def slack(word: str) -> int:
    """Edits allowed: one in a short word, two from five letters up."""
    return 1 if len(word) <= 4 else 2


def edits(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (Levenshtein with adjacent swaps counted as one
    edit), or `limit + 1` as soon as it must exceed `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = ca != cb
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], before[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        before, previous = previous, current
    return min(previous[-1], limit + 1)


def closest(word: str, vocabulary: Iterable[tuple[str, int]]) -> str | None:
    """The vocabulary's term closest to `word` within `slack(word)` edits; among equally
    close terms the one most titles have, then the first alphabetically."""
    limit = slack(word)
    best: tuple[int, int, str] | None = None
    for term, titles in vocabulary:
        distance = edits(word, term, limit)
        if distance <= limit and (best is None or (distance, -titles, term) < best):
            best = (distance, -titles, term)
    return best[2] if best else None


def correct(word: str) -> str:
    """The word as it should be searched: as it is when it is too short to correct,
    a number, or the start of an indexed word; else its closest term, if any."""
    if len(word) < PREFIX_MIN or word.isdigit() or terms.starts_a_term(word):
        return word
    return closest(word, terms.candidates(word, slack(word))) or word


def did_you_mean(query: str, *, field: str = "keyword", filters: SearchFilters = NO_FILTERS) -> str:
    """A corrected query that finds titles, or "" when there is none to offer."""
    if field == "isbn":
        return ""
    words = query_tokens(query)
    suggestion = [correct(w) for w in words]
    if suggestion == words:
        return ""
    text = " ".join(suggestion)
    found = search_titles(text, field=field, filters=filters, per_page=1)
    return text if found.total else ""
