"""Is this person already registered? Possible duplicates of a new registration.

Plain Python, tested like a specification (docs/patrons.md, 'Duplicates'). A record is a
possible match when it has the same name and birth date, the same street address (and
postcode or town), the same email, or a similar name: names compared without accents,
case or punctuation, in either order, alike by at least `SIMILAR` (difflib's ratio).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

SIMILAR = 0.85
MAX_MATCHES = 10

REASONS = {
    "same_name_and_birth_date": "Same name and birth date",
    "same_email": "Same email",
    "same_address": "Same address",
    "similar_name": "Similar name",
}

# Common street words written two ways; both sides are compared in the short form.
STREET_WORDS = {
    "street": "st",
    "avenue": "ave",
    "av": "ave",
    "road": "rd",
    "drive": "dr",
    "lane": "ln",
    "boulevard": "blvd",
    "court": "ct",
    "place": "pl",
    "north": "n",
    "south": "s",
    "east": "e",
    "west": "w",
    "apartment": "apt",
}


@dataclass(frozen=True)
class Person:
    pk: int | None
    first_name: str
    last_name: str
    birth_date: dt.date | None = None
    email: str = ""
    address: str = ""
    town: str = ""
    postcode: str = ""


@dataclass(frozen=True)
class Match:
    pk: int
    reasons: tuple[str, ...]
    likeness: float  # how alike the names are, 0..1

    @property
    def reason_text(self) -> str:
        return ", ".join(REASONS[r] for r in self.reasons)


def plain(text: str) -> str:
    """Lower case, no accents or punctuation, single spaces: 'Zoë O'Neil' → 'zoe o neil'."""
    decomposed = unicodedata.normalize("NFKD", text)
    letters = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", letters).split())


def name_key(person: Person) -> str:
    return plain(f"{person.first_name} {person.last_name}")


def address_key(person: Person) -> str | None:
    """The street line in short form, with the postcode (or the town when there is none)."""
    street = " ".join(STREET_WORDS.get(w, w) for w in plain(person.address).split())
    place = plain(person.postcode).replace(" ", "") or plain(person.town)
    if not street or not place:
        return None
    return f"{street}|{place}"


def likeness(new: Person, old: Person) -> float:
    """How alike two names are, either way round ('Ada Lindqvist' / 'Lindqvist Ada')."""
    a = name_key(new)
    straight = difflib.SequenceMatcher(None, a, name_key(old)).ratio()
    swapped = plain(f"{old.last_name} {old.first_name}")
    return max(straight, difflib.SequenceMatcher(None, a, swapped).ratio())


def reasons_for(new: Person, old: Person) -> tuple[tuple[str, ...], float]:
    alike = likeness(new, old)
    found = []
    if (
        new.birth_date is not None
        and new.birth_date == old.birth_date
        and name_key(new) == name_key(old)
    ):
        found.append("same_name_and_birth_date")
    if new.email and new.email.strip().casefold() == old.email.strip().casefold():
        found.append("same_email")
    new_address = address_key(new)
    if new_address is not None and new_address == address_key(old):
        found.append("same_address")
    if "same_name_and_birth_date" not in found and alike >= SIMILAR:
        found.append("similar_name")
    return tuple(found), alike


def all_matches(new: Person, existing: Iterable[Person]) -> list[Match]:
    """Every record that may be the same person, in no particular order."""
    matches = []
    for old in existing:
        if old.pk is None or old.pk == new.pk:
            continue
        reasons, alike = reasons_for(new, old)
        if reasons:
            matches.append(Match(old.pk, reasons, round(alike, 2)))
    return matches


def strongest(matches: Iterable[Match]) -> list[Match]:
    """The matches strongest first, at most MAX_MATCHES."""
    strength = list(REASONS)
    ordered = sorted(
        matches, key=lambda m: (min(strength.index(r) for r in m.reasons), -m.likeness, m.pk)
    )
    return ordered[:MAX_MATCHES]


def possible_duplicates(new: Person, existing: Iterable[Person]) -> list[Match]:
    """The records that may be the same person, strongest first (at most MAX_MATCHES)."""
    return strongest(all_matches(new, existing))


# The field group each reason speaks of (patrons/fields.py). A caller who may not see that
# group of a record is not told the reason: "same name and birth date" for a record whose
# birth date they may not see would confirm a guessed birth date, one guess per request.
REASON_GROUPS = {
    "same_name_and_birth_date": "birth_date",
    "same_email": "contact",
    "same_address": "address",
    "similar_name": "identity",
}


def as_seen(match: Match, view_groups: frozenset[str]) -> Match | None:
    """The match as it may be told to a caller who sees `view_groups` of its record, or
    None when it rests only on fields hidden from them (the central office is told).

    A same name whose birth date is hidden is told as a similar name: the caller sees the
    name, and the answer is the same whatever birth date they typed.
    """
    reasons = [r for r in match.reasons if REASON_GROUPS[r] in view_groups]
    same_name = "same_name_and_birth_date"
    if same_name in match.reasons and same_name not in reasons:
        reasons.append("similar_name")
    if not reasons:
        return None
    strength = list(REASONS)
    return Match(match.pk, tuple(sorted(reasons, key=strength.index)), match.likeness)
