"""When a hold's copy is expected on the hold shelf, said to the patron: a pure decision
over plain facts (no ORM), EXPECT-1 … 6 in docs/holds/expected.md.

The facts are gathered by `holds.expecting` (courier days from `courier.days`, DAYS-1 …
5; loan due dates from circulation, through `holds.signals.due_back`; the queue). What
is known is said plainly (a copy on the courier: the courier's days); what rests on a
borrower returning a copy on time is said with "about" and a range; when nothing can be
estimated the words say so and give no date.
"""

from __future__ import annotations

import datetime as dt
import heapq
import math
from dataclasses import dataclass, field

from onelibrary.core.duedates import NoOpenDayError, next_open_day

# A due date is a promise the borrower may not keep (returned late, renewed): each loan
# a copy must come back from before it reaches this hold widens the range by this much.
LOAN_MARGIN_DAYS = 7
# A copy on a shelf, not yet chosen for this hold, is pulled the next day at the earliest.
PULL_DAYS = 1


@dataclass(frozen=True)
class Calendar:
    """A branch's opening: Monday first, 1 open; and its closed dates."""

    open_days: str = "1111111"
    closed: frozenset[dt.date] = frozenset()

    def next_open(self, day: dt.date) -> dt.date:
        try:
            return next_open_day(day, self.open_days, self.closed)
        except NoOpenDayError:  # a branch open on no day: the date as counted
            return day


@dataclass(frozen=True)
class Trip:
    """A copy's trip from `origin` (a branch's name) to the pickup branch: `days` from the
    courier-days service, None when it knows no route (DAYS-5); `rule` is its step."""

    origin: str
    days: float | None
    rule: str

    @property
    def whole_days(self) -> int | None:
        return None if self.days is None else math.ceil(self.days)


@dataclass(frozen=True)
class Supply:
    """A copy that may fill a waiting hold, and when it comes free: on a shelf now
    ("shelf"), back from a loan on its due date ("loan"), or after the loan of the patron
    whose hold it now fills ("hold"). `loan_days`: how long the next borrower keeps it."""

    free_on: dt.date
    why: str
    trip: Trip
    loan_days: int


@dataclass(frozen=True)
class HoldFacts:
    state: str  # waiting, routed, in_transit, on_shelf
    today: dt.date
    pickup: str  # the pickup branch's name
    pickup_calendar: Calendar = field(default_factory=Calendar)
    suspended_until: dt.date | None = None
    shelf_expires_on: dt.date | None = None
    trip: Trip | None = None  # routed or in transit: the copy's trip
    ships_on: dt.date | None = None  # routed: when it will ship; in transit: when it left
    ahead: int = 0  # waiting: unsuspended waiting holds before it
    supplies: tuple[Supply, ...] = ()  # waiting: the copies that may fill it


@dataclass(frozen=True)
class Expectation:
    rule: str  # EXPECT-n
    state: str  # the hold's state in words, for the patron
    earliest: dt.date | None  # None: no date can be given
    latest: dt.date | None  # the last day of the range (= earliest when known)
    basis: str  # what the date rests on, in words
    about: bool = False  # rests on a due date or a queue: a guess, said so
    today: dt.date | None = None

    @property
    def days(self) -> int | None:
        if self.earliest is None or self.today is None:
            return None
        return max(0, (self.earliest - self.today).days)

    @property
    def when(self) -> str:
        """The date part, e.g. "expected Thursday 12 June" or "about 12 days, between
        Monday 16 June and Monday 23 June"; empty when nothing can be estimated."""
        if self.earliest is None:
            return ""
        first = _day(self.earliest)
        if not self.about:
            return f"expected {first}"
        days = self.days or 0
        around = "today" if days == 0 else f"{days} day" if days == 1 else f"{days} days"
        if self.latest is None or self.latest == self.earliest:
            return f"about {around}, around {first}"
        return f"about {around}, between {first} and {_day(self.latest)}"

    @property
    def words(self) -> str:
        """The whole sentence for the patron: "On its way from Elk Falls Library, usually
        3 days: expected Thursday 12 June."."""
        if not self.when:
            return f"{self.state}."
        return f"{self.state}: {self.when}."

    @property
    def late_after(self) -> dt.date | None:
        """The hold is late once this day has passed with the copy not on the shelf."""
        return self.latest


def _day(day: dt.date) -> str:
    return f"{day:%A} {day.day} {day:%B}"


def ships_on(routed_on: dt.date, lender: Calendar) -> dt.date:
    """The day a copy routed on `routed_on` leaves its shelf, as routing counts pull days
    (holds/inputs.py): the lending branch's next open day, plus one."""
    return lender.next_open(routed_on) + dt.timedelta(days=PULL_DAYS)


def expect(facts: HoldFacts) -> Expectation:
    if facts.state == "on_shelf":
        return _on_shelf(facts)
    if facts.state in ("routed", "in_transit"):
        return _travelling(facts)
    if facts.suspended_until is not None and facts.suspended_until >= facts.today:
        # EXPECT-6: a suspended hold is not filled before the date; nothing to promise.
        return Expectation(
            "EXPECT-6",
            f"Suspended until {_day(facts.suspended_until)}: it keeps its place but is "
            "not filled before then",
            None,
            None,
            "the suspension",
            today=facts.today,
        )
    return _waiting(facts)


