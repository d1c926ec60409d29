"""The catalog over the JSON API: search with facets. One copy by its barcode, with its
loan, is `circulation/items_api.py` (it needs the loans above the catalog)."""

from __future__ import annotations

from typing import Literal

from ninja import Field, Query, Router, Schema

from onelibrary.apiauth import (
    BARCODE_PATTERN,
    ERROR_RESPONSES,
    TEXT_PATTERN,
    ApiError,
    StaffApiRequest,
)
from onelibrary.catalog.facets import NO_FACETS, SearchFilters
from onelibrary.catalog.models import Title
from onelibrary.catalog.search import search_titles
from onelibrary.members.models import Library

router = Router(tags=["catalog"])


# --- search with facets (docs/search.md) ----------------------------------------------


class SearchParams(Schema):
    q: str = Field(..., min_length=1, max_length=500, pattern=TEXT_PATTERN)
    field: Literal["keyword", "title", "author", "subject", "isbn"] = "keyword"
    sort: Literal["relevance", "newest", "title"] = "relevance"
    format: str | None = Field(None, max_length=32, pattern=r"^[a-z_]+$")
    language: str | None = Field(None, pattern=r"^[a-z]{3}$")
    decade: int | None = Field(None, ge=1000, le=2090, multiple_of=10)
    library: str | None = Field(None, max_length=32, pattern=BARCODE_PATTERN)
    available: bool = False
    page: int = Field(1, ge=1, le=1_000_000)
    per_page: int = Field(20, ge=1, le=100)


class HitOut(Schema):
    title_id: int
    title: str
    author: str
    year: int | None
    format: str
    copies: int
    available_copies: int


class FacetValueOut(Schema):
    value: str
    label: str
    count: int


class FacetsOut(Schema):
    format: list[FacetValueOut]
    language: list[FacetValueOut]
    decade: list[FacetValueOut]
    library: list[FacetValueOut]
    available: int


class SearchOut(Schema):
    total: int = Field(description="Titles matching; a floor when `more` is true.")
    more: bool = Field(description="More titles match than `total` (10,000) says.")
    counted: int = Field(description="Matches the facets count; below total when capped.")
    capped: bool
    page: int
    pages: int
    hits: list[HitOut]
    facets: FacetsOut


def _values(values: list) -> list[FacetValueOut]:
    return [FacetValueOut(value=v.value, label=v.label, count=v.count) for v in values]


@router.get(
    "/search", response={200: SearchOut, **ERROR_RESPONSES}, summary="Search titles with facets"
)
def search(request: StaffApiRequest, params: Query[SearchParams]) -> SearchOut:
    """The public search as JSON: ranked titles with availability and facet counts.
    An unknown format or library code is refused (422) rather than matching nothing."""
    if params.format and params.format not in Title.Format.values:
        raise ApiError(422, "invalid_input", f"There is no format {params.format!r}.")
    if params.library and not Library.objects.filter(code=params.library).exists():
        raise ApiError(422, "invalid_input", f"No member library has the code {params.library!r}.")
    results = search_titles(
        params.q,
        field=params.field,
        sort=params.sort,
        page=params.page,
        per_page=params.per_page,
        filters=SearchFilters(
            format=params.format or "",
            language=params.language or "",
            decade=params.decade,
            library=params.library or "",
            available=params.available,
        ),
    )
    facets = results.facets or NO_FACETS
    return SearchOut(
        total=results.total,
        more=results.more,
        counted=results.counted,
        capped=results.capped,
        page=results.page,
        pages=results.num_pages,
        hits=[
            HitOut(
                title_id=h.title_id,
                title=h.title,
                author=h.author,
                year=h.year,
                format=h.format,
                copies=h.total_copies,
                available_copies=h.available_copies,
            )
            for h in results.hits
        ],
        facets=FacetsOut(
            format=_values(facets.formats),
            language=_values(facets.languages),
            decade=_values(facets.decades),
            library=_values(facets.libraries),
            available=facets.available,
        ),
    )
