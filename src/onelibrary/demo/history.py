"""A year of the demo group's history, so the insights pages have something to show:
returned loans (own, lent by hold, walk-in), the holds they filled with their transits
and pick-list events, some holds that expired, and acquisition dates — then the daily
summaries built from them by the same `insights.build` the nightly job runs.

All written in bulk; no patron on any of it (closed records past their retention keep
none either). Drawn from the seed, dated back from `today`.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import random
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.utils import timezone

from onelibrary.catalog.models import Item
from onelibrary.circulation.models import Loan
from onelibrary.holds.models import Hold, HoldEvent
from onelibrary.insights.build import rebuild
from onelibrary.members.models import Branch, Library, StaffRole
from onelibrary.patrons.models import Patron
from onelibrary.policy.models import CirculationRule
from onelibrary.policy.resolve import Situation, resolve
from onelibrary.transit.models import Transit

DAYS = 365
LOANS_PER_PATRON_DAY = 0.02  # about 7 loans a patron a year
OWN_SHARE = 0.8  # of a member's patrons' loans, from its own shelves
BY_HOLD_SHARE = 0.75  # of loans between members, filling a hold (the rest walk-in)
NOT_PULLED = 0.06  # of the copies a pick list asks for, not found on the shelf
UNFILLED = 0.12  # holds not picked up in time, for each one filled
BATCH = 2000


@dataclass(frozen=True)
class History:
    loans: int
    holds: int
    transits: int
    days_built: int


@dataclass(frozen=True)
class Copy:
    pk: int
    title_id: int
    library_id: int
    branch_id: int
    item_type: str
    collection: str


class Shelves:
    """Each member's copies, drawn with a popularity skew (a few titles lend a lot)."""

    def __init__(self, rng: random.Random, copies: list[Copy]):
        self.by_library: dict[int, list[Copy]] = defaultdict(list)
        for copy in copies:
            self.by_library[copy.library_id].append(copy)
        self.cumulative: dict[int, list[float]] = {}
        for library, found in self.by_library.items():
            rng.shuffle(found)
            weights = [1 / (rank + 5) for rank in range(len(found))]  # Zipf-like
            self.cumulative[library] = list(itertools.accumulate(weights))
        self.libraries = sorted(self.by_library)
        self.sizes = list(itertools.accumulate(len(self.by_library[lib]) for lib in self.libraries))

    def pick(self, rng: random.Random, library: int) -> Copy:
        weights = self.cumulative[library]
        return self.by_library[library][bisect.bisect(weights, rng.random() * weights[-1]) - 1]

    def other_library(self, rng: random.Random, not_this: int) -> int | None:
        """Another member, chosen by collection size (big lenders lend more)."""
        if len(self.libraries) < 2:
            return None
        while True:
            found = self.libraries[bisect.bisect(self.sizes, rng.random() * self.sizes[-1])]
            if found != not_this:
                return found


