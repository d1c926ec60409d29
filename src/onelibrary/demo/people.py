"""The demo group's patrons and staff accounts, as plain data."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate

from onelibrary.demo import names
from onelibrary.demo.checkdigits import luhn_digit
from onelibrary.demo.places import LibraryPlan, distance_km

# (category, weight, youngest age, oldest age)
CATEGORIES = (
    ("adult", 62, 18, 64),
    ("child", 15, 4, 12),
    ("teen", 9, 13, 17),
    ("senior", 12, 65, 92),
    ("staff", 1, 20, 65),
    ("institution", 1, 0, 0),
)


@dataclass(frozen=True)
class PatronPlan:
    card: str
    first_name: str
    last_name: str
    email: str
    phone: str
    address: str
    town: str
    postcode: str
    birth_date: dt.date | None
    home_library: str
    preferred_branch: str
    category: str
    expires_on: dt.date
    age_days: int  # how long ago the card was issued


@dataclass(frozen=True)
class StaffPlan:
    username: str
    role: str  # desk, library_admin or central_office
    library: str | None
    first_name: str
    last_name: str
    email: str


def card_number(library_number: int, sequence: int) -> str:
    """14 digits: 2, the home library's four-digit number, a sequence, a Luhn digit."""
    body = f"2{library_number:04d}{sequence:08d}"
    return body + luhn_digit(body)


def nearest_other_branch(libraries: Sequence[LibraryPlan]) -> dict[str, str]:
    """For each branch, the closest branch of another library: where a patron may prefer."""
    points = [
        (lib.code, b.code, (float(b.latitude), float(b.longitude)))
        for lib in libraries
        for b in lib.branches
    ]
    nearest = {}
    for lib_code, code, point in points:
        others = [(distance_km(point, p), c) for lc, c, p in points if lc != lib_code]
        nearest[code] = min(others)[1] if others else code
    return nearest


def plan_patrons(
    rng: random.Random, libraries: Sequence[LibraryPlan], count: int, *, today: dt.date
) -> list[PatronPlan]:
    """Patrons shared over the members by size; about one card in ten has expired.

    Most prefer a branch of their home library; a few the nearest branch of another member.
    """
    members = [lib for lib in libraries if lib.weight > 0]
    cum_weights = list(accumulate(lib.weight for lib in members))
    branch_weights = {
        lib.code: list(accumulate(3 if i == 0 else 1 for i in range(len(lib.branches))))
        for lib in members
    }
    sequences = {lib.code: 1 for lib in members}
    neighbour = nearest_other_branch(members)
    category_names = [c[0] for c in CATEGORIES]
    category_weights = list(accumulate(c[1] for c in CATEGORIES))
    ages = {c[0]: (c[2], c[3]) for c in CATEGORIES}
    patrons = []
    for _ in range(count):
        library = rng.choices(members, cum_weights=cum_weights)[0]
        branch = rng.choices(library.branches, cum_weights=branch_weights[library.code])[0]
        preferred = neighbour[branch.code] if rng.random() < 0.08 else branch.code
        category = rng.choices(category_names, cum_weights=category_weights)[0]
        first = rng.choice(names.FIRST_NAMES)
        last = rng.choice(names.LAST_NAMES)
        birth = None
        if category == "institution":
            first, last = "Reading Program", f"{branch.town} School"
        else:
            low, high = ages[category]
            birth = today - dt.timedelta(days=rng.randint(low * 365, high * 365 + 364))
        sequence = sequences[library.code]
        sequences[library.code] = sequence + 1
        card = card_number(library.number, sequence)
        email = ""
        if category != "child" and rng.random() < 0.7:
            local = f"{first}.{last}".lower().replace(" ", "").replace("'", "")
            email = f"{local}{rng.randint(1, 999)}@example.org"
        expires = today + dt.timedelta(days=rng.randint(-120, 3 * 365))
        patrons.append(
            PatronPlan(
                card=card,
                first_name=first,
                last_name=last,
                email=email,
                phone=f"(406) 555-01{rng.randint(0, 99):02d}" if rng.random() < 0.6 else "",
                address=(
                    f"{rng.randint(1, 999)} {rng.choice(names.STREET_NAMES)} "
                    f"{rng.choice(names.STREET_KINDS)}"
                ),
                town=branch.town,
                postcode=branch.postcode,
                birth_date=birth,
                home_library=library.code,
                preferred_branch=preferred,
                category=category,
                expires_on=expires,
                age_days=rng.randint(0, 15 * 365),
            )
        )
    return patrons


def plan_staff(rng: random.Random, libraries: Sequence[LibraryPlan]) -> list[StaffPlan]:
    """`central` for the central office, `desk.<code>` and `admin.<code>` for each library."""

    def person() -> tuple[str, str]:
        return rng.choice(names.FIRST_NAMES), rng.choice(names.LAST_NAMES)

    first, last = person()
    staff = [
        StaffPlan("central", "central_office", None, first, last, "central@bigsky.example.org")
    ]
    for lib in libraries:
        for prefix, role in (("desk", "desk"), ("admin", "library_admin")):
            first, last = person()
            username = f"{prefix}.{lib.code.lower()}"
            email = f"{username}@{lib.code.lower()}.example.org"
            staff.append(StaffPlan(username, role, lib.code, first, last, email))
    return staff
