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

from django.db import DataError, IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from onelibrary.catalog import bulk
from onelibrary.catalog.detect import UnclearHoldings, detect_profile
from onelibrary.catalog.holdings import Copy, HoldingsProfile
from onelibrary.catalog.marc import BadRecord, BibRecord
from onelibrary.catalog.marcfile import read_marc
from onelibrary.catalog.models import Item, Title, TitleIdentifier, TitleSource
from onelibrary.catalog.search import index_titles
from onelibrary.members.models import Branch, Library

ISBN = TitleIdentifier.Kind.ISBN
OCLC = TitleIdentifier.Kind.OCLC
# Fields a merge may fill in on an existing title; it never overwrites what is there.
MERGED_FIELDS = [
    "author",
    "publisher",
    "language",
    "year",
    "oclc_number",
    "isbns",
    "subjects",
    "vernacular",
]
# The acquisition date of a copy whose holdings send none: older than any local-priority
# window can reach (at most 32,767 days), so an imported collection is not "new". `new`
# gives such copies the import date instead (docs/marc.md, "Acquisition dates").
UNDATED = dt.date(1900, 1, 1)


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
    items_dated: int = 0  # new copies whose acquisition date came from their holdings
    profiles: dict[str, str] = field(default_factory=dict)  # file -> holdings profile read
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
    items_dated: int = 0
    fallbacks: Counter[str] = field(default_factory=Counter)
    rejected: list[tuple[int, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Run:
    """What every batch of one import shares."""

    library: Library
    picker: BranchPicker
    undated: dt.date  # the acquisition date of copies whose holdings send none


def import_marc(
    paths: Sequence[Path],
    *,
    library: Library,
    profile: HoldingsProfile | None = None,
    new: bool = False,
    batch_size: int = 500,
    on_progress: Callable[[int], None] | None = None,
) -> ImportSummary:
    """Import every record of these files for `library`; bad records are listed, not fatal.

    Without a `profile`, each file's is detected from the tag that carries barcodes
    (`detect.detect_profile`); a file where several do stops the import before anything
    is written. `new` dates copies whose holdings send no date on the import day.
    """
    for path in paths:
        _check_readable(path)
    summary = ImportSummary()
    try:
        chosen = {str(path): detect_profile(path, profile, summary.warnings) for path in paths}
    except UnclearHoldings as exc:
        raise MarcImportError(str(exc)) from exc
    summary.profiles = {name: p.name for name, p in chosen.items()}
    picker = BranchPicker(library)
    run = _Run(library, picker, timezone.localdate() if new else UNDATED)
    fallbacks: Counter[str] = Counter()
    for path in paths:
        name = str(path)
        profile = chosen[name]
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
                    _import_batch(batch, name, run, profile, summary, fallbacks)
                    batch = []
                if on_progress is not None:
                    at = fh.tell()
                    on_progress(at - done)
                    done = at
            if batch:
                _import_batch(batch, name, run, profile, summary, fallbacks)
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
    run: _Run,
    profile: HoldingsProfile,
    summary: ImportSummary,
    fallbacks: Counter[str],
) -> None:
    """Write a batch in one transaction; if the database refuses it, go record by record."""
    try:
        outcomes = [_write_batch(records, run, profile)]
    except (IntegrityError, DataError):
        outcomes = []
        for record in records:
            try:
                outcomes.append(_write_batch([record], run, profile))
            except (IntegrityError, DataError) as exc:
                summary.reject(name, record.position, f"the database refused it: {exc}")
    for outcome in outcomes:
        summary.titles_created += outcome.titles_created
        summary.titles_merged += outcome.titles_merged
        summary.items_created += outcome.items_created
        summary.items_present += outcome.items_present
        summary.items_dated += outcome.items_dated
        fallbacks.update(outcome.fallbacks)
        for position, reason in outcome.rejected:
            summary.reject(name, position, reason)
        summary.warnings.extend(f"{name} {warning}" for warning in outcome.warnings)


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


def _write_batch(records: list[BibRecord], run: _Run, profile: HoldingsProfile) -> _Outcome:
    library, picker = run.library, run.picker
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
            missing = (
                f"{record.copies_without_barcode} {profile.tag} field(s) without a barcode "
                f"(${profile.barcode}, which the {profile.name} profile needs): those copies "
                "were not imported; give them barcodes, or choose the right --profile"
            )
            outcome.rejected.append((record.position, missing))
        for copy in record.copies:
            held = catalog.items.get(copy.barcode)
            if held is None:
                branch, fell_back = picker.pick(copy.branch)
                if fell_back:
                    outcome.fallbacks[copy.branch] += 1
                catalog.items[copy.barcode] = (title, library.pk)
                items.append((title, copy, branch))
                if copy.bad_date:
                    outcome.warnings.append(
                        f"record {record.position}: copy {copy.barcode}'s acquisition date "
                        f"{copy.bad_date!r} is not YYYY-MM-DD, YYYYMMDD or M/D/YYYY; "
                        "imported as undated"
                    )
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
        bulk.insert(
            TitleIdentifier,
            ["title", "kind", "value"],
            [(t.pk, kind, value) for t, kind, value in identifiers],
        )
        when = bulk.db_value(TitleSource, "imported_at", now)
        bulk.insert(
            TitleSource,
            ["title", "library", "control_number", "record_hash", "marc", "imported_at"],
            [
                (t.pk, library.pk, r.control_number, r.record_hash, r.source, when)
                for t, r in sources
            ],
        )
        when = bulk.db_value(Item, "created_at", now)
        rows = [
            _item_row(t, c, library, b, when, c.acquired_on or run.undated) for t, c, b in items
        ]
        bulk.insert(Item, ITEM_COLUMNS, rows)
        outcome.items_created = len(items)
        outcome.items_dated = sum(1 for _, c, _ in items if c.acquired_on is not None)
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
    "vernacular",
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
    when = bulk.db_value(Title, "created_at", now)
    rows = [(*(getattr(t, name) for name in TITLE_COLUMNS[:-2]), when, when) for t in titles]
    pks = bulk.insert(Title, TITLE_COLUMNS, rows, returning=True)
    for title, pk in zip(titles, pks, strict=True):
        title.pk = pk


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
        vernacular=record.vernacular,
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
    title.vernacular = title.vernacular or record.vernacular
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
    "acquired_on",
]


def _item_row(
    title: Title,
    copy: Copy,
    library: Library,
    branch: Branch,
    created_at: object,
    acquired_on: dt.date,
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
        None if copy.price is None else bulk.db_value(Item, "price", copy.price),
        copy.holdable,
        created_at,
        bulk.db_value(Item, "acquired_on", acquired_on),
    )
