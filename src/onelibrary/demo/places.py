"""The demo group's member libraries and branches, spread over a real-sized map.

Pure functions of a `random.Random`: they return plain dataclasses and never touch the
database, so a seed always gives the same libraries, codes and coordinates.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import re
from dataclasses import dataclass
from decimal import Decimal

from onelibrary.demo import names


@dataclass(frozen=True)
class MapBox:
    south: float
    north: float
    west: float
    east: float

    def contains(self, latitude: float, longitude: float) -> bool:
        return self.south <= latitude <= self.north and self.west <= longitude <= self.east


# A Montana-sized state: about 950 km east to west and 500 km north to south.
MAP_BOX = MapBox(south=44.4, north=49.0, west=-116.0, east=-104.0)

SIZE_CLASSES = ("city", "large", "medium", "small", "one_room")

# Share of the members in each size class; one-room libraries take the rest.
CLASS_SHARES = {"city": 0.06, "large": 0.10, "medium": 0.22, "small": 0.30}

# How much of the group's collection and patrons a library of each class holds.
CLASS_WEIGHTS = {"city": 30, "large": 12, "medium": 5, "small": 2, "one_room": 1}

# Extra branches a library of each class may have beyond its first, and its pull on them.
EXTRA_BRANCH_CAP = {"city": 6, "large": 3, "medium": 1}
EXTRA_BRANCH_PULL = {"city": 5, "large": 3, "medium": 1}


@dataclass(frozen=True)
class BranchPlan:
    code: str
    name: str
    address: str
    town: str
    postcode: str
    latitude: Decimal
    longitude: Decimal
    courier_stop: str
    open_days: str
    closed_dates: tuple[tuple[dt.date, str], ...]


@dataclass(frozen=True)
class LibraryPlan:
    number: int  # four digits, used inside the library's barcodes and cards
    code: str
    name: str
    size_class: str
    status: str
    contact_name: str
    contact_email: str
    contact_phone: str
    joined_on: dt.date | None
    branches: tuple[BranchPlan, ...]

    @property
    def weight(self) -> int:
        """Share of collection and patrons; an applicant has not loaded anything yet."""
        return 0 if self.status == "applicant" else CLASS_WEIGHTS[self.size_class]


def class_counts(members: int) -> dict[str, int]:
    """How many members of each size class: at least one city and one large library."""
    counts = {cls: round(members * share) for cls, share in CLASS_SHARES.items()}
    counts["city"] = max(1, counts["city"])
    counts["large"] = max(1, counts["large"])
    counts["one_room"] = members - sum(counts.values())
    if counts["one_room"] < 1:
        raise ValueError(f"a group of {members} members is too small for the demo")
    return counts


def branch_counts(rng: random.Random, classes: list[str], branches: int) -> list[int]:
    """Branches per library: every library one, cities at least three, the rest by pull."""
    counts = [1] * len(classes)
    extra = branches - len(classes)
    if extra < 0:
        raise ValueError("fewer branches than members")
    for i, cls in enumerate(classes):
        if cls == "city" and extra >= 2:
            counts[i] += 2
            extra -= 2
    while extra > 0:
        open_slots = [
            i
            for i, cls in enumerate(classes)
            if counts[i] - 1 < EXTRA_BRANCH_CAP.get(cls, 0) + (2 if cls == "city" else 0)
        ]
        if not open_slots:
            raise ValueError("more branches than the size classes allow")
        pulls = [EXTRA_BRANCH_PULL[classes[i]] for i in open_slots]
        counts[rng.choices(open_slots, weights=pulls)[0]] += 1
        extra -= 1
    return counts


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Equirectangular distance: good to a few per cent at this scale."""
    mean_lat = math.radians((a[0] + b[0]) / 2)
    dy = (a[0] - b[0]) * 110.57
    dx = (a[1] - b[1]) * 111.32 * math.cos(mean_lat)
    return math.hypot(dx, dy)


def offset(point: tuple[float, float], km: float, bearing: float) -> tuple[float, float]:
    lat = point[0] + km * math.cos(bearing) / 110.57
    lon = point[1] + km * math.sin(bearing) / (111.32 * math.cos(math.radians(point[0])))
    return lat, lon


