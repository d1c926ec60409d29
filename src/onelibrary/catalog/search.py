"""Catalog search behind one interface (placeholder until the search work lands)."""

from collections.abc import Iterable


def index_titles(title_ids: Iterable[int]) -> None:
    """(Re)build the full-text index rows of these titles."""
