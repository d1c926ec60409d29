"""Import MARC files: titles shared by the group, copies owned by one library.

Records are read by `marc.py` and written in batches, each batch in one transaction with
a few `__in` look-ups and bulk inserts. docs/marc.md describes the matching and merging
rules; the summary fields are those of `ImportSummary`.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from django.db import DataError, IntegrityError, connection, transaction
from django.db.models import Field, Model, Q
from django.utils import timezone

from onelibrary.catalog.marc import (
    PROFILE_949,
    BadRecord,
    BibRecord,
    Copy,
    HoldingsProfile,
)
from onelibrary.catalog.marcfile import read_marc
from onelibrary.catalog.models import Item, Title, TitleIdentifier, TitleSource
from onelibrary.catalog.search import index_titles
from onelibrary.members.models import Branch, Library

ISBN = TitleIdentifier.Kind.ISBN
OCLC = TitleIdentifier.Kind.OCLC
# Fields a merge may fill in on an existing title; it never overwrites what is there.
MERGED_FIELDS = ["author", "publisher", "language", "year", "oclc_number", "isbns", "subjects"]


class MarcImportError(Exception):
    """The import cannot start (bad library, unreadable file): nothing was imported."""


@dataclass
class ImportSummary:
    records_read: int = 0  # every record met in the files, readable or not
    titles_created: int = 0
    titles_merged: int = 0  # records that matched a title already in the catalog
    items_created: int = 0
    items_present: int = 0  # copies already there: same barcode, title and library
    branch_fallbacks: int = 0  # copies shelved at the library's first active branch
    rejected: list[dict[str, object]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def reject(self, file: str, position: int, reason: str) -> None:
        self.rejected.append({"file": file, "position": position, "reason": reason})

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass
class _Outcome:
    """What one batch would add to the summary, applied only once the batch commits."""

    titles_created: int = 0
    titles_merged: int = 0
    items_created: int = 0
    items_present: int = 0
    fallbacks: Counter[str] = field(default_factory=Counter)
    rejected: list[tuple[int, str]] = field(default_factory=list)


def import_marc(
    paths: Sequence[Path],
    *,
    library: Library,
    profile: HoldingsProfile = PROFILE_949,
    batch_size: int = 500,
    on_progress: Callable[[int], None] | None = None,
) -> ImportSummary:
    """Import every record of these files for `library`; bad records are listed, not fatal."""
    for path in paths:
        _check_readable(path)
    picker = BranchPicker(library)
    summary = ImportSummary()
    fallbacks: Counter[str] = Counter()
    for path in paths:
        name = str(path)
        with path.open("rb") as fh:
            batch: list[BibRecord] = []
            done = 0
            for found in read_marc(fh, profile):
                summary.records_read += 1
                if isinstance(found, BadRecord):
                    summary.reject(name, found.position, found.reason)
                else:
                    summary.warnings.extend(
                        f"{name} record {found.position}: invalid ISBN {text!r} ignored"
                        for text in found.bad_isbns
                    )
                    batch.append(found)
                if len(batch) >= batch_size:
                    _import_batch(batch, name, library, picker, summary, fallbacks)
                    batch = []
                if on_progress is not None:
                    at = fh.tell()
                    on_progress(at - done)
                    done = at
            if batch:
                _import_batch(batch, name, library, picker, summary, fallbacks)
    summary.branch_fallbacks = sum(fallbacks.values())
    summary.warnings.extend(
        f"{count} copies with branch {value!r}: no such branch at {library.code}, "
        f"shelved at {picker.default.code}"
        for value, count in fallbacks.items()
    )
    return summary


def _check_readable(path: Path) -> None:
    try:
        with path.open("rb") as fh:
            fh.read(1)
    except OSError as exc:
        raise MarcImportError(f"Cannot read {path}: {exc.strerror or exc}") from exc
    if path.is_dir():
        raise MarcImportError(f"Cannot read {path}: it is a directory")


class BranchPicker:
    """The branch a copy shelves at, from the holdings' library/branch value.

    The library's active branch whose code is the value (any case), else whose name
    contains it, else the library's first active branch (a fallback, counted).
    """

    def __init__(self, library: Library) -> None:
        self.branches = list(Branch.objects.filter(library=library, is_active=True).order_by("pk"))
        if not self.branches:
            raise MarcImportError(f"Library {library.code} has no active branch for its copies.")
        self.default = self.branches[0]
        self._cache: dict[str, tuple[Branch, bool]] = {}

    def pick(self, value: str) -> tuple[Branch, bool]:
        key = value.strip().casefold()
        if key not in self._cache:
            match = next((b for b in self.branches if b.code.casefold() == key), None)
            if match is None and key:
                match = next((b for b in self.branches if key in b.name.casefold()), None)
            self._cache[key] = (match or self.default, match is None)
        return self._cache[key]


def _import_batch(
    records: list[BibRecord],
    name: str,
    library: Library,
    picker: BranchPicker,
    summary: ImportSummary,
    fallbacks: Counter[str],
) -> None:
    """Write a batch in one transaction; if the database refuses it, go record by record."""
    try:
        outcomes = [_write_batch(records, library, picker)]
    except (IntegrityError, DataError):
        outcomes = []
        for record in records:
            try:
                outcomes.append(_write_batch([record], library, picker))
            except (IntegrityError, DataError) as exc:
                summary.reject(name, record.position, f"the database refused it: {exc}")
    for outcome in outcomes:
        summary.titles_created += outcome.titles_created
        summary.titles_merged += outcome.titles_merged
        summary.items_created += outcome.items_created
        summary.items_present += outcome.items_present
        fallbacks.update(outcome.fallbacks)
        for position, reason in outcome.rejected:
            summary.reject(name, position, reason)


class _Catalog:
    """What the catalog already holds for one batch's keys, plus what the batch adds.

    Titles are `Title` objects: loaded ones have a pk, new ones get theirs on insert, so
    "the same title" is `is` for both.
    """

    def __init__(self, records: list[BibRecord], library: Library) -> None:
        isbns = {i for r in records for i in r.isbns}
        oclcs = {o for r in records for o in r.oclc_numbers}
        hashes = {r.record_hash for r in records}
        keys = {r.title_key for r in records}
        barcodes = {c.barcode for r in records for c in r.copies}

        # The unique index is (library, record_hash): look up this library's records only.
        sources = list(
            TitleSource.objects.filter(library=library, record_hash__in=hashes).values_list(
                "record_hash", "title_id"
            )
        )
        identifiers = list(
            TitleIdentifier.objects.filter(
                Q(kind=ISBN, value__in=isbns) | Q(kind=OCLC, value__in=oclcs)
            ).values_list("kind", "value", "title_id")
        )
        keyed = list(Title.objects.filter(title_key__in=keys).defer("marc").order_by("pk"))
        self.items: dict[str, tuple[Title | int, int]] = {
            barcode: (title_id, owner_id)
            for barcode, title_id, owner_id in Item.objects.filter(
                barcode__in=barcodes
            ).values_list("barcode", "title_id", "owning_library_id")
        }

        titles = {t.pk: t for t in keyed}
        wanted = {s[1] for s in sources} | {i[2] for i in identifiers}
        titles.update(Title.objects.defer("marc").in_bulk(wanted - titles.keys()))
        self.by_hash = {h: titles[t] for h, t in sources}  # what this library sent before
        self.by_identifier = {(k, v): titles[t] for k, v, t in identifiers}
        self.by_key: dict[str, list[Title]] = {}
        for title in keyed:
            self.by_key.setdefault(title.title_key, []).append(title)

    def find(self, record: BibRecord) -> Title | None:
        """Match order: the same record from this library, ISBN, OCLC number, title key."""
        if found := self.by_hash.get(record.record_hash):
            return found
        for kind, values in ((ISBN, record.isbns), (OCLC, record.oclc_numbers)):
            for value in values:
                if found := self.by_identifier.get((kind, value)):
                    return found
        # The key alone is weak evidence: it only joins records of the same format.
        same_key = self.by_key.get(record.title_key, [])
        return next((t for t in same_key if t.format == record.format), None)


def _write_batch(records: list[BibRecord], library: Library, picker: BranchPicker) -> _Outcome:
    now = timezone.now()
    outcome = _Outcome()
    catalog = _Catalog(records, library)
    new_titles: list[Title] = []
    changed: dict[int, Title] = {}
    identifiers: list[tuple[Title, str, str]] = []
    sources: list[tuple[Title, BibRecord]] = []
    items: list[tuple[Title, Copy, Branch]] = []
    codes: dict[int, str] | None = None

    for record in records:
        title = catalog.find(record)
        if title is None:
            title = _new_title(record, now)
            new_titles.append(title)
            catalog.by_key.setdefault(record.title_key, []).append(title)
            outcome.titles_created += 1
        else:
            outcome.titles_merged += 1
            if _merge_into(title, record) and title.pk is not None:
                title.updated_at = now
                changed[title.pk] = title
        for kind, values in ((ISBN, record.isbns), (OCLC, record.oclc_numbers)):
            for value in values:
                if (kind, value) not in catalog.by_identifier:
                    catalog.by_identifier[(kind, value)] = title
                    identifiers.append((title, kind, value))
        if record.record_hash not in catalog.by_hash:
            catalog.by_hash[record.record_hash] = title
            sources.append((title, record))
        if record.copies_without_barcode:
            missing = f"{record.copies_without_barcode} holdings field(s) without a barcode"
            outcome.rejected.append((record.position, missing))
        for copy in record.copies:
            held = catalog.items.get(copy.barcode)
            if held is None:
                branch, fell_back = picker.pick(copy.branch)
                if fell_back:
                    outcome.fallbacks[copy.branch] += 1
                catalog.items[copy.barcode] = (title, library.pk)
                items.append((title, copy, branch))
                continue
            held_title, owner_id = held
            if isinstance(held_title, Title):
                same_title = held_title is title
            else:
                same_title = title.pk is not None and held_title == title.pk
            if same_title and owner_id == library.pk:
                outcome.items_present += 1
                continue
            codes = codes or dict(Library.objects.values_list("pk", "code"))
            if owner_id != library.pk:
                where = f"library {codes[owner_id]}"
            else:
                where = f"another title (#{getattr(held_title, 'pk', held_title) or 'new'})"
            outcome.rejected.append(
                (record.position, f"copy {copy.barcode} already belongs to {where}; not moved")
            )

    with transaction.atomic():
        _insert_titles(new_titles, now)
        Title.objects.bulk_update(changed.values(), [*MERGED_FIELDS, "updated_at"])
        _insert(
            TitleIdentifier,
            ["title", "kind", "value"],
            [(t.pk, kind, value) for t, kind, value in identifiers],
        )
        when = _db_value(TitleSource, "imported_at", now)
        _insert(
            TitleSource,
            ["title", "library", "control_number", "record_hash", "marc", "imported_at"],
            [
                (t.pk, library.pk, r.control_number, r.record_hash, r.source, when)
                for t, r in sources
            ],
        )
        when = _db_value(Item, "created_at", now)
        _insert(Item, ITEM_COLUMNS, [_item_row(t, c, library, b, when) for t, c, b in items])
        outcome.items_created = len(items)
        affected = {t.pk for t in new_titles} | {t.pk for t, _, _ in identifiers} | changed.keys()
        affected |= {t.pk for t, _, _ in items}
        index_titles(sorted(affected))
    return outcome


TITLE_COLUMNS = [
    "title",
    "author",
    "subjects",
    "isbns",
    "oclc_number",
    "format",
    "language",
    "year",
    "publisher",
    "title_key",
    "marc",
    "created_at",
    "updated_at",
]


def _insert_titles(titles: list[Title], now: dt.datetime) -> None:
    """Insert new titles and give each its pk."""
    if not titles:
        return
    if not connection.features.can_return_rows_from_bulk_insert:
        Title.objects.bulk_create(titles)
        return
    when = _db_value(Title, "created_at", now)
    rows = [(*(getattr(t, name) for name in TITLE_COLUMNS[:-2]), when, when) for t in titles]
    for title, pk in zip(titles, _insert(Title, TITLE_COLUMNS, rows, returning=True), strict=True):
        title.pk = pk


def _insert(
    model: type[Model],
    names: list[str],
    rows: list[tuple[Any, ...]],
    *,
    returning: bool = False,
) -> list[int]:
    """Insert rows holding database-ready values; the model's other fields get defaults.

    bulk_create runs every value of every row through the ORM's compiler, which at
    50,000 records cost more than reading the MARC itself (bench/import_marc.py). With
    `returning`, multi-row INSERT ... RETURNING gives the new pks; sorted, they are in
    row order, since one statement takes them from one increasing counter.
    """
    if not rows:
        return []
    meta = model._meta
    given = [_field(model, name) for name in names]
    rest = [f for f in meta.concrete_fields if not f.primary_key and f not in given]
    defaults = tuple(f.get_db_prep_save(f.get_default(), connection) for f in rest)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(f.column)) for f in [*given, *rest])
    insert = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES "
    width = len(given) + len(rest)
    row_marks = "(" + ", ".join(["%s"] * width) + ")"
    with connection.cursor() as cursor:
        if not returning:
            cursor.executemany(insert + row_marks, [row + defaults for row in rows])
            return []
        pks: list[int] = []
        per_statement = max(1, (connection.features.max_query_params or 999) // width)
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            sql = insert + ", ".join([row_marks] * len(chunk))
            sql += f" RETURNING {quote(str(_field(model, 'pk').column))}"
            cursor.execute(sql, [value for row in chunk for value in row + defaults])
            pks += sorted(pk for (pk,) in cursor.fetchall())
        return pks


def _field(model: type[Model], name: str) -> Field[Any, Any]:
    found = model._meta.pk if name == "pk" else model._meta.get_field(name)
    assert isinstance(found, Field), f"{model.__name__}.{name} is not a column"
    return found


def _db_value(model: type[Model], name: str, value: object) -> Any:
    return _field(model, name).get_db_prep_save(value, connection)


def _new_title(record: BibRecord, now: dt.datetime) -> Title:
    return Title(
        title=record.title,
        author=record.author,
        subjects="\n".join(record.subjects),
        isbns=" ".join(record.isbns),
        oclc_number=record.oclc_numbers[0] if record.oclc_numbers else "",
        format=record.format,
        language=record.language,
        year=record.year,
        publisher=record.publisher,
        title_key=record.title_key,
        marc=record.marc,
        created_at=now,
        updated_at=now,
    )


def _merge_into(title: Title, record: BibRecord) -> bool:
    """Fill the title's blanks from the record and add its ISBNs and subjects.

    What the title already says stays: the first record loaded is the title's record.
    """
    before = [getattr(title, name) for name in MERGED_FIELDS]
    title.author = title.author or record.author
    title.publisher = title.publisher or record.publisher
    title.language = title.language or record.language
    title.year = title.year or record.year
    title.oclc_number = title.oclc_number or (record.oclc_numbers or ("",))[0]
    title.isbns = " ".join(_union(title.isbns.split(), record.isbns))
    title.subjects = "\n".join(_union(title.subjects.splitlines(), record.subjects))
    return before != [getattr(title, name) for name in MERGED_FIELDS]


def _union(first: Iterable[str], more: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(s for s in [*first, *more] if s))


ITEM_COLUMNS = [
    "barcode",
    "title",
    "owning_library",
    "home_branch",
    "current_branch",
    "collection",
    "item_type",
    "shelf_location",
    "call_number",
    "price",
    "holdable",
    "created_at",
]


def _item_row(
    title: Title, copy: Copy, library: Library, branch: Branch, created_at: object
) -> tuple[object, ...]:
    return (
        copy.barcode,
        title.pk,
        library.pk,
        branch.pk,
        branch.pk,
        copy.collection,
        copy.item_type,
        copy.location,
        copy.call_number,
        None if copy.price is None else _db_value(Item, "price", copy.price),
        copy.holdable,
        created_at,
    )
