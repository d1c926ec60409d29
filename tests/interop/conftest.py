"""A catalog for the interop tests: the test world's Dune plus numbered titles, each a
second apart, owned by the libraries asked for (tests/README.md has the world)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from onelibrary.catalog.models import Item, Title
from onelibrary.catalog.search import index_titles
from onelibrary.members.models import Library

START = dt.datetime(2026, 3, 1, 9, 0, 0, tzinfo=dt.UTC)


def add_titles(
    count: int, *, library: Library, first: int = 1, start: dt.datetime = START
) -> list[Title]:
    """`count` titles "Harvest title N", updated one second apart from `start`, each with
    one copy at `library`'s first branch."""
    branch = library.branches.order_by("pk").first()
    titles = Title.objects.bulk_create(
        Title(
            title=f"Harvest title {n}",
            author=f"Writer {n % 7}, Anna",
            subjects="Rivers\nMontana" if n % 2 else "Mountains",
            isbns="",
            year=1990 + n % 30,
            language="eng",
            publisher="Big Sky Press",
            title_key=f"harvest title {n}",
            updated_at=start + dt.timedelta(seconds=n - first),
        )
        for n in range(first, first + count)
    )
    Item.objects.bulk_create(
        Item(
            barcode=f"H{library.code}{title.pk:08d}",
            title=title,
            owning_library=library,
            home_branch=branch,
            current_branch=branch,
        )
        for title in titles
    )
    index_titles([t.pk for t in titles])
    return titles


@pytest.fixture
def catalog(world):
    """The world, Dune indexed and dated before the rest, and 25 titles owned by ELK."""
    Title.objects.filter(pk=world.dune.pk).update(updated_at=START - dt.timedelta(days=1))
    index_titles([world.dune.pk])
    add_titles(25, library=world.elk)
    return world


@pytest.fixture
def anonymous() -> Client:
    return Client()