class Map:
    """Places towns with a minimum spacing so the map looks like a rural state."""

    def __init__(self, rng: random.Random, box: MapBox = MAP_BOX) -> None:
        self.rng = rng
        self.box = box
        self.towns: list[tuple[float, float]] = []

    def _far_enough(self, point: tuple[float, float], spacing: float) -> bool:
        return all(distance_km(point, other) >= spacing for other in self.towns)

    def _inside(self, point: tuple[float, float], margin: float = 0.15) -> bool:
        return (
            self.box.south + margin <= point[0] <= self.box.north - margin
            and self.box.west + margin <= point[1] <= self.box.east - margin
        )

    def anywhere(self, spacing: float) -> tuple[float, float]:
        """A new town somewhere on the map, `spacing` km from the others if possible."""
        for attempt in range(400):
            point = (
                self.rng.uniform(self.box.south + 0.15, self.box.north - 0.15),
                self.rng.uniform(self.box.west + 0.15, self.box.east - 0.15),
            )
            if self._far_enough(point, spacing * (0.5 if attempt > 300 else 1.0)):
                break
        self.towns.append(point)
        return point

    def near(self, centre: tuple[float, float], low: float, high: float) -> tuple[float, float]:
        """A new town between `low` and `high` km from `centre`."""
        for _ in range(200):
            point = offset(centre, self.rng.uniform(low, high), self.rng.uniform(0, 2 * math.pi))
            if self._inside(point) and self._far_enough(point, low * 0.6):
                break
        else:
            point = (
                min(max(point[0], self.box.south + 0.15), self.box.north - 0.15),
                min(max(point[1], self.box.west + 0.15), self.box.east - 0.15),
            )
        self.towns.append(point)
        return point


