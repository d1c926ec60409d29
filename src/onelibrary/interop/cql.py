"""A small CQL (Contextual Query Language) parser: the part of CQL an SRU catalog uses.

    query        ::= clause (boolean modifiers clause)*     left to right, one precedence
    clause       ::= "(" query ")" | index relation modifiers term | term
    boolean      ::= and | or | not | prox
    modifiers    ::= ("/" word [comparitor term])*

Plain data out (`Term`, `Boolean`); no ORM, no Django. What the catalog cannot answer
(an index, a relation, a modifier, prox) the parser still reads: interop/sru.py refuses
it with the right SRU diagnostic. docs/decisions.md says why this is ours.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

BOOLEANS = ("and", "or", "not", "prox")
COMPARITORS = ("==", "<>", "<=", ">=", "=", "<", ">")
NAMED_RELATIONS = ("adj", "all", "any", "within", "encloses")
TOKEN = re.compile(
    r'\s*(?:(?P<quoted>"(?:[^"\\]|\\.)*")|(?P<symbol>==|<>|<=|>=|[()=<>/])|(?P<word>[^\s()=<>/"]+))'
)


class CqlSyntaxError(ValueError):
    """The query is not CQL; the message says where."""


@dataclass(frozen=True)
class Term:
    index: str  # "cql.serverchoice" when the clause names none
    relation: str
    term: str
    modifiers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Boolean:
    operator: str  # and, or, not, prox
    left: Term | Boolean
    right: Term | Boolean
    modifiers: tuple[str, ...] = ()


Node = Term | Boolean


@dataclass(frozen=True)
class _Token:
    text: str
    quoted: bool


def _tokens(query: str) -> list[_Token]:
    tokens: list[_Token] = []
    at = 0
    while at < len(query):
        if query[at:].strip() == "":
            break
        match = TOKEN.match(query, at)
        if match is None:
            raise CqlSyntaxError(f"Unexpected {query[at:].strip()[:20]!r} at character {at + 1}.")
        if match.group("quoted") is not None:
            inner = match.group("quoted")[1:-1]
            tokens.append(_Token(re.sub(r"\\(.)", r"\1", inner), True))
        else:
            tokens.append(_Token(match.group("symbol") or match.group("word"), False))
        at = match.end()
    return tokens


class _Parser:
    def __init__(self, query: str):
        self.tokens = _tokens(query)
        self.at = 0

    def peek(self) -> _Token | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.peek()
        if token is None:
            raise CqlSyntaxError("The query ends too early: a search term is missing.")
        self.at += 1
        return token

    def is_symbol(self, *symbols: str) -> bool:
        token = self.peek()
        return token is not None and not token.quoted and token.text in symbols

    def is_boolean(self) -> bool:
        token = self.peek()
        return token is not None and not token.quoted and token.text.lower() in BOOLEANS

    def query(self) -> Node:
        node = self.clause()
        while self.is_boolean():
            operator = self.take().text.lower()
            modifiers = self.modifiers()
            node = Boolean(operator, node, self.clause(), modifiers)
        return node

    def clause(self) -> Node:
        if self.is_symbol("("):
            self.take()
            node = self.query()
            if not self.is_symbol(")"):
                raise CqlSyntaxError("A '(' is not closed.")
            self.take()
            return node
        first = self.take()
        if not first.quoted and first.text in ("(", ")", "/", *COMPARITORS):
            raise CqlSyntaxError(f"Expected a search term, found {first.text!r}.")
        relation = self.relation()
        if relation is None:
            return Term("cql.serverchoice", "=", first.text)
        modifiers = self.modifiers()
        term = self.take()
        if not term.quoted and term.text in ("(", ")", "/", *COMPARITORS):
            raise CqlSyntaxError(f"Expected a search term after {first.text} {relation}.")
        return Term(first.text.lower(), relation, term.text, modifiers)

    def relation(self) -> str | None:
        """The relation after an index, if the next tokens are one (the index then needs a term)."""
        token = self.peek()
        if token is None or token.quoted:
            return None
        if token.text in COMPARITORS:
            return self.take().text
        following = self.tokens[self.at + 1] if self.at + 1 < len(self.tokens) else None
        named = token.text.lower()
        # "adj" etc. are relations only when a term follows; else they are a word searched.
        if (named in NAMED_RELATIONS or "." in named) and following is not None:
            ends = not following.quoted and (
                following.text == ")" or following.text.lower() in BOOLEANS
            )
            if not ends:
                return self.take().text.lower()
        return None

    def modifiers(self) -> tuple[str, ...]:
        found: list[str] = []
        while self.is_symbol("/"):
            self.take()
            name = self.take().text.lower()
            if self.is_symbol(*COMPARITORS):
                name += self.take().text + self.take().text
            found.append(name)
        return tuple(found)


def parse(query: str) -> Node:
    """The query as a tree of `Term` and `Boolean`; CqlSyntaxError if it is not CQL."""
    if not query.strip():
        raise CqlSyntaxError("The query is empty.")
    parser = _Parser(query)
    node = parser.query()
    rest = parser.peek()
    if rest is not None:
        raise CqlSyntaxError(f"Unexpected {rest.text!r} after a complete query.")
    return node
