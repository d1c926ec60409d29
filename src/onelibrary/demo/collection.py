"""The demo group's generated titles and copies.

Pure functions of a `random.Random` returning plain dataclasses. Copies follow the
shape the staff in `context/` describe: big libraries own most of them, popular new
titles have many copies, a few items are checked out, in transit or missing, some
collections float and reference copies cannot be held.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import accumulate

from onelibrary.demo import names
from onelibrary.demo.checkdigits import isbn13_digit, luhn_digit
from onelibrary.demo.places import LibraryPlan

# (format, audience, weight) of generated titles.
TITLE_KINDS = (
    ("book", "adult", 50),
    ("book", "juv", 16),
    ("book", "ya", 8),
    ("large_print", "adult", 5),
    ("video", "adult", 8),
    ("video", "juv", 2),
    ("sound", "adult", 8),
    ("music", "adult", 3),
)

ITEM_TYPES = {
    "book": "book",
    "large_print": "large_print",
    "video": "dvd",
    "sound": "audiobook",
    "music": "music_cd",
    "map": "map",
    "score": "score",
    "serial": "magazine",
    "computer": "software",
    "kit": "kit",
    "other": "other",
}

PRICE_RANGES = {
    "book": (12, 35),
    "large_print": (25, 40),
    "dvd": (15, 30),
    "audiobook": (30, 65),
    "music_cd": (12, 20),
}

SHELF_LOCATIONS = {
    "ADULT": "Adult Fiction",
    "ANF": "Adult Nonfiction",
    "JUV": "Children's",
    "YA": "Teen",
    "DVD": "DVDs",
    "AUDIO": "Audiobooks",
    "MUSIC": "Music",
    "LP": "Large Print",
    "NEW": "New Books",
    "REF": "Reference",
    "MAP": "Maps",
    "PER": "Periodicals",
}

# Status of a copy and its chance, for realism; a few "new" copies are still in processing.
STATUS_ODDS = (
    ("checked_out", 0.14),
    ("in_transit", 0.025),
    ("missing", 0.01),
    ("lost", 0.004),
    ("damaged", 0.003),
)


@dataclass(frozen=True)
class TitlePlan:
    title: str
    author: str
    subjects: tuple[str, ...]
    isbn: str
    format: str
    audience: str  # adult, juv or ya
    fiction: bool
    dewey: str
    language: str
    year: int
    publisher: str
    popularity: float  # 1 and up; popular titles get more copies


@dataclass(frozen=True)
class ItemPlan:
    barcode: str
    title_index: int  # position in the list of titles the copies were planned for
    library: str  # owning library code
    home_branch: str
    current_branch: str
    collection: str
    item_type: str
    shelf_location: str
    call_number: str
    price: Decimal
    status: str
    holdable: bool
    floating: bool
    age_days: int  # how long ago the copy was added


def barcode(library_number: int, sequence: int) -> str:
    """14 digits: 3, the library's four-digit number, an eight-digit sequence, a Luhn digit."""
    body = f"3{library_number:04d}{sequence:08d}"
    return body + luhn_digit(body)


def _isbn(rng: random.Random, taken: set[str]) -> str:
    while True:
        first12 = f"978{rng.randrange(10**9):09d}"
        isbn = first12 + isbn13_digit(first12)
        if isbn not in taken:
            taken.add(isbn)
            return isbn


def _person(rng: random.Random) -> str:
    return f"{rng.choice(names.LAST_NAMES)}, {rng.choice(names.FIRST_NAMES)}"


def _fiction_title(rng: random.Random) -> str:
    adjective = rng.choice(names.TITLE_ADJECTIVES)
    noun = rng.choice(names.TITLE_NOUNS)
    pattern = rng.randrange(6)
    if pattern == 0:
        return f"The {adjective} {noun}"
    if pattern == 1:
        return f"{noun} of {rng.choice(names.TITLE_PLACES)}"
    if pattern == 2:
        return f"{rng.choice(names.FIRST_NAMES)}'s {noun}"
    if pattern == 3:
        return f"A {adjective} {noun} in {rng.choice(names.TITLE_PLACES)}"
    if pattern == 4:
        return f"The {noun} at {rng.choice(names.TITLE_PLACES)}"
    return f"{adjective} {noun}s"