class Namer:
    """Invented, unique town names, library codes and branch codes."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.towns: set[str] = set()
        self.codes: set[str] = set()
        self.postcodes: set[str] = set()
        self.counties: set[str] = set()

    def town(self) -> str:
        while True:
            first = self.rng.choice(names.TOWN_FIRST)
            second = self.rng.choice(names.TOWN_SECOND)
            if second.startswith("-"):
                if " " in first:
                    continue
                name = first + second[1:]
            else:
                name = f"{first} {second}"
            if name not in self.towns and first != second.lstrip("-"):
                self.towns.add(name)
                return name

    def code(self, base_name: str, suffix: str = "") -> str:
        """A code from a name: ELKC for Elk Creek, a digit added when taken."""
        words = re.sub(r"[^A-Za-z ]", "", base_name).upper().split()
        base = words[0][:4] if len(words) == 1 else words[0][:3] + "".join(w[0] for w in words[1:])
        prefix = f"{suffix}-" if suffix else ""
        candidate = prefix + base
        number = 2
        while candidate in self.codes:
            candidate = f"{prefix}{base}{number}"
            number += 1
        self.codes.add(candidate)
        return candidate

    def county(self) -> str:
        unused = [c for c in names.COUNTY_NAMES if c not in self.counties]
        county = self.rng.choice(unused) if unused else self.town()
        self.counties.add(county)
        return county

    def postcode(self) -> str:
        while True:
            code = f"59{self.rng.randint(1, 937):03d}"
            if code not in self.postcodes:
                self.postcodes.add(code)
                return code

    def address(self) -> str:
        street = self.rng.choice(names.STREET_NAMES)
        kind = self.rng.choice(names.STREET_KINDS)
        return f"{self.rng.randint(1, 40) * 10 + self.rng.randint(0, 9)} {street} {kind}"

    def person(self) -> str:
        return f"{self.rng.choice(names.FIRST_NAMES)} {self.rng.choice(names.LAST_NAMES)}"


def open_days(rng: random.Random, size_class: str, main: bool) -> str:
    """Seven digits, Monday first. One-room libraries open 2-4 days, small ones 3-5."""
    if size_class in {"one_room", "small"}:
        low, high = (2, 4) if size_class == "one_room" else (3, 5)
        days = sorted(rng.sample(range(6), rng.randint(low, high)))
        return "".join("1" if d in days else "0" for d in range(7))
    if size_class == "city" and main:
        return rng.choice(["1111111", "1111110"])
    if main:
        return "1111110"
    return rng.choice(["1111100", "0111110", "1111110", "0101110"])


def holidays(today: dt.date) -> list[tuple[dt.date, str]]:
    """The usual US library holidays in the year from today."""

    def nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
        first = dt.date(year, month, 1)
        return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))

    def last_weekday(year: int, month: int, weekday: int) -> dt.date:
        day = dt.date(year, month + 1, 1) - dt.timedelta(days=1)
        return day - dt.timedelta(days=(day.weekday() - weekday) % 7)

    found = []
    for year in (today.year, today.year + 1):
        found += [
            (dt.date(year, 1, 1), "New Year's Day"),
            (last_weekday(year, 5, 0), "Memorial Day"),
            (dt.date(year, 7, 4), "Independence Day"),
            (nth_weekday(year, 9, 0, 1), "Labor Day"),
            (nth_weekday(year, 11, 3, 4), "Thanksgiving"),
            (dt.date(year, 12, 25), "Christmas Day"),
        ]
    end = today + dt.timedelta(days=365)
    return [(day, reason) for day, reason in found if today <= day < end]


def courier_stops(branches: list[tuple[str, float, float]], box: MapBox = MAP_BOX) -> dict:
    """Courier stop names by region (NW, SC, ...), numbered west to east within one."""
    regions: dict[str, list[tuple[float, float, str]]] = {}
    mid_lat = (box.south + box.north) / 2
    third = (box.east - box.west) / 3
    for code, lat, lon in branches:
        ns = "N" if lat >= mid_lat else "S"
        column = min(2, int((lon - box.west) // third))
        regions.setdefault(ns + "WCE"[column], []).append((lon, lat, code))
    stops = {}
    for region, members in sorted(regions.items()):
        for number, (_, _, code) in enumerate(sorted(members), start=1):
            stops[code] = f"{region}-{number:02d}"
    return stops


def _coord(value: float) -> Decimal:
    return Decimal(f"{value:.5f}")


@dataclass(frozen=True)
class _Place:
    name: str
    town: str
    latitude: float
    longitude: float
    main: bool
    label: str  # what the branch code is made from


def _draft_places(
    rng: random.Random, where: Map, namer: Namer, cls: str, count: int, spacing: float
) -> tuple[str, str, list[_Place]]:
    """(library name, code stem, places) for one library."""
    town = namer.town()
    if cls == "city":
        centre = where.anywhere(180.0)
        places = [_Place(f"{town} Main Library", town, *centre, True, "MAIN")]
        for area in rng.sample(names.CITY_BRANCH_NAMES, count - 1):
            lat, lon = offset(centre, rng.uniform(1.5, 6.0), rng.uniform(0, 2 * math.pi))
            places.append(_Place(f"{town} {area} Branch", town, lat, lon, False, area))
        return f"{town} Public Library", town, places
    centre = where.anywhere(spacing)
    if count == 1:
        styles = ["Community Library", "Library", "Reading Room"]
        if cls != "one_room":
            styles = ["Public Library", "Community Library"]
        name = f"{town} {rng.choice(styles)}"
        return name, town, [_Place(name, town, *centre, True, "")]
    county = namer.county()
    places = [_Place(f"{town} Library", town, *centre, True, "MAIN")]
    for _ in range(count - 1):
        branch_town = namer.town()
        lat, lon = where.near(centre, 20.0, 70.0)
        places.append(
            _Place(f"{branch_town} Branch Library", branch_town, lat, lon, False, branch_town)
        )
    return f"{county} County Library", f"{county} Co", places


def plan_libraries(
    rng: random.Random, *, members: int, branches: int, today: dt.date
) -> list[LibraryPlan]:
    """The member libraries with their branches, cities first and one-room libraries last.

    One small library is onboarding and one one-room library is an applicant; the rest
    are active members.
    """
    counts = class_counts(members)
    classes = [cls for cls in SIZE_CLASSES for _ in range(counts[cls])]
    per_library = branch_counts(rng, classes, branches)
    onboarding = rng.choice([i for i, cls in enumerate(classes) if cls == "small"])
    applicant = rng.choice([i for i, cls in enumerate(classes) if cls == "one_room"])
    where = Map(rng)
    namer = Namer(rng)
    spacing = max(15.0, 30.0 * math.sqrt(80 / branches))

    drafts = []
    for i, (cls, count) in enumerate(zip(classes, per_library, strict=True)):
        status = "onboarding" if i == onboarding else "applicant" if i == applicant else "active"
        name, stem, places = _draft_places(rng, where, namer, cls, count, spacing)
        code = namer.code(stem)
        codes = [namer.code(p.label, code) if p.label else code for p in places]
        drafts.append((cls, status, name, code, list(zip(places, codes, strict=True))))

    stops = courier_stops(
        [(bc, p.latitude, p.longitude) for *_, pairs in drafts for p, bc in pairs]
    )
    holiday_list = holidays(today)
    libraries = []
    for number, (cls, status, name, code, pairs) in enumerate(drafts, start=1001):
        training = today + dt.timedelta(days=rng.randint(20, 340))
        closed = list(holiday_list)
        if training not in {day for day, _ in closed}:
            closed = sorted([*closed, (training, "Staff training day")])
        branch_plans = tuple(
            BranchPlan(
                code=branch_code,
                name=place.name,
                address=namer.address(),
                town=place.town,
                postcode=namer.postcode(),
                latitude=_coord(place.latitude),
                longitude=_coord(place.longitude),
                courier_stop=stops[branch_code],
                open_days=open_days(rng, cls, place.main),
                closed_dates=tuple(closed),
            )
            for place, branch_code in pairs
        )
        joined = {
            "active": today - dt.timedelta(days=rng.randint(365, 25 * 365)),
            "onboarding": today - dt.timedelta(days=rng.randint(20, 120)),
            "applicant": None,
        }[status]
        libraries.append(
            LibraryPlan(
                number=number,
                code=code,
                name=name,
                size_class=cls,
                status=status,
                contact_name=namer.person(),
                contact_email=f"director@{code.lower()}.example.org",
                contact_phone=f"(406) 555-01{rng.randint(0, 99):02d}",
                joined_on=joined,
                branches=branch_plans,
            )
        )
    return libraries
