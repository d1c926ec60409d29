"""The links of the public search page: facet values, removable chips, pages.

Every facet choice is a plain GET link carrying the whole search, so the page works
with the keyboard and without JavaScript; htmx only refreshes the results while typing.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from onelibrary.catalog.facets import FacetValue, SearchFilters, decade_label
from onelibrary.catalog.languages import language_name
from onelibrary.catalog.search import FORMAT_LABELS, SearchResults

# Facet lists longer than this show the rest under "More".
SHOWN = 8


@dataclass(frozen=True)
class Link:
    label: str
    count: int
    url: str
    selected: bool = False


@dataclass(frozen=True)
class FacetGroup:
    name: str  # the query-string parameter
    heading: str
    shown: list[Link]
    more: list[Link]


@dataclass(frozen=True)
class Chip:
    label: str
    remove_url: str


def url(query: str, field: str, sort: str, filters: SearchFilters, page: int = 1) -> str:
    """The search as a query string. Defaults are left out, so links stay short."""
    params = {"q": query, "field": field or "keyword", **filters.params()}
    if sort and sort != "relevance":
        params["sort"] = sort
    if page > 1:
        params["page"] = str(page)
    return "?" + urlencode(params)


def page_url(results: SearchResults, page: int) -> str:
    params = {"q": results.query, "field": results.field, **results.filters.params()}
    if results.sort != "relevance":
        params["sort"] = results.sort
    params["page"] = str(page)
    return "?" + urlencode(params)


def _links(results: SearchResults, name: str, values: list[FacetValue]) -> list[Link]:
    current = results.filters.params().get(name, "")
    return [
        Link(
            label=v.label,
            count=v.count,
            url=url(
                results.query,
                results.field,
                results.sort,
                SearchFilters.from_params({**results.filters.params(), name: v.value}),
            ),
            selected=v.value == current,
        )
        for v in values
    ]


def facet_groups(results: SearchResults) -> list[FacetGroup]:
    facets = results.facets
    if facets is None:
        return []
    groups = []
    for name, heading, values in (
        ("format", "Format", facets.formats),
        ("language", "Language", facets.languages),
        ("decade", "Published", facets.decades),
        ("library", "Library", facets.libraries),
    ):
        links = _links(results, name, values)
        if links:
            groups.append(FacetGroup(name, heading, links[:SHOWN], links[SHOWN:]))
    return groups


def available_link(results: SearchResults) -> Link | None:
    """'Available now', at the chosen library when there is one."""
    if results.facets is None or not results.facets.available or results.filters.available:
        return None
    where = f" at {_library_name(results)}" if results.filters.library else ""
    return Link(
        label=f"Available now{where}",
        count=results.facets.available,
        url=url(
            results.query,
            results.field,
            results.sort,
            SearchFilters.from_params({**results.filters.params(), "available": "1"}),
        ),
    )


def _library_name(results: SearchResults) -> str:
    if results.facets:
        for v in results.facets.libraries:
            if v.value == results.filters.library:
                return v.label
    return results.filters.library


def chips(results: SearchResults) -> list[Chip]:
    """One removable chip per chosen facet, in a fixed order."""
    f = results.filters
    labels = {
        "format": f"Format: {FORMAT_LABELS.get(f.format, f.format)}",
        "language": f"Language: {language_name(f.language)}",
        "decade": f"Published: {decade_label(f.decade)}" if f.decade is not None else "",
        "library": f"Library: {_library_name(results)}",
        "available": "Available now",
    }
    return [
        Chip(
            label=labels[name],
            remove_url=url(results.query, results.field, results.sort, f.without(name)),
        )
        for name in ("format", "language", "decade", "library", "available")
        if f.params().get(name)
    ]


def sort_links(results: SearchResults) -> list[Link]:
    from onelibrary.catalog.facets import SORTS

    return [
        Link(
            label=label,
            count=0,
            url=url(results.query, results.field, sort, results.filters),
            selected=sort == results.sort,
        )
        for sort, label in SORTS.items()
    ]