def plan_title(rng: random.Random, this_year: int, isbns: set[str]) -> TitlePlan:
    fmt, audience = rng.choices(
        [(f, a) for f, a, _ in TITLE_KINDS], weights=[w for *_, w in TITLE_KINDS]
    )[0]
    year = max(1950, this_year - int(rng.expovariate(1 / 10)))
    language = rng.choices(
        [code for code, _ in names.LANGUAGES], weights=[w for _, w in names.LANGUAGES]
    )[0]
    fiction = fmt in {"video", "music"} or audience != "adult" or rng.random() < 0.6
    dewey = ""
    author = _person(rng)
    if fmt == "music":
        title = f"{rng.choice(names.TITLE_ADJECTIVES)} {rng.choice(names.TITLE_NOUNS)} Songs"
        author = f"The {rng.choice(names.TITLE_NOUNS)} {rng.choice(['Band', 'Ramblers', 'Trio'])}"
        subjects: tuple[str, ...] = (rng.choice(names.MUSIC_SUBJECTS),)
    elif fmt == "video":
        title = _fiction_title(rng)
        subjects = (rng.choice(names.FILM_SUBJECTS),)
        if audience == "juv":
            subjects = ("Animated films", "Children's films")
    elif fiction:
        title = _fiction_title(rng)
        pool = {"juv": names.JUVENILE_SUBJECTS, "ya": names.YA_SUBJECTS}.get(
            audience, names.FICTION_SUBJECTS
        )
        subjects = tuple(sorted(set(rng.sample(pool, 2))))
    else:
        topic, subject, dewey = rng.choice(names.NONFICTION_TOPICS)
        title = rng.choice([topic, f"{topic}: A Practical Guide", f"{topic}, Revised Edition"])
        subjects = (subject,)
    has_isbn = fmt in {"book", "large_print", "sound"} and rng.random() < 0.92
    popularity = rng.paretovariate(1.6) * (2.5 if year >= this_year - 1 else 1.0)
    publisher = rng.choice(names.PUBLISHERS)
    return TitlePlan(
        title=title,
        author=author,
        subjects=subjects,
        isbn=_isbn(rng, isbns) if has_isbn else "",
        format=fmt,
        audience=audience,
        fiction=fiction,
        dewey=dewey,
        language=language,
        year=year,
        publisher=publisher,
        popularity=popularity,
    )


def plan_titles(rng: random.Random, count: int, *, this_year: int) -> list[TitlePlan]:
    isbns: set[str] = set()
    return [plan_title(rng, this_year, isbns) for _ in range(count)]


def collection_code(title: TitlePlan, new: bool) -> str:
    if title.format == "video":
        return "DVD"
    if title.format == "sound":
        return "AUDIO"
    if title.format == "music":
        return "MUSIC"
    if title.format == "large_print":
        return "LP"
    if title.format == "map":
        return "MAP"
    if title.format == "serial":
        return "PER"
    if title.audience == "juv":
        return "JUV"
    if title.audience == "ya":
        return "YA"
    if new:
        return "NEW"
    return "ADULT" if title.fiction else "ANF"


def call_number(title: TitlePlan) -> str:
    cutter = re.sub(r"[^A-Z]", "", title.author.split(",")[0].upper())[:3] or "XXX"
    prefix = {"juv": "J ", "ya": "YA "}.get(title.audience, "")
    if title.format == "video":
        return f"DVD {re.sub(r'^(The|A) ', '', title.title).split()[0].upper()}"
    if title.format == "music":
        return f"CD {cutter}"
    if title.format == "sound":
        prefix = "CD " + prefix
    if title.format == "large_print":
        prefix = "LP " + prefix
    return f"{prefix}{'FIC' if title.fiction else title.dewey or 'NF'} {cutter}"


