"""Facets and ordering of a search's candidates: plain Python, no ORM (see docs/search.md).

`catalog/search.py` reads the best matches of a query (at most `CANDIDATES` of them) with
each one's copies per library; everything here works on those rows alone: which facet
values they hold and how many titles each, and the order a patron sees them in.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

# The facet counts and the pages a patron can reach cover the best CANDIDATES matches;
# beyond that a search says "about" and asks for another word or a facet.
CANDIDATES = 500
# A search scores at most CORE matches (the first the index yields), and TITLE_CORE
# title matches more when there are more than CORE: a word in a tenth of a million
# titles costs no more than a rarer one. Totals are exact up to CORE; past it the page
# says "more than 2,000".
CORE = 2000
TITLE_CORE = 500
SORTS = {"relevance": "Relevance", "newest": "Newest first", "title": "Title A–Z"}
FIRST_DECADE = 1000
LAST_DECADE = 2090
DECADE = re.compile(r"^[0-9]{4}$")
LANGUAGE = re.compile(r"^[a-z]{3}$")
# Score differences below this are ties, broken by availability and then by title.
TIE = 1e-6


@dataclass(frozen=True)
class SearchFilters:
    """What the patron narrowed the search to; empty strings and None mean 'any'."""

    format: str = ""
    language: str = ""
    decade: int | None = None
    library: str = ""  # a library code: owns a copy (with `available`: an available copy)
    available: bool = False

    @property
    def active(self) -> bool:
        return bool(self.format or self.language or self.decade is not None or self.library) or (
            self.available
        )

    @property
    def year_range(self) -> tuple[int, int] | None:
        return None if self.decade is None else (self.decade, self.decade + 9)

    def without(self, name: str) -> SearchFilters:
        return replace(self, **{name: getattr(SearchFilters(), name)})

    def params(self) -> dict[str, str]:
        """The filters as query-string parameters (only those that are set)."""
        found = {
            "format": self.format,
            "language": self.language,
            "decade": "" if self.decade is None else str(self.decade),
            "library": self.library,
            "available": "1" if self.available else "",
        }
        return {k: v for k, v in found.items() if v}

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> SearchFilters:
        """Lenient reading for scripts: a value that is not well formed is ignored.
        The search page validates through `SearchForm` and says what is wrong instead."""
        decade = parse_decade(params.get("decade", ""))
        language = params.get("language", "")
        return cls(
            format=params.get("format", ""),
            language=language if language == "" or LANGUAGE.match(language) else "",
            decade=decade,
            library=params.get("library", ""),
            available=params.get("available", "") in ("1", "on", "true", "yes"),
        )


def parse_decade(text: str) -> int | None:
    """'1990' -> 1990; anything that is not a four-digit decade start -> None."""
    text = text.strip().removesuffix("s")
    if not DECADE.match(text):
        return None
    value = int(text)
    if value % 10 or not FIRST_DECADE <= value <= LAST_DECADE:
        return None
    return value


@dataclass
class Candidate:
    """One matching title as the search read it: its score and its copies."""

    title_id: int
    score: float  # higher is better on both databases
    exact_title: bool = False
    title: str = ""
    author: str = ""
    year: int | None = None
    format: str = ""
    language: str = ""
    # library id -> (copies, available copies); withdrawn copies are not counted
    copies: dict[int, tuple[int, int]] = field(default_factory=dict)

    @property
    def total_copies(self) -> int:
        return sum(c for c, _ in self.copies.values())

    @property
    def available_copies(self) -> int:
        return sum(a for _, a in self.copies.values())

    def available_at(self, library_id: int | None) -> int:
        if library_id is None:
            return self.available_copies
        return self.copies.get(library_id, (0, 0))[1]


def passes(c: Candidate, filters: SearchFilters, library_id: int | None) -> bool:
    """The filters as the SQL of catalog/search.py applies them, for the ISBN lookup.

    `library_id` is the chosen library's id (0 for a code that is no member's)."""
    if filters.format and c.format != filters.format:
        return False
    if filters.language and c.language != filters.language:
        return False
    if filters.year_range and not (
        c.year is not None and filters.year_range[0] <= c.year <= filters.year_range[1]
    ):
        return False
    if library_id is not None:
        copies, available = c.copies.get(library_id, (0, 0))
        if not (available if filters.available else copies):
            return False
    elif filters.available and not c.available_copies:
        return False
    return True


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int


@dataclass(frozen=True)
class Facets:
    formats: list[FacetValue]
    languages: list[FacetValue]
    decades: list[FacetValue]
    libraries: list[FacetValue]
    available: int  # titles with a copy available now (at the chosen library, if any)

    @property
    def empty(self) -> bool:
        return not (self.formats or self.languages or self.decades or self.libraries)


NO_FACETS = Facets([], [], [], [], 0)


def decade_label(decade: int) -> str:
    return f"{decade}s"


def count_facets(
    candidates: Iterable[Candidate],
    *,
    format_labels: Mapping[str, str],
    language_labels: Mapping[str, str],
    libraries: Mapping[int, tuple[str, str]],
    library_id: int | None = None,
) -> Facets:
    """How many of the candidates carry each facet value; each title counts once.

    `libraries` maps a library id to (code, name). A title counts for a library when
    that library owns a copy that is not withdrawn; `available` counts titles with an
    available copy, at `library_id` when one is chosen.
    """
    formats: Counter[str] = Counter()
    languages: Counter[str] = Counter()
    decades: Counter[int] = Counter()
    owners: Counter[int] = Counter()
    available = 0
    for c in candidates:
        formats[c.format] += 1
        if c.language:
            languages[c.language] += 1
        if c.year is not None:
            decades[c.year // 10 * 10] += 1
        owners.update(lib for lib, (copies, _) in c.copies.items() if copies)
        available += c.available_at(library_id) > 0
    return Facets(
        formats=_by_count(
            (FacetValue(v, format_labels.get(v, v), n) for v, n in formats.items() if v)
        ),
        languages=_by_count(
            FacetValue(v, language_labels.get(v, v), n) for v, n in languages.items()
        ),
        # Decades read best in time order, newest first, as a timeline.
        decades=[
            FacetValue(str(d), decade_label(d), n) for d, n in sorted(decades.items(), reverse=True)
        ],
        libraries=sorted(
            (
                FacetValue(libraries[lib][0], libraries[lib][1], n)
                for lib, n in owners.items()
                if lib in libraries
            ),
            key=lambda f: f.label,
        ),
        available=available,
    )


def _by_count(values: Iterable[FacetValue]) -> list[FacetValue]:
    return sorted(values, key=lambda f: (-f.count, f.label))


def order(candidates: list[Candidate], sort: str, library_id: int | None = None) -> None:
    """Sort in place: the order the patron reads.

    relevance: an exact title match first, then the score; titles whose scores tie are
    ordered with an available copy first, then by title. newest: by year, newest first,
    titles without a year last, then as relevance. title: A-Z, then newest.
    """
    top = max((c.score for c in candidates), default=0.0)
    scale = max(abs(top), 1.0)

    def relevance(c: Candidate) -> tuple:
        return (
            not c.exact_title,
            -round(c.score / scale / TIE) * TIE,
            c.available_at(library_id) == 0,
            c.title.casefold(),
            c.title_id,
        )

    if sort == "newest":
        candidates.sort(key=lambda c: (c.year is None, -(c.year or 0), relevance(c)))
    elif sort == "title":
        candidates.sort(key=lambda c: (c.title.casefold(), -(c.year or 0), c.title_id))
    else:
        candidates.sort(key=relevance)
