"""Export one library's part of the catalog as MARC, its copies as holdings fields.

Every title with at least one copy owned by the library is written once, with that
library's copies (and only those) as fields of the holdings profile, so that the file
imports again (docs/marc.md). Titles are read in chunks: memory stays flat.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import BinaryIO

from django.db.models import Prefetch
from pymarc import Field, Indicators, Record, Subfield, XMLWriter

from onelibrary.catalog.marc import PROFILE_949, HoldingsProfile
from onelibrary.catalog.models import Item, Title
from onelibrary.members.models import Library

FORMATS = ("marc21", "marcxml")

# Title.Format -> Leader/06 (type of record), Leader/07 (level), 008/23 (form of item)
_LEADER: dict[str, tuple[str, str, str]] = {
    Title.Format.BOOK: ("a", "m", " "),
    Title.Format.LARGE_PRINT: ("a", "m", "d"),
    Title.Format.SOUND: ("i", "m", " "),
    Title.Format.MUSIC: ("j", "m", " "),
    Title.Format.SCORE: ("c", "m", " "),
    Title.Format.VIDEO: ("g", "m", " "),
    Title.Format.MAP: ("e", "m", " "),
    Title.Format.SERIAL: ("a", "s", " "),
    Title.Format.COMPUTER: ("m", "m", " "),
    Title.Format.KIT: ("o", "m", " "),
}


@dataclass(frozen=True)
class ExportSummary:
    titles: int
    items: int


def export_marc(
    out: BinaryIO,
    *,
    library: Library,
    fmt: str = "marc21",
    profile: HoldingsProfile = PROFILE_949,
    chunk_size: int = 500,
) -> ExportSummary:
    """Write the library's titles to `out` as MARC21 (UTF-8) or MARCXML."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    own_items = Item.objects.filter(owning_library=library)
    titles = (
        Title.objects.filter(pk__in=own_items.values("title_id"))
        .order_by("pk")
        .prefetch_related(
            # Only this library's copies: title.items.all() below holds no other's.
            Prefetch("items", queryset=own_items.select_related("home_branch").order_by("barcode"))
        )
    )
    writer = XMLWriter(out) if fmt == "marcxml" else None
    titles_written = items_written = 0
    for title in titles.iterator(chunk_size=chunk_size):
        record = title_record(title)
        record.remove_fields(profile.tag)  # another library's holdings never leave with ours
        copies = title.items.all()
        for item in copies:
            record.add_ordered_field(holdings_field(item, profile))
        if writer is not None:
            writer.write(record)
        else:
            out.write(record.as_marc())
        titles_written += 1
        items_written += len(copies)
    if writer is not None:
        writer.close(close_fh=False)
    return ExportSummary(titles=titles_written, items=items_written)


def title_record(title: Title) -> Record:
    """The title's stored record, or one built from its fields when it has none."""
    if title.marc:
        return Record(
            data=bytes(title.marc), to_unicode=True, force_utf8=True, utf8_handling="replace"
        )
    return built_record(title)


def built_record(title: Title) -> Record:
    """A minimal MARC21 record for a title entered by hand (no record was loaded)."""
    kind, level, form = _LEADER.get(title.format, ("p", "m", " "))
    record = Record(to_unicode=True, force_utf8=True, leader=f"00000n{kind}{level} a2200000 i 4500")
    fixed = list(" " * 40)
    fixed[6] = "s" if title.year else "n"
    fixed[7:11] = f"{title.year:04d}" if title.year else "uuuu"
    fixed[23] = form
    fixed[35:38] = (title.language or "und")[:3].ljust(3)
    fixed[39] = "d"
    record.add_field(Field(tag="008", data="".join(fixed)))
    for isbn in title.isbn_list:
        record.add_field(_field("020", "  ", [("a", isbn)]))
    if title.oclc_number:
        record.add_field(_field("035", "  ", [("a", f"(OCoLC){title.oclc_number}")]))
    if title.author:
        record.add_field(_field("100", "1 ", [("a", title.author)]))
    record.add_field(_field("245", "10" if title.author else "00", [("a", title.title)]))
    year = str(title.year) if title.year else ""
    if title.publisher or year:
        record.add_field(_field("264", " 1", [("b", title.publisher), ("c", year)]))
    for subject in title.subject_list:
        record.add_field(_field("650", " 4", [("a", subject)]))
    return record


def holdings_field(item: Item, profile: HoldingsProfile) -> Field:
    """One copy as the profile's holdings field, empty values left out."""
    values = [
        (profile.call_number, item.call_number),
        (profile.barcode, item.barcode),
        (profile.circulates, "Y" if item.holdable else "N"),
        (profile.item_type, item.item_type),
        (profile.location, item.shelf_location),
        (profile.branch, item.home_branch.code),
        (profile.collection, item.collection),
        (profile.price, f"{item.price:.2f}" if item.price is not None else ""),
        (profile.acquired, item.acquired.strftime("%Y%m%d")),
    ]
    return _field(profile.tag, "  ", [(code, value) for code, value in values if code])


def _field(tag: str, indicators: str, values: list[tuple[str, str]]) -> Field:
    subfields = [Subfield(code, value) for code, value in values if value]
    return Field(tag=tag, indicators=Indicators(*indicators), subfields=subfields)
