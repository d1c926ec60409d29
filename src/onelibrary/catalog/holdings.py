"""Holdings profiles: where each source system puts its copies in a MARC record.

One field is one copy; a profile names the tag and the subfield of each item value.
docs/marc.md has the table of profiles and the source systems' subfield meanings. No ORM
here: `importer.py` writes the copies, `marcfile.detect_profile` picks a profile by
which tag carries barcodes.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

from pymarc import Field


@dataclass(frozen=True)
class HoldingsProfile:
    """Where a source puts its copies: one field per copy, one subfield per item value.

    A subfield code of "" means the source does not send that value. `call_number` may
    name several codes (852's prefix, class, item part, shelving number, suffix), joined
    in the field's order.
    """

    name: str
    tag: str
    barcode: str
    call_number: str = ""
    location: str = ""
    branch: str = ""
    item_type: str = ""
    collection: str = ""
    price: str = ""
    acquired: str = ""  # the date the library acquired the copy
    circulates: str = ""  # the subfield that says whether the copy may be held
    not_holdable: tuple[str, ...] = ("N",)  # its values (any case) that mean "not holdable"
    holdable_only: tuple[str, ...] = ()  # when set: any other non-blank value means not
    last: str = ""  # codes read from their last occurrence (Evergreen's 852 sends two $b)
    # The source's item type codes in the group's vocabulary; unlisted codes are kept,
    # lower-cased, so nothing is lost and staff can map them later.
    item_types: tuple[tuple[str, str], ...] = ()

    def item_type_for(self, raw: str) -> str:
        return dict(self.item_types).get(raw.upper(), raw.lower())

    def holdable(self, flags: list[str]) -> bool:
        values = [f.strip().casefold() for f in flags if f.strip()]
        if self.holdable_only and any(
            v not in {h.casefold() for h in self.holdable_only} for v in values
        ):
            return False
        return not any(v in {n.casefold() for n in self.not_holdable} for v in values)


_SIRSI_TYPES = (
    ("BOOK", "book"),
    ("BOOKS", "book"),
    ("SOUND", "music_cd"),
    ("MUSICSCORE", "score"),
    ("SCORE", "score"),
    ("VIDEO", "dvd"),
    ("DVD", "dvd"),
    ("MAP", "map"),
    ("SERIAL", "magazine"),
    ("PERIODICAL", "magazine"),
)

# Sirsi Unicorn's 949, as in Evergreen's jazz_1k.mrc:
#   949 $a5490 $wLC $i30007007467409 $rY $tSOUND $lHUNT-AUDIO $mHUNTINGTON $xCOMPDISCS
# Unicorn writes the item subfields Symphony later writes in 999 (same letters); $w
# (class scheme), $c (copy number), $v (volume, usually already in $a), $k (current
# location) and $o (notes) have no item column; they stay in the TitleSource record.
PROFILE_949 = HoldingsProfile(
    name="949",
    tag="949",
    barcode="i",
    call_number="a",
    location="l",
    branch="m",
    item_type="t",
    collection="x",
    price="p",
    acquired="u",
    circulates="r",
    item_types=_SIRSI_TYPES,
)

# SirsiDynix Symphony's catalog export with items: one 999 per copy, the Unicorn letters.
PROFILE_999 = HoldingsProfile(
    name="999",
    tag="999",
    barcode="i",
    call_number="a",
    location="l",  # home location ($k is the current one)
    branch="m",
    item_type="t",
    collection="x",  # item category 1
    price="p",
    acquired="u",  # date the item was created
    circulates="r",
    item_types=_SIRSI_TYPES,
)

# Koha's items, as its MARC21 frameworks map them to 952.
PROFILE_952 = HoldingsProfile(
    name="952",
    tag="952",
    barcode="p",
    call_number="o",
    location="c",  # shelving location
    branch="a",  # home library ($b is where the copy is now)
    item_type="y",
    collection="8",  # collection code
    price="g",  # purchase price ($v is the replacement price)
    acquired="d",  # date accessioned
    circulates="7",  # not for loan: 0 lends, anything else does not
    holdable_only=("0",),
    not_holdable=(),
    item_types=(
        ("BK", "book"),
        ("CR", "magazine"),
        ("MP", "map"),
        ("MU", "music_cd"),
        ("VM", "dvd"),
    ),
)

# 852, the MARC location field, as Evergreen's marc_export writes it (map_data.mrc):
#   852 4_ $agaaagpl $bBR1 $bBR1 $cStacks $jG4362.C6C5 s250.C37 $p11223344 $y0.00
#          $xnonreference $xholdable $xcirculating $xvisible $zAvailable
# $b is sent twice (call number's owning library, then the copy's circulating library):
# the last is where the copy shelves. Neither Evergreen's export nor MARC's 852 has an
# acquisition date.
PROFILE_852 = HoldingsProfile(
    name="852",
    tag="852",
    barcode="p",
    call_number="khijm",
    location="c",
    branch="b",
    item_type="g",  # Evergreen's circulation modifier
    price="y",
    circulates="x",
    not_holdable=("unholdable", "noncirculating"),
    last="b",
)

PROFILES = {p.name: p for p in (PROFILE_949, PROFILE_999, PROFILE_952, PROFILE_852)}
# A record with no holdings to read: detection found no tag with barcodes.
NO_HOLDINGS = HoldingsProfile(name="none", tag="", barcode="")


@dataclass(frozen=True)
class Copy:
    barcode: str
    branch: str
    call_number: str
    location: str
    item_type: str
    collection: str
    price: Decimal | None
    holdable: bool
    acquired_on: dt.date | None = None
    bad_date: str = ""  # an acquisition date sent but not understood


def read_copy(field: Field, profile: HoldingsProfile) -> Copy | None:
    """The copy in one holdings field, or None when it has no barcode."""
    values: dict[str, str] = {}
    every: dict[str, list[str]] = {}
    for code, text in field.subfields:
        every.setdefault(code, []).append(text)
        if code in profile.last or code not in values:
            values[code] = text

    def value(code: str, limit: int) -> str:
        return values.get(code, "").strip()[:limit] if code else ""

    barcode = value(profile.barcode, 64)
    if not barcode:
        return None
    call_number = " ".join(
        text.strip() for code, text in field.subfields if code in profile.call_number and text
    )
    sent_date = value(profile.acquired, 32)
    acquired_on = parse_date(sent_date)
    return Copy(
        barcode=barcode,
        branch=value(profile.branch, 64),
        call_number=" ".join(call_number.split())[:100] if profile.call_number else "",
        location=value(profile.location, 64),
        item_type=profile.item_type_for(value(profile.item_type, 32)),
        collection=value(profile.collection, 32),
        price=parse_price(value(profile.price, 32)),
        holdable=profile.holdable(every.get(profile.circulates, []) if profile.circulates else []),
        acquired_on=acquired_on,
        bad_date=sent_date if sent_date and acquired_on is None and not _no_date(sent_date) else "",
    )


_PRICE = re.compile(r"(?<!\d)\d{1,6}(?:\.\d{1,2})?(?!\d)")


def parse_price(text: str) -> Decimal | None:
    """'$14.95' -> 14.95; anything without a plausible amount -> None."""
    match = _PRICE.search(text.replace(",", "")) if text else None
    return Decimal(match.group()) if match else None


_ISO = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})(?:[ T].*)?$")  # 2019-03-05, 20190305
_US = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")  # 3/5/2019: Symphony's month first


def parse_date(text: str) -> dt.date | None:
    """An acquisition date as the sources write it: YYYY-MM-DD, YYYYMMDD or M/D/YYYY."""
    text = text.strip()
    if match := _ISO.match(text):
        year, month, day = (int(g) for g in match.groups())
    elif match := _US.match(text):
        month, day, year = (int(g) for g in match.groups())
    else:
        return None
    try:
        return dt.date(year, month, day) if year >= 1000 else None
    except ValueError:
        return None


def _no_date(text: str) -> bool:
    """Symphony writes NEVER, and some exports 0 or 00000000, for no date at all."""
    return text.upper() == "NEVER" or not text.strip("0")


_BARCODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{2,63}$")


def looks_like_barcode(text: str) -> bool:
    """Letters, digits and hyphens with at least three digits: '30007007467409', 'BC-0012'.

    Enough to tell a holdings field from a local field that reuses the tag (Koha's 999
    holds record numbers in $c and $d, not $i).
    """
    text = text.strip()
    return bool(_BARCODE.match(text)) and sum(c.isdigit() for c in text) >= 3
