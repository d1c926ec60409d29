"""A parsed CQL query answered by the catalog's own search (catalog/search.py).

Each search clause is one catalog search on one field, so a clause finds what the
catalog's search page finds for the same words; booleans combine the clauses' results
in Python, in the order of the left-hand side's ranking. Each clause reads the best
CANDIDATES matches, the most the catalog's pages reach (docs/interop.md).
"""

from __future__ import annotations

from onelibrary.catalog.search import ranked_ids
from onelibrary.interop.cql import Boolean, Node, Term

# CQL index -> catalog search field.
INDEXES = {
    "cql.serverchoice": "keyword",
    "cql.anywhere": "keyword",
    "cql.allindexes": "keyword",
    "cql.anyindexes": "keyword",
    "cql.keywords": "keyword",
    "serverchoice": "keyword",
    "any": "keyword",
    "anywhere": "keyword",
    "keyword": "keyword",
    "dc.anywhere": "keyword",
    "title": "title",
    "dc.title": "title",
    "bath.title": "title",
    "author": "author",
    "creator": "author",
    "dc.creator": "author",
    "dc.author": "author",
    "bath.author": "author",
    "bath.name": "author",
    "subject": "subject",
    "dc.subject": "subject",
    "bath.subject": "subject",
    "isbn": "isbn",
    "bath.isbn": "isbn",
}
# Every word must match (the catalog's search); adj and == are read as all words too,
# the catalog keeping no word positions. `any`: one of the words.
ALL_WORDS = ("=", "==", "all", "adj", "cql.all", "cql.adj")
ANY_WORD = ("any", "cql.any")
SUPPORTED_BOOLEANS = ("and", "or", "not")


class Unanswerable(Exception):
    """A part of the query the catalog cannot answer, as an SRU diagnostic number."""

    def __init__(self, diagnostic: int, details: str, message: str):
        super().__init__(message)
        self.diagnostic = diagnostic
        self.details = details
        self.message = message


def answer(node: Node) -> list[int]:
    """The ids of the titles the query finds, best first."""
    if isinstance(node, Boolean):
        if node.operator not in SUPPORTED_BOOLEANS:
            raise Unanswerable(
                37, node.operator, f"The boolean {node.operator!r} is not supported."
            )
        if node.modifiers:
            raise Unanswerable(46, node.modifiers[0], "Boolean modifiers are not supported.")
        left, right = answer(node.left), answer(node.right)
        if node.operator == "and":
            keep = set(right)
            return [i for i in left if i in keep]
        if node.operator == "not":
            drop = set(right)
            return [i for i in left if i not in drop]
        seen = set(left)
        return left + [i for i in right if i not in seen]
    return _term(node)


def _term(term: Term) -> list[int]:
    field = INDEXES.get(term.index)
    if field is None:
        raise Unanswerable(16, term.index, f"The index {term.index!r} is not supported.")
    if term.modifiers:
        raise Unanswerable(20, term.modifiers[0], "Relation modifiers are not supported.")
    if term.relation not in ALL_WORDS + ANY_WORD:
        raise Unanswerable(19, term.relation, f"The relation {term.relation!r} is not supported.")
    if not term.term.strip():
        raise Unanswerable(27, "", "An empty search term is not supported.")
    if term.relation in ANY_WORD and field != "isbn":
        found: list[int] = []
        seen: set[int] = set()
        for word in term.term.split():
            ids, _ = ranked_ids(word, field=field)
            found += [i for i in ids if i not in seen]
            seen.update(ids)
        return found
    ids, _ = ranked_ids(term.term, field=field)
    return ids
