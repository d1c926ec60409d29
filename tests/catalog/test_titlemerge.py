"""Merging a duplicate title into another (catalog/titlemerge.py)."""

from __future__ import annotations

import pytest

from onelibrary.catalog.models import Item, RetiredTitle, Title, TitleIdentifier
from onelibrary.catalog.search import index_titles, search_titles
from onelibrary.catalog.titlemerge import MergeRefused, merge_titles
from onelibrary.holds.models import Hold


@pytest.fixture
def duplicate(world) -> Title:
    """A second record for Dune that the import did not match (no ISBN, a typo)."""
    twin = Title.objects.create(
        title="Dune (paperback)",
        author="",
        subjects="Ecology",
        isbns="9780593099322",
        publisher="Ace",
        title_key="dune paperback||",
    )
    TitleIdentifier.objects.create(title=twin, kind="isbn", value="9780593099322")
    Item.objects.create(
        barcode="ELK-DUNE-2",
        title=twin,
        owning_library=world.elk,
        home_branch=world.elk_main,
        current_branch=world.elk_main,
    )
    index_titles([twin.pk, world.dune.pk])
    return twin


def test_it_moves_copies_and_identifiers_and_leaves_a_retired_title(world, duplicate):
    before = world.dune.updated_at
    kept = merge_titles(world.central, keep_id=world.dune.pk, duplicate_id=duplicate.pk)
    assert not Title.objects.filter(pk=duplicate.pk).exists()
    assert Item.objects.get(barcode="ELK-DUNE-2").title_id == world.dune.pk
    assert TitleIdentifier.objects.get(value="9780593099322").title_id == world.dune.pk
    assert kept.isbn_list == ["9780441013593", "9780593099322"]
    assert kept.subject_list == ["Science fiction", "Deserts", "Ecology"]
    assert kept.publisher == "Ace" and kept.author == "Herbert, Frank"  # blanks filled only
    assert kept.updated_at > before
    retired = RetiredTitle.objects.get(title_id=duplicate.pk)
    assert (retired.reason, retired.merged_into, retired.libraries) == (
        "merged",
        world.dune.pk,
        "ELK",
    )
    # Search finds the kept title by the duplicate's ISBN, and no trace of the duplicate.
    found = search_titles("9780593099322", field="isbn")
    assert [h.title_id for h in found.hits] == [world.dune.pk]
    assert [h.title_id for h in search_titles("paperback").hits] == []


def test_only_the_central_office_merges(world, duplicate):
    with pytest.raises(MergeRefused, match="Only the central office"):
        merge_titles(world.admin_riv, keep_id=world.dune.pk, duplicate_id=duplicate.pk)
    assert Title.objects.filter(pk=duplicate.pk).exists()


def test_unknown_or_same_titles_are_refused(world, duplicate):
    with pytest.raises(MergeRefused, match="There is no title 999999"):
        merge_titles(world.central, keep_id=world.dune.pk, duplicate_id=999999)
    with pytest.raises(MergeRefused, match="into itself"):
        merge_titles(world.central, keep_id=world.dune.pk, duplicate_id=world.dune.pk)


def test_a_title_with_holds_is_refused_and_nothing_changes(world, duplicate):
    Hold.objects.create(patron=world.ada, title=duplicate, pickup_branch=world.riv_main)
    with pytest.raises(MergeRefused, match="holds"):
        merge_titles(world.central, keep_id=world.dune.pk, duplicate_id=duplicate.pk)
    assert Item.objects.get(barcode="ELK-DUNE-2").title_id == duplicate.pk
    assert not RetiredTitle.objects.exists()
