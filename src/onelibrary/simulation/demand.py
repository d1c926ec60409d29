"""What the patrons and the members do, drawn once per seed before any policy runs.

Every variant of a comparison replays the same `Demand`: the same holds by the same
patrons on the same days, the same walk-ins, the same new purchases, the same pickup
delays and loan lengths. Only what the policy decides differs. The numbers below are
assumptions, explained in docs/simulation.md.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from bisect import bisect
from collections import Counter
from dataclasses import dataclass
from itertools import accumulate

from onelibrary.demo.collection import TITLE_KINDS
from onelibrary.simulation.world import Title, World

HOLDS_PER_PATRON_DAY = 0.008  # about three holds a patron a year
WALKINS_PER_PATRON_DAY = 0.016  # about six loans off the shelf a patron a year
# Patrons of small libraries find less on their own shelves and ask the group more.
HOLD_RATE_BY_CLASS = {"city": 0.8, "large": 0.9, "medium": 1.0, "small": 1.2, "one_room": 1.4}
# Who buys the new titles: share of the group's collection times an appetite for new
# releases, so most new copies land at city and large libraries.
BUYING_WEIGHT = {
    "city": 30 * 2.0,
    "large": 12 * 1.5,
    "medium": 5,
    "small": 2 * 0.6,
    "one_room": 0.4,
}
NEW_RELEASE_BOOST = 2.5  # the demo's extra popularity for recent titles
# Interest in a new title: NEW_DEMAND_SCALE * popularity ** NEW_DEMAND_POWER on release,
# halving every NEW_DEMAND_HALF_LIFE days. Steep for the few blockbusters (deep queues, as
# copies stop at 40), and about half of all holds go to titles of the last year.
NEW_DEMAND_SCALE = 10.0
NEW_DEMAND_POWER = 1.25
NEW_DEMAND_HALF_LIFE = 60.0
HISTORY_DAYS = 180  # releases from before the run, so it starts with a steady stream
PREPUB_DAYS = 14  # holds start this long before the first copies are on the shelf
PICKUP_DELAY_WEIGHTS = (10, 30, 25, 15, 10, 6, 4)  # days 0..6 on the hold shelf
RENEWAL_SHARE = 0.08  # loans kept for a second period
WALKIN_LOOKS = 3  # copies a walk-in takes off the shelf to look at before leaving
NEW_COLLECTIONS = {
    ("book", "adult"): "NEW",
    ("book", "juv"): "JUV",
    ("book", "ya"): "YA",
    ("large_print", "adult"): "LP",
    ("video", "adult"): "DVD",
    ("video", "juv"): "DVD",
    ("sound", "adult"): "AUDIO",
    ("music", "adult"): "MUSIC",
}


@dataclass(frozen=True)
class Release:
    title: Title  # id continues after the world's titles
    day: int  # interest starts; copies follow within a fortnight


@dataclass(frozen=True)
class Purchase:
    day: int  # on the shelf, ready to lend (its local-priority window starts)
    title: int
    owner: str
    home: int  # branch id
    collection: str


@dataclass(frozen=True)
class HoldDemand:
    day: int
    patron: int  # index in World.patrons
    title: int
    pickup_delay: int  # days on the hold shelf before pickup
    loan_share: float  # share of the loan period kept (above 1: renewed)


@dataclass(frozen=True)
class WalkIn:
    day: int
    branch: int
    looks: tuple[tuple[float, float], ...]  # (which shelf copy, would they take it)
    loan_share: float


@dataclass(frozen=True)
class Demand:
    days: int
    releases: tuple[Release, ...]
    purchases: tuple[Purchase, ...]
    holds: tuple[HoldDemand, ...]
    walkins: tuple[WalkIn, ...]


def _count(rng: random.Random, mean: float) -> int:
    """A Poisson-like count: exact for small means, normal for large ones."""
    if mean < 30:
        limit, k, p = math.exp(-mean), 0, rng.random()
        while p > limit:
            k += 1
            p *= rng.random()
        return k
    return max(0, round(rng.gauss(mean, math.sqrt(mean))))


def _loan_share(rng: random.Random) -> float:
    share = rng.uniform(0.35, 1.0)
    return share + 1.0 if rng.random() < RENEWAL_SHARE else share


def plan_releases(rng: random.Random, world: World, days: int) -> list[Release]:
    per_day = world.new_titles_per_year / 365
    kinds = [(fmt, aud) for fmt, aud, _ in TITLE_KINDS]
    kind_weights = [w for *_, w in TITLE_KINDS]
    releases: list[Release] = []
    for day in range(-HISTORY_DAYS, days):
        for _ in range(_count(rng, per_day)):
            fmt, aud = rng.choices(kinds, weights=kind_weights)[0]
            popularity = rng.paretovariate(1.6) * NEW_RELEASE_BOOST
            title = Title(len(world.titles) + len(releases), popularity, NEW_COLLECTIONS[fmt, aud])
            releases.append(Release(title, day))
    return releases


def plan_purchases(rng: random.Random, world: World, releases: list[Release]) -> list[Purchase]:
    """Copies of each new title, mostly bought by the big libraries (see BUYING_WEIGHT)."""
    members = list(world.members)
    cum = list(accumulate(BUYING_WEIGHT[m.size_class] for m in members))
    branches: dict[str, list[int]] = {}
    for b in world.branches:
        branches.setdefault(b.library, []).append(b.id)
    purchases = []
    for release in releases:
        copies = max(1, min(40, round(release.title.popularity * rng.uniform(0.6, 1.4))))
        for _ in range(copies):
            owner = rng.choices(members, cum_weights=cum)[0].code
            ids = branches[owner]
            home = rng.choices(ids, weights=[3] + [1] * (len(ids) - 1))[0]
            day = release.day + PREPUB_DAYS + rng.randint(-3, 7)
            purchases.append(Purchase(day, release.title.id, owner, home, release.title.collection))
    return purchases


def plan_holds(
    rng: random.Random, world: World, releases: list[Release], days: int
) -> list[HoldDemand]:
    """Holds where patrons live, on titles weighted by popularity; new releases draw a
    burst of interest that fades. A patron asks for a title at most once in the run."""
    classes = {m.code: m.size_class for m in world.members}
    rates = [HOLD_RATE_BY_CLASS[classes[p.library]] for p in world.patrons]
    patron_cum = list(accumulate(rates))
    per_day = HOLDS_PER_PATRON_DAY * patron_cum[-1]
    holdable = Counter(c.title for c in world.copies if c.holdable and c.status != "gone")
    backlist = [t for t in world.titles if holdable[t.id]]
    back_cum = list(accumulate(t.popularity for t in backlist))
    asked: set[tuple[int, int]] = set()
    holds = []
    for day in range(days):
        live = [r for r in releases if 0 <= day - r.day < 365]
        new_weights = [
            NEW_DEMAND_SCALE
            * r.title.popularity**NEW_DEMAND_POWER
            * 0.5 ** ((day - r.day) / NEW_DEMAND_HALF_LIFE)
            for r in live
        ]
        new_total = sum(new_weights)
        new_cum = list(accumulate(new_weights))
        for _ in range(_count(rng, per_day)):
            patron = bisect(patron_cum, rng.random() * patron_cum[-1])
            pick = rng.random() * (back_cum[-1] + new_total)
            if pick < back_cum[-1]:
                title = backlist[min(bisect(back_cum, pick), len(backlist) - 1)].id
            else:
                index = bisect(new_cum, pick - back_cum[-1])
                title = live[min(index, len(live) - 1)].title.id
            delay = rng.choices(range(len(PICKUP_DELAY_WEIGHTS)), PICKUP_DELAY_WEIGHTS)[0]
            share = _loan_share(rng)
            if (patron, title) in asked:
                continue
            asked.add((patron, title))
            holds.append(HoldDemand(day, patron, title, delay, share))
    return holds


def plan_walkins(rng: random.Random, world: World, days: int) -> list[WalkIn]:
    """Walk-ins at the branches patrons prefer, on the days those branches are open."""
    patrons_at = Counter(p.branch for p in world.patrons)
    per_day = WALKINS_PER_PATRON_DAY * len(world.patrons)
    walkins = []
    for day in range(days):
        weekday = (world.start + dt.timedelta(days=day)).weekday()
        open_ids = [b.id for b in world.branches if b.open_days[weekday] == "1"]
        weights = [
            patrons_at[i] * 7 / max(1, world.branches[i].open_days.count("1")) for i in open_ids
        ]
        if not open_ids or sum(weights) == 0:
            continue
        cum = list(accumulate(weights))
        for _ in range(_count(rng, per_day)):
            branch = open_ids[bisect(cum, rng.random() * cum[-1])]
            looks = tuple((rng.random(), rng.random()) for _ in range(WALKIN_LOOKS))
            walkins.append(WalkIn(day, branch, looks, _loan_share(rng)))
    return walkins


def generate(world: World, *, seed: int, days: int) -> Demand:
    """The demand for a run, from its own random streams: policies never change it."""

    def stream(part: str) -> random.Random:
        return random.Random(f"onelibrary-simulation:{seed}:{part}")

    releases = plan_releases(stream("releases"), world, days)
    return Demand(
        days=days,
        releases=tuple(releases),
        purchases=tuple(plan_purchases(stream("purchases"), world, releases)),
        holds=tuple(plan_holds(stream("holds"), world, releases, days)),
        walkins=tuple(plan_walkins(stream("walkins"), world, days)),
    )