class Rules:
    """The group's resolved rule for a copy (adult patrons), as a loan keeps it; one
    resolution per owner, item type and collection."""

    def __init__(self) -> None:
        self.rules = [
            r.as_rule() for r in CirculationRule.objects.select_related("library", "exempt_reason")
        ]
        self.codes = dict(Library.objects.values_list("pk", "code"))
        self.found: dict[tuple[int, str, str], tuple[int, dict[str, object]]] = {}

    def __call__(self, copy: Copy) -> tuple[int, dict[str, object]]:
        key = (copy.library_id, copy.item_type, copy.collection)
        if key not in self.found:
            policy = resolve(
                self.rules,
                Situation(self.codes[copy.library_id], "adult", copy.item_type, copy.collection),
            )
            self.found[key] = (policy.loan_days, dict(policy.as_dict()))
        return self.found[key]


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def write_history(seed: int, today: dt.date, *, days: int = DAYS) -> History:
    rng = random.Random(f"{seed}-history")
    latest = timezone.now() - dt.timedelta(minutes=1)
    copies = [
        Copy(*row)
        for row in Item.objects.filter(home_branch__isnull=False)
        .order_by("pk")
        .values_list(
            "pk", "title_id", "owning_library_id", "home_branch_id", "item_type", "collection"
        )
    ]
    if not copies:
        return History(0, 0, 0, 0)
    shelves = Shelves(rng, copies)
    patrons: dict[int, int] = defaultdict(int)
    for library in Patron.objects.values_list("home_library_id", flat=True):
        patrons[library] += 1
    borrowers = [lib for lib in sorted(patrons) if lib in shelves.by_library]
    branches: dict[int, list[int]] = defaultdict(list)
    for pk, library in Branch.objects.order_by("pk").values_list("pk", "library_id"):
        branches[library].append(pk)
    _date_acquisitions(rng, copies, today, days)
    rule_of = Rules()

    loans: list[Loan] = []
    holds: list[Hold] = []
    hold_loans: list[tuple[Copy, int]] = []  # per hold: its copy, and its pickup branch
    first = today - dt.timedelta(days=days)
    for n in range(days):
        day = first + dt.timedelta(days=n)
        busy = (0.6 if day.weekday() == 6 else 1.0) * (1.15 if day.month in (6, 7, 12) else 1.0)
        for library in borrowers:
            for _ in range(_poisson(rng, patrons[library] * LOANS_PER_PATRON_DAY * busy)):
                desk = rng.choice(branches[library])
                owner = library
                if rng.random() > OWN_SHARE:
                    owner = shelves.other_library(rng, library) or library
                copy = shelves.pick(rng, owner)
                by_hold = owner != library and rng.random() < BY_HOLD_SHARE
                out = _at(day, rng.randrange(9, 19), rng.randrange(60))
                loan_days, rule = rule_of(copy)
                loans.append(
                    Loan(
                        item_id=copy.pk,
                        borrower_library_id=library,
                        borrower_category="adult",
                        owning_library_id=copy.library_id,
                        by_hold=by_hold,
                        state=Loan.State.RETURNED,
                        checkout_branch_id=desk if owner != library else copy.branch_id,
                        checked_out_at=out,
                        due_date=day + dt.timedelta(days=loan_days),
                        rule=rule,
                        # Back before now: a year's history ends today, not in the future.
                        returned_at=min(out + dt.timedelta(days=rng.randrange(3, 28)), latest),
                        checkin_branch_id=desk,
                    )
                )
                if by_hold:
                    holds.append(_filled_hold(rng, copy, library, desk, out))
                    hold_loans.append((copy, desk))
                    if rng.random() < UNFILLED:
                        holds.append(_expired_hold(rng, copy, library, desk, out))
    Loan.objects.bulk_create(loans, batch_size=BATCH)
    Hold.objects.bulk_create(holds, batch_size=BATCH)
    transits, events = _trips_and_pick_lists(rng, holds, hold_loans)
    Transit.objects.bulk_create(transits, batch_size=BATCH)
    HoldEvent.objects.bulk_create(events, batch_size=BATCH)
    built = rebuild(first, today - dt.timedelta(days=1))
    return History(len(loans), len(holds), len(transits), built)


def _poisson(rng: random.Random, mean: float) -> int:
    """A Poisson draw by its normal approximation (means here are small to moderate)."""
    if mean <= 0:
        return 0
    if mean < 20:
        count, threshold, product = 0, pow(2.718281828459045, -mean), rng.random()
        while product > threshold:
            count += 1
            product *= rng.random()
        return count
    return max(0, round(rng.gauss(mean, mean**0.5)))


def _filled_hold(
    rng: random.Random, copy: Copy, library: int, pickup: int, picked_up: dt.datetime
) -> Hold:
    shelf = picked_up - dt.timedelta(days=rng.randrange(0, 4), hours=rng.randrange(0, 5))
    placed = shelf - dt.timedelta(days=min(30, int(rng.expovariate(1 / 4)) + 1), hours=3)
    return Hold(
        title_id=copy.title_id,
        pickup_branch_id=pickup,
        state=Hold.State.FULFILLED,
        placed_at=placed,
        routed_at=placed + dt.timedelta(minutes=5),
        shelf_since=shelf,
        closed_at=picked_up,
        borrower_library_id=library,
        borrower_category="adult",
        owning_library_id=copy.library_id,
        lending_branch_id=copy.branch_id,
    )


