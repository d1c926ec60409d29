"""A bad dump stops the import with the file and line, and nothing is written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from onelibrary.catalog.models import Item, Title
from onelibrary.evergreen.models import EvergreenKey
from onelibrary.members.models import Branch, Library


@pytest.fixture
def dump(concerto, tmp_path) -> Path:
    copy = tmp_path / "dump"
    shutil.copytree(concerto, copy)
    return copy


def nothing_written() -> bool:
    return not any(m.objects.exists() for m in (Library, Branch, Title, Item, EvergreenKey))


@pytest.mark.django_db
def test_a_missing_file_is_named(dump):
    (dump / "asset.copy.sql").unlink()
    with pytest.raises(CommandError, match=r"asset\.copy\.sql: missing"):
        call_command("import_evergreen", str(dump))
    assert nothing_written()


@pytest.mark.django_db
def test_a_truncated_copy_block_names_the_file_and_the_line_it_starts(dump):
    path = dump / "asset.copy_location.sql"
    lines = path.read_text().splitlines(keepends=True)
    path.write_text("".join(lines[:20]))  # cut before the block's end marker
    with pytest.raises(CommandError, match=r"asset\.copy_location\.sql, line 1: .*never ends"):
        call_command("import_evergreen", str(dump))
    assert nothing_written()


@pytest.mark.django_db
def test_a_row_with_a_column_too_few_names_the_line(dump):
    path = dump / "asset.call_number.sql"
    lines = path.read_text().splitlines(keepends=True)
    lines[4] = lines[4].replace("\t", " ", 1)  # line 5: two columns run together
    path.write_text("".join(lines))
    with pytest.raises(CommandError, match=r"asset\.call_number\.sql, line 5: 12 columns"):
        call_command("import_evergreen", str(dump))
    assert nothing_written()


@pytest.mark.django_db(transaction=True)
def test_a_clash_found_while_writing_undoes_everything_written_before_it(dump):
    path = dump / "actor.usr.minimal.tsv"
    path.write_text(path.read_text())  # unchanged: the clash is a card already here
    from onelibrary.patrons.models import Patron

    taken = Library.objects.create(code="ZZZ", name="Already here", size_class="small")
    Patron.objects.create(
        card="EG00000002",
        first_name="A",
        last_name="B",
        home_library=taken,
        expires_on="2030-01-01",
    )
    with pytest.raises(CommandError, match=r"card EG00000002 is already a patron"):
        call_command("import_evergreen", str(dump))
    assert list(Library.objects.values_list("code", flat=True)) == ["ZZZ"]
    assert not Title.objects.exists() and not Item.objects.exists()
    assert not EvergreenKey.objects.exists()