def copies_of(rng: random.Random, title: TitlePlan, scale: float) -> int:
    """Most titles have one to three copies; popular new ones a dozen or more."""
    return max(1, min(40, round(title.popularity * scale * rng.uniform(0.6, 1.4))))


class ItemPlanner:
    """Spreads copies over the libraries by weight and numbers their barcodes."""

    def __init__(
        self,
        rng: random.Random,
        libraries: Sequence[LibraryPlan],
        *,
        first_sequence: int = 1,
        floating_share: float = 0.35,
    ) -> None:
        self.rng = rng
        self.libraries = [lib for lib in libraries if lib.weight > 0]
        self.cum_weights = list(accumulate(lib.weight for lib in self.libraries))
        self.branch_weights = {
            lib.code: list(accumulate(3 if i == 0 else 1 for i in range(len(lib.branches))))
            for lib in self.libraries
        }
        self.all_branches = [b.code for lib in self.libraries for b in lib.branches]
        self.sequences = {lib.code: first_sequence for lib in self.libraries}
        # Libraries that float their DVDs and new books, as many real groups do.
        self.floaters = {lib.code for lib in self.libraries if rng.random() < floating_share}

    def _next_barcode(self, library: LibraryPlan) -> str:
        sequence = self.sequences[library.code]
        self.sequences[library.code] = sequence + 1
        return barcode(library.number, sequence)

    def copy(self, title_index: int, title: TitlePlan, *, today_year: int) -> ItemPlan:
        rng = self.rng
        # The main branch shelves three times as much as each other branch.
        library = rng.choices(self.libraries, cum_weights=self.cum_weights)[0]
        weights = self.branch_weights[library.code]
        home = rng.choices(library.branches, cum_weights=weights)[0].code
        new = title.year >= today_year - 1
        collection = collection_code(title, new)
        holdable = True
        if collection == "ANF" and rng.random() < 0.05:
            collection, holdable = "REF", False
        floating = library.code in self.floaters and collection in {"DVD", "NEW", "AUDIO"}
        if floating and rng.random() < 0.3:
            home = rng.choice(self.all_branches)  # floated to another member's shelf
        status, current = "available", home
        roll = rng.random()
        for name, odds in STATUS_ODDS:
            if roll < odds:
                status = name
                break
            roll -= odds
        if status == "in_transit":
            current = rng.choice([b for b in self.all_branches if b != home] or [home])
        if new and status == "available" and rng.random() < 0.05:
            status = "in_processing"
        item_type = ITEM_TYPES.get(title.format, "other")
        low, high = PRICE_RANGES.get(item_type, (10, 30))
        max_age = max(1, (today_year - title.year) * 365 + 180)
        return ItemPlan(
            barcode=self._next_barcode(library),
            title_index=title_index,
            library=library.code,
            home_branch=home,
            current_branch=current,
            collection=collection,
            item_type=item_type,
            shelf_location=SHELF_LOCATIONS[collection],
            call_number=call_number(title),
            price=Decimal(rng.randint(low * 100, high * 100)) / 100,
            status=status,
            holdable=holdable,
            floating=floating,
            age_days=rng.randint(0, min(max_age, 9000)),
        )


def plan_items(
    rng: random.Random,
    libraries: Sequence[LibraryPlan],
    titles: Sequence[TitlePlan],
    *,
    this_year: int,
    copies_scale: float = 1.0,
) -> list[ItemPlan]:
    planner = ItemPlanner(rng, libraries)
    items = []
    for index, title in enumerate(titles):
        for _ in range(copies_of(rng, title, copies_scale)):
            items.append(planner.copy(index, title, today_year=this_year))
    return items