def _expired_hold(
    rng: random.Random, copy: Copy, library: int, pickup: int, near: dt.datetime
) -> Hold:
    placed = near - dt.timedelta(days=rng.randrange(0, 20), hours=rng.randrange(0, 6))
    return Hold(
        title_id=copy.title_id,
        pickup_branch_id=pickup,
        state=Hold.State.EXPIRED,
        placed_at=placed,
        closed_at=placed + dt.timedelta(days=rng.randrange(10, 30)),
        borrower_library_id=library,
        borrower_category="adult",
    )


def _trips_and_pick_lists(
    rng: random.Random, holds: list[Hold], hold_loans: list[tuple[Copy, int]]
) -> tuple[list[Transit], list[HoldEvent]]:
    """The trip of each filled hold's copy, and its pick-list events: routed, then sent —
    after, now and then, a first copy routed that was not found on the shelf."""
    codes = dict(Library.objects.values_list("pk", "code"))
    filled = [h for h in holds if h.state == Hold.State.FULFILLED]
    transits: list[Transit] = []
    events: list[HoldEvent] = []
    for hold, (copy, pickup) in zip(filled, hold_loans, strict=True):
        assert hold.shelf_since is not None and hold.placed_at is not None
        lender, borrower = codes[copy.library_id], codes[hold.borrower_library_id or 0]
        if rng.random() < NOT_PULLED:
            events.append(
                HoldEvent(
                    hold=hold,
                    kind="routed",
                    at=hold.placed_at,
                    item_id=copy.pk,
                    lender=lender,
                    borrower=borrower,
                    detail={"demo": "not on shelf"},
                )
            )
        routed = hold.placed_at + dt.timedelta(minutes=5)
        shipped = min(hold.shelf_since, routed + dt.timedelta(days=rng.randrange(0, 2), hours=4))
        events += [
            HoldEvent(
                hold=hold,
                kind="routed",
                at=routed,
                item_id=copy.pk,
                lender=lender,
                borrower=borrower,
            ),
            HoldEvent(
                hold=hold,
                kind="in_transit",
                at=shipped,
                item_id=copy.pk,
                lender=lender,
                borrower=borrower,
            ),
        ]
        transits.append(
            Transit(
                item_id=copy.pk,
                sender_id=copy.branch_id,
                receiver_id=pickup,
                reason=Transit.Reason.HOLD,
                state=Transit.State.RECEIVED,
                hold=hold,
                created_at=routed,
                shipped_at=shipped,
                received_at=hold.shelf_since,
                received_branch_id=pickup,
                closed_at=hold.shelf_since,
            )
        )
    return transits, events


def _date_acquisitions(rng: random.Random, copies: list[Copy], today: dt.date, days: int) -> None:
    """About one copy in twelve bought in the year, the rest years before: buying to set
    against the holds its patrons placed."""
    by_day: dict[dt.date, list[int]] = defaultdict(list)
    for copy in copies:
        if rng.random() < 1 / 12:
            by_day[today - dt.timedelta(days=rng.randrange(1, days + 1))].append(copy.pk)
        else:
            by_day[dt.date(today.year - rng.randrange(2, 15), 1, 1)].append(copy.pk)
    for day, pks in sorted(by_day.items()):
        for start in range(0, len(pks), 500):  # within SQLite's parameter limit
            Item.objects.filter(pk__in=pks[start : start + 500]).update(acquired_on=day)


def write_board_accounts(password_hash: str) -> int:
    """A read-only director or board account per active member, `board.<code>`, with the
    demo password: what the board page looks like for each."""
    libraries = list(Library.objects.filter(status=Library.Status.ACTIVE).order_by("code"))
    users = User.objects.bulk_create(
        User(
            username=f"board.{lib.code.lower()}",
            first_name="Board",
            last_name=lib.name,
            password=password_hash,
        )
        for lib in libraries
    )
    StaffRole.objects.bulk_create(
        StaffRole(user=user, library=lib, role=StaffRole.Role.BOARD)
        for user, lib in zip(users, libraries, strict=True)
    )
    return len(users)
