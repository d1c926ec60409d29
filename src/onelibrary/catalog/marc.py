"""The rules that turn MARC records into plain frozen records (reading files: marcfile.py).

No ORM here: `importer.py` decides what to do with the records in the database. The
rules (encoding detection, ISBN and OCLC normalisation, format, title key, holdings
profiles) are tested alone in tests/catalog/test_marc_*.py; docs/marc.md describes them.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

import isbnlib
from pymarc import Field, Record

# The holdings profiles live in holdings.py; these names stay importable from here.
from onelibrary.catalog.holdings import PROFILE_949 as PROFILE_949
from onelibrary.catalog.holdings import Copy as Copy
from onelibrary.catalog.holdings import HoldingsProfile as HoldingsProfile
from onelibrary.catalog.holdings import parse_price as parse_price
from onelibrary.catalog.holdings import read_copy as read_copy

RECORD_TERMINATOR = b"\x1d"
BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class BibRecord:
    """One readable record: normalised title fields, copies, and the bytes to keep."""

    position: int  # 1-based number of the record in its file
    title: str
    author: str
    subjects: tuple[str, ...]
    isbns: tuple[str, ...]  # valid ones, as ISBN-13
    bad_isbns: tuple[str, ...]  # 020 $a values that are not valid ISBNs
    oclc_numbers: tuple[str, ...]
    format: str  # a Title.Format value
    language: str
    year: int | None
    publisher: str
    title_key: str
    control_number: str
    marc: bytes  # UTF-8 MARC21 without the holdings fields: Title.marc
    source: bytes  # the record as read (MARC21): TitleSource.marc
    record_hash: str  # SHA-256 of `source`
    copies: tuple[Copy, ...]
    copies_without_barcode: int
    vernacular: str = ""  # the 880 twins of title, name and subject fields: Title.vernacular


@dataclass(frozen=True)
class BadRecord:
    position: int
    reason: str


class UnusableRecord(ValueError):
    """A record that reads but cannot become a title; the message is the reason."""


# -- reading files ---------------------------------------------------------------------


Fields = dict[str, list[Field]]  # a record's fields by tag, built once per record


def to_bib_record(
    record: Record,
    source: bytes,
    position: int,
    profile: HoldingsProfile,
    *,
    utf8_source: bool = False,
) -> BibRecord:
    """The plain values of a record; `utf8_source` says `source` is UTF-8 as it stands."""
    leader = str(record.leader)
    if leader[6:7] in ("u", "v", "x", "y"):
        raise UnusableRecord("a holdings (MFHD) record, not a bibliographic one")
    fields: Fields = {}
    for field in record.fields:
        fields.setdefault(field.tag, []).append(field)
    title_field = _first(fields, "245")
    title = trim_isbd(_join(title_field, "ab")) if title_field else ""
    if not title:
        raise UnusableRecord("record has no title (245 $a)")
    holdings = [read_copy(f, profile) for f in fields.get(profile.tag, ())]
    copies = tuple(c for c in holdings if c is not None)
    author = _author(fields)
    field_008 = _control(fields, "008")
    language = _language(field_008)
    year = _year(field_008, fields)
    isbns, bad_isbns = _isbns(fields)
    if utf8_source:
        marc = without_fields(source, profile.tag)
    else:
        record.remove_fields(profile.tag)
        marc = record.as_marc()  # writes UTF-8 and sets Leader/09 to 'a'
    nonfiling = _int(title_field.indicator2 or "") if title_field else None
    return BibRecord(
        position=position,
        title=title[:1000],
        author=author[:500],
        subjects=_subjects(fields),
        isbns=isbns,
        bad_isbns=bad_isbns,
        oclc_numbers=oclc_numbers(fields),
        format=format_of(leader, field_008),
        language=language,
        year=year,
        publisher=_publisher(fields)[:300],
        title_key=title_key(title, author, year, language=language, nonfiling=nonfiling or 0),
        control_number=_control(fields, "001").strip()[:64],
        marc=marc,
        source=source,
        record_hash=hashlib.sha256(source).hexdigest(),
        copies=copies,
        copies_without_barcode=len(holdings) - len(copies),
        vernacular=vernacular_lines(fields),
    )


def without_fields(chunk: bytes, tag: str) -> bytes:
    """A UTF-8 MARC21 record minus the fields with this tag, Leader/09 set to 'a'.

    The group's items carry the holdings, so Title.marc leaves them out. Cutting the
    bytes is several times cheaper than pymarc's as_marc() and keeps the record as sent;
    only the directory entries of fields stored after a removed one change.
    """
    base = int(chunk[12:17])
    directory = chunk[24 : base - 1]
    wanted = tag.encode("ascii")
    starts = range(0, len(directory) - len(directory) % 12, 12)
    cut = {i for i in starts if directory[i : i + 3] == wanted}
    if not cut:
        return chunk[:9] + b"a" + chunk[10:]
    # (offset, length) of the removed data, in the order the data is stored
    gaps = sorted((int(directory[i + 7 : i + 12]), int(directory[i + 3 : i + 7])) for i in cut)
    entries: list[bytes] = []
    for i in starts:
        if i in cut:
            continue
        entry = directory[i : i + 12]
        offset = int(entry[7:12])
        if offset > gaps[0][0]:
            offset -= sum(length for start, length in gaps if start < offset)
            entry = entry[:7] + b"%05d" % offset
        entries.append(entry)
    data = chunk[base:]
    kept: list[bytes] = []
    at = 0
    for start, length in gaps:
        kept.append(data[at:start])
        at = start + length
    kept.append(data[at:])
    head = b"".join(entries) + b"\x1e"
    body = b"".join(kept)
    new_base = 24 + len(head)
    leader = b"%05d%sa%s%05d%s" % (
        new_base + len(body),
        chunk[5:9],
        chunk[10:12],
        new_base,
        chunk[17:24],
    )
    return leader + head + body


def _first(fields: Fields, tag: str) -> Field | None:
    found = fields.get(tag)
    return found[0] if found else None


def _subfields(fields: Fields, tag: str, code: str) -> list[str]:
    return [s.value for f in fields.get(tag, ()) for s in f.subfields if s.code == code]


def _join(field: Field, codes: str) -> str:
    return " ".join(s.value.strip() for s in field.subfields if s.code in codes and s.value)


def _control(fields: Fields, tag: str) -> str:
    field = _first(fields, tag)
    return (field.data or "") if field is not None else ""


def _int(text: str) -> int | None:
    return int(text) if text.isdigit() else None


_INITIAL = re.compile(r"(?:^|[\s.])\w\.$")


def trim_isbd(text: str) -> str:
    """Drop the ISBD punctuation that ends a MARC subfield: 'Friendly fire /' -> 'Friendly fire'.

    A final full stop goes too, except after an initial ('Reeves, Scott D.') or in '...'.
    """
    text = " ".join(text.split())
    while text:
        last = text[-1]
        full_stop = last == "." and not text.endswith("..") and not _INITIAL.search(text)
        if last not in " /:;,=" and not full_stop:
            break
        text = text[:-1]
    return text


def _author(fields: Fields) -> str:
    for tag in ("100", "110", "111"):
        if field := _first(fields, tag):
            return trim_isbd(_join(field, "abcdq"))
    return ""


_SUBDIVISIONS = "vxyz"


def _subjects(fields: Fields) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for tag, found in fields.items():
        if tag[0] != "6":
            continue
        for field in found:
            if heading := _heading(field):
                seen.setdefault(heading)
    return tuple(seen)


def _heading(field: Field) -> str:
    """A subject heading: its main part, then `$v $x $y $z` joined with ' -- '."""
    main = " ".join(
        s.value for s in field.subfields if s.code.isalpha() and s.code not in _SUBDIVISIONS
    )
    parts = [trim_isbd(main)]
    parts += [trim_isbd(s.value) for s in field.subfields if s.code in _SUBDIVISIONS]
    return " -- ".join(p for p in parts if p)


# -- original scripts (880) ------------------------------------------------------------

# Names (main and added entries, series names) read like the author; 6XX like subjects;
# these title fields like 245. An 880 linked to any other field (edition, imprint,
# notes) stays in Title.marc only.
NAME_TAGS = frozenset({"100", "110", "111", "700", "710", "711", "800", "810", "811"})
TITLE_TAGS = frozenset({"130", "240", "245", "246", "247", "440", "490", "730", "740", "830"})


def vernacular_lines(fields: Fields) -> str:
    """The 880 fields in original script, one per line as 'TAG<TAB>SCRIPT<TAB>text'.

    TAG is the field the 880 is the twin of (its $6: '245-02/(2/r' links to 245), SCRIPT
    what follows the first '/' (the MARC script code and, when '/r', right-to-left
    orientation): '245\t(2/r\tספר הדקדוק'. Title.vernacular keeps these lines.
    """
    lines: list[str] = []
    for field in fields.get("880", ()):
        link = next((s.value for s in field.subfields if s.code == "6"), "").strip()
        tag, _, script = link.partition("/")
        tag = tag[:3]
        if tag in NAME_TAGS:
            text = trim_isbd(_join(field, "abcdq"))
        elif tag[:1] == "6":
            text = _heading(field)
        elif tag in TITLE_TAGS:
            text = trim_isbd(_join(field, "ab" if tag == "245" else "abnp"))
        else:
            continue
        text = " ".join(text.split())
        if text:
            lines.append(f"{tag}\t{' '.join(script.split())[:8]}\t{text[:1000]}")
    return "\n".join(lines)


_ISBN_LIKE = re.compile(r"[0-9][0-9Xx-]{8,}")


def normalise_isbn(text: str) -> str | None:
    """The ISBN-13 in a 020 $a ('0863693180 (pbk.)' -> '9780863693182'), or None."""
    match = _ISBN_LIKE.search(text)
    if not match:
        return None
    candidate = isbnlib.canonical(match.group())
    if len(candidate) == 10 and isbnlib.is_isbn10(candidate):
        return isbnlib.to_isbn13(candidate)
    if len(candidate) == 13 and isbnlib.is_isbn13(candidate):
        return candidate
    return None


def _isbns(fields: Fields) -> tuple[tuple[str, ...], tuple[str, ...]]:
    good: dict[str, None] = {}
    bad: list[str] = []
    for text in _subfields(fields, "020", "a"):  # $z holds cancelled ISBNs on purpose
        if isbn := normalise_isbn(text):
            good.setdefault(isbn)
        elif text.strip():
            bad.append(text.strip())
    return tuple(good), tuple(bad)


_OCLC_035 = re.compile(r"^\(OCoLC\)\s*(?:ocm|ocn|on)?\s*0*(\d+)\s*$", re.IGNORECASE)
_OCLC_001 = re.compile(r"^(?:ocm|ocn|on)0*(\d+)\s*$")


def normalise_oclc(text: str) -> str | None:
    """'(OCoLC)ocm00012345' or 'ocn214285386' -> the number without leading zeros."""
    match = _OCLC_035.match(text.strip()) or _OCLC_001.match(text.strip())
    return match.group(1) if match and match.group(1) else None


def oclc_numbers(fields: Fields) -> tuple[str, ...]:
    """From 035 $a '(OCoLC)…', and from 001 when it is an OCLC control number."""
    found: dict[str, None] = {}
    for text in _subfields(fields, "035", "a"):
        if "(OCoLC)" in text and (number := normalise_oclc(text)):
            found.setdefault(number)
    control = _control(fields, "001").strip()
    match = _OCLC_001.match(control)
    if match is None and _control(fields, "003").strip() == "OCoLC" and control.isdigit():
        match = re.match(r"0*(\d+)", control)
    if match and match.group(1):
        found.setdefault(match.group(1))
    return tuple(n for n in found if len(n) <= 32)


# Leader/06 other than a or t (language material): c/d music notated, e/f cartographic,
# g projected, i spoken sound, j music sound, m computer file, o kit, r object.
_FORMATS = dict(c="score", d="score", e="map", f="map", g="video", i="sound", j="music")
_FORMATS.update(m="computer", o="kit", r="kit")


def format_of(leader: str, field_008: str = "") -> str:
    """Title.Format from Leader/06 (type of record) and /07 (bibliographic level)."""
    kind = leader[6:7]
    level = leader[7:8]
    if kind in ("a", "t"):
        if level in ("b", "i", "s"):
            return "serial"
        return "large_print" if field_008[23:24] == "d" else "book"
    return _FORMATS.get(kind, "other")


def _language(field_008: str) -> str:
    code = field_008[35:38].strip().lower()
    return code if len(code) == 3 and code.isalpha() else ""


_YEAR = re.compile(r"(?<!\d)(1[0-9]{3}|20[0-9]{2})(?!\d)")


def _year(field_008: str, fields: Fields) -> int | None:
    dated = field_008[7:11]
    if dated.isdigit() and 1000 <= int(dated) <= 2100:
        return int(dated)
    for text in _subfields(fields, "264", "c") + _subfields(fields, "260", "c"):
        if match := _YEAR.search(text):
            return int(match.group())
    return None


def _publisher(fields: Fields) -> str:
    published = [f for f in fields.get("264", ()) if f.indicator2 == "1"]
    for field in published + fields.get("260", []):
        for text in field.get_subfields("b"):
            if name := trim_isbd(text):
                return name
    return ""


# -- the title key ---------------------------------------------------------------------

# Leading articles by MARC language code; an unknown language uses English's.
_ARTICLES = {
    "eng": ("the", "a", "an"),
    "fre": ("le", "la", "les", "l", "un", "une"),
    "ger": ("der", "die", "das", "ein", "eine"),
    "spa": ("el", "la", "los", "las", "un", "una"),
    "ita": ("il", "lo", "la", "i", "gli", "le", "l", "un", "una"),
    "por": ("o", "a", "os", "as", "um", "uma"),
    "dut": ("de", "het", "een"),
}
_LETTERS = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "þ": "th"})
_NOT_WORD = re.compile(r"[\W_]+")


def fold(text: str) -> str:
    """Lowercase, diacritics folded, punctuation gone: 'Les Misérables!' -> 'les miserables'."""
    text = text.casefold()
    if not text.isascii():
        decomposed = unicodedata.normalize("NFKD", text.translate(_LETTERS))
        text = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(_NOT_WORD.sub(" ", text).split())


def title_key(
    title: str, author: str, year: int | None, *, language: str = "", nonfiling: int = 0
) -> str:
    """'normalised title|author surname|year', the last resort for matching titles.

    The non-filing count of 245 ind2 drops a leading article where the cataloguer gave
    one; otherwise a short per-language list does.
    """
    if nonfiling:
        title = title[nonfiling:]
    words = fold(title).split()
    if not nonfiling and len(words) > 1 and words[0] in _ARTICLES.get(language, _ARTICLES["eng"]):
        words = words[1:]
    surname = fold(author.split(",")[0])
    return f"{' '.join(words)[:200]}|{surname[:40]}|{year or ''}"