def _on_shelf(facts: HoldFacts) -> Expectation:
    """EXPECT-1: it is there."""
    until = facts.shelf_expires_on
    state = f"On the hold shelf at {facts.pickup}"
    if until:
        state += f": pick up by {_day(until)}"
    return Expectation("EXPECT-1", state, None, None, "on the hold shelf", today=facts.today)


def _travelling(facts: HoldFacts) -> Expectation:
    """EXPECT-2 (in transit) and EXPECT-3 (being pulled): the ship day plus the courier
    days, then the pickup branch's next open day. No route known: EXPECT-5."""
    trip = facts.trip
    ship = facts.ships_on or facts.today
    routed = facts.state == "routed"
    if trip is None or trip.days is None:
        origin = trip.origin if trip else "another branch"
        state = f"Being pulled at {origin}" if routed else f"On its way from {origin}"
        return _unknown(
            facts,
            f"{state}; no courier route to {facts.pickup} is known, so we cannot say when "
            "it arrives",
        )
    if routed:
        ship = max(ship, facts.today)
    arrival = facts.pickup_calendar.next_open(ship + dt.timedelta(days=trip.whole_days or 0))
    basis = f"courier days ({trip.rule})"
    if routed:
        if trip.days == 0:
            state = f"Being pulled from the shelf at {trip.origin}"
        else:
            days = _n_days(trip.whole_days)
            state = f"Being pulled at {trip.origin}, then usually {days} by courier"
        return Expectation("EXPECT-3", state, arrival, arrival, basis, today=facts.today)
    state = f"On its way from {trip.origin}, usually {_n_days(trip.whole_days)}"
    if arrival < facts.today:
        state += f"; it was expected {_day(arrival)} and is running late"
        return Expectation("EXPECT-2", state, None, None, basis, today=facts.today)
    return Expectation("EXPECT-2", state, arrival, arrival, basis, today=facts.today)


def _n_days(days: int | None) -> str:
    return "1 day" if days == 1 else f"{days} days"


def _waiting(facts: HoldFacts) -> Expectation:
    """EXPECT-4: the copies that may fill it are handed out in the order they come free
    (on a shelf: tomorrow; on loan: the due date, or today if overdue; filling a hold
    now: after that patron's loan), one to each hold ahead — who then keeps it a loan
    period — and then to this one; its trip follows. EXPECT-5: no copy can fill it."""
    usable = [s for s in facts.supplies if s.trip.days is not None]
    ahead = f", {facts.ahead} ahead of you" if facts.ahead else ""
    if not usable:
        why = (
            "no copy that can fill it has a courier route to " + facts.pickup
            if facts.supplies
            else "no copy in the group can fill it at the moment"
        )
        return _unknown(facts, f"Waiting{ahead}; {why}, so we cannot say when")
    # (free day, loans it must come back from, tie-break, supply)
    queue = [(_free_on(s, facts.today), int(s.why != "shelf"), n, s) for n, s in enumerate(usable)]
    heapq.heapify(queue)
    order = len(queue)
    for _ in range(facts.ahead):
        free_on, loans, _n, supply = heapq.heappop(queue)
        arrives = free_on + dt.timedelta(days=supply.trip.whole_days or 0)
        back = arrives + dt.timedelta(days=supply.loan_days)
        heapq.heappush(queue, (back, loans + 1, order, supply))
        order += 1
    free_on, loans, _n, supply = queue[0]
    earliest = facts.pickup_calendar.next_open(
        free_on + dt.timedelta(days=supply.trip.whole_days or 0)
    )
    latest = facts.pickup_calendar.next_open(earliest + dt.timedelta(days=LOAN_MARGIN_DAYS * loans))
    if loans:
        state = f"Waiting for a copy to come back{ahead}"
        basis = "loan due dates" + (" and the queue" if facts.ahead else "")
    else:
        state = f"Waiting{ahead}"
        basis = "the queue" if facts.ahead else f"a copy on the shelf at {supply.trip.origin}"
    basis += f", courier days ({supply.trip.rule})"
    return Expectation("EXPECT-4", state, earliest, latest, basis, about=True, today=facts.today)


def _free_on(supply: Supply, today: dt.date) -> dt.date:
    """On a shelf: pulled tomorrow at the earliest. Back from a loan: captured at the desk
    the day it is returned, and sent on at once (an overdue copy: today at the earliest)."""
    if supply.why == "shelf":
        return max(supply.free_on, today) + dt.timedelta(days=PULL_DAYS)
    return max(supply.free_on, today)


def _unknown(facts: HoldFacts, state: str) -> Expectation:
    """EXPECT-5: nothing to estimate from; said plainly, with no date."""
    return Expectation("EXPECT-5", state, None, None, "nothing to estimate from", today=facts.today)
