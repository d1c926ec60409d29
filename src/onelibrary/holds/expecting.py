"""The facts `holds.expected` decides from, read for many holds at once, and the expected
date remembered on the hold (docs/holds/expected.md).

A fixed number of queries whatever the number of holds: My account and the API list a
patron's holds through `expectations`. Courier days come from the courier-days service
(`courier.days`, DAYS-1 … 5); the due dates of copies on loan from circulation, through
`holds.signals.due_back`; a copy's trip for a hold in transit starts the day of the hold's
`in_transit` event, from the branch that event names.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import NamedTuple

from django.utils import timezone

from onelibrary.catalog.models import Item
from onelibrary.courier import days as courier_days
from onelibrary.holds import inputs
from onelibrary.holds.expected import (
    Calendar,
    Expectation,
    HoldFacts,
    Supply,
    Trip,
    expect,
    ships_on,
)
from onelibrary.holds.models import OPEN_STATES, Hold, HoldEvent
from onelibrary.holds.signals import due_back
from onelibrary.members.models import Branch, ClosedDate
from onelibrary.policy.resolve import Situation, resolve

S = Hold.State
# Closed dates read this far ahead: beyond it, an estimate is a guess either way.
CALENDAR_DAYS = 180
# A copy's loan period when no rule gives one (policy always should; the estimate goes on).
DEFAULT_LOAN_DAYS = 21
Leg = courier_days.Leg  # (from branch, to branch, ship date)


class _Open(NamedTuple):
    """An open hold on a waiting hold's title, as the queue needs it."""

    pk: int
    title_id: int
    state: str
    placed_at: dt.datetime
    suspended_until: dt.date | None
    assigned_item_id: int | None


def expectations(holds: Sequence[Hold], now: dt.datetime | None = None) -> dict[int, Expectation]:
    """Each open hold's expectation, by hold id; `holds` loaded with `queries.RELATED`."""
    today = inputs.local_date(now)
    return {pk: expect(facts) for pk, facts in gather(holds, today).items()}


def expectation(hold: Hold, now: dt.datetime | None = None) -> Expectation | None:
    return expectations([hold], now).get(hold.pk)


def gather(holds: Sequence[Hold], today: dt.date) -> dict[int, HoldFacts]:
    holds = [h for h in holds if h.state in OPEN_STATES]
    if not holds:
        return {}
    waiting = [h for h in holds if h.state == S.WAITING]
    travelling = [h for h in holds if h.state in (S.ROUTED, S.IN_TRANSIT)]
    queue = _Queue.read({h.title_id for h in waiting}, today)
    left = _left_from({h.pk for h in holds if h.state == S.IN_TRANSIT})
    branch_ids = {h.pickup_branch_id for h in holds} | queue.branch_ids()
    branch_ids |= {origin for origin, _on in left.values()}
    for hold in travelling:
        if hold.assigned_item is not None:
            branch_ids.add(hold.assigned_item.current_branch_id)
    branches = _Branches.read(branch_ids, today)

    legs: dict[int, Leg] = {}  # travelling hold -> its copy's leg
    for hold in travelling:
        item = hold.assigned_item
        if item is None:
            continue
        if hold.state == S.IN_TRANSIT:
            event = left.get(hold.pk)
            origin, on = (event[0], event[1]) if event else (item.current_branch_id, today)
        else:
            routed_on = inputs.local_date(hold.routed_at) if hold.routed_at else today
            origin = item.current_branch_id
            on = ships_on(routed_on, branches.calendar(origin))
        legs[hold.pk] = (origin, hold.pickup_branch_id, on)
    supply_legs = {(b, h.pickup_branch_id, today) for h in waiting for b in queue.origins(h)}
    trips = _trips(set(legs.values()) | supply_legs, branches)

    found: dict[int, HoldFacts] = {}
    for hold in holds:
        facts = HoldFacts(
            state=hold.state,
            today=today,
            pickup=hold.pickup_branch.name,
            pickup_calendar=branches.calendar(hold.pickup_branch_id),
        )
        if hold.state == S.ON_SHELF:
            facts = replace(facts, shelf_expires_on=hold.shelf_expires_on)
        elif hold.pk in legs:
            leg = legs[hold.pk]
            facts = replace(facts, trip=trips[leg], ships_on=leg[2])
        elif hold.state == S.WAITING:
            facts = replace(
                facts,
                suspended_until=hold.suspended_until,
                ahead=queue.ahead(hold),
                supplies=tuple(queue.supplies(hold, trips)),
            )
        # else routed or in transit without a copy: the data is wrong; no trip, no date
        found[hold.pk] = facts
    return found


# --- the queue: a title's holds and copies ------------------------------------------


class _Queue:
    """The waiting holds' titles: their open holds, copies, and when each copy comes free."""

    def __init__(
        self,
        today: dt.date,
        holds: list[_Open],
        copies: dict[int, list[Item]],
        serving: set[int],
        due: dict[int, dt.date],
        loan_days: dict[int, int],
    ) -> None:
        self.today = today
        self.holds = holds
        self.copies = copies
        self.serving = serving
        self.due = due
        self.loan_days = loan_days

    @classmethod
    def read(cls, title_ids: set[int], today: dt.date) -> _Queue:
        if not title_ids:
            return cls(today, [], {}, set(), {}, {})
        holds = [
            _Open(*row)
            for row in Hold.objects.filter(
                title_id__in=title_ids, state__in=OPEN_STATES
            ).values_list(*_Open._fields)
        ]
        serving = {
            h.assigned_item_id
            for h in holds
            if h.state != S.WAITING and h.assigned_item_id is not None
        }
        cache = inputs.RuleCache()
        copies: dict[int, list[Item]] = defaultdict(list)
        loan_days: dict[int, int] = {}
        rules: dict[tuple[str, str, str], int] = {}
        for item in (
            Item.objects.filter(title_id__in=title_ids)
            .exclude(status__in=inputs.GONE)
            .select_related("owning_library", "home_branch", "current_branch")
            .order_by("pk")
        ):
            fit = cache.for_item(item, item.owning_library.code)
            if not fit.holdable or fit.exempt:
                continue
            copies[item.title_id].append(item)
            key = (item.owning_library.code, item.item_type, item.collection)
            if key not in rules:
                days = resolve(cache.rules, Situation(key[0], "", *key[1:])).values["loan_days"]
                rules[key] = int(str(days)) if days is not None else DEFAULT_LOAN_DAYS
            loan_days[item.pk] = rules[key]
        out = [
            i.pk
            for found in copies.values()
            for i in found
            if i.status == Item.Status.CHECKED_OUT and i.pk not in serving
        ]
        due: dict[int, dt.date] = {}
        for _receiver, answer in due_back.send(sender=Hold, item_ids=out) if out else ():
            if isinstance(answer, dict):
                due.update(answer)
        return cls(today, holds, copies, serving, due, loan_days)

    def _fills(self, hold: Hold) -> list[Item]:
        found = self.copies.get(hold.title_id, [])
        return [i for i in found if i.pk == hold.item_id] if hold.item_id else found

    def _origin(self, item: Item) -> int:
        """Where the copy starts its trip: here if on a shelf, else its home branch (where
        a loan most often comes back)."""
        if item.status == Item.Status.AVAILABLE and item.pk not in self.serving:
            return item.current_branch_id
        return item.home_branch_id

    def origins(self, hold: Hold) -> set[int]:
        return {self._origin(item) for item in self._fills(hold)}

    def branch_ids(self) -> set[int]:
        return {self._origin(item) for found in self.copies.values() for item in found}

    def ahead(self, hold: Hold) -> int:
        mine = (hold.placed_at, hold.pk)
        return sum(
            1
            for h in self.holds
            if h.title_id == hold.title_id
            and h.state == S.WAITING
            and (h.placed_at, h.pk) < mine
            and not (h.suspended_until is not None and h.suspended_until >= self.today)
        )

    def supplies(self, hold: Hold, trips: dict[Leg, Trip]) -> Iterable[Supply]:
        for item in self._fills(hold):
            loan = self.loan_days.get(item.pk, DEFAULT_LOAN_DAYS)
            trip = trips[(self._origin(item), hold.pickup_branch_id, self.today)]
            if item.pk in self.serving:  # filling another hold: that patron borrows it
                yield Supply(self.today + dt.timedelta(days=loan), "hold", trip, loan)
            elif item.status == Item.Status.CHECKED_OUT:
                due = self.due.get(item.pk, self.today + dt.timedelta(days=loan))
                yield Supply(due, "loan", trip, loan)
            elif item.status == Item.Status.AVAILABLE:
                yield Supply(self.today, "shelf", trip, loan)
            else:  # travelling home, in processing: back on a shelf in a few days
                yield Supply(
                    self.today + dt.timedelta(days=trip.whole_days or 0), "shelf", trip, loan
                )


# --- branches, their calendars, and the courier ---------------------------------------


class _Branches:
    def __init__(self, names: dict[int, str], calendars: dict[int, Calendar]) -> None:
        self.names = names
        self.calendars = calendars

    @classmethod
    def read(cls, ids: set[int], today: dt.date) -> _Branches:
        rows = Branch.objects.filter(pk__in=ids).values_list("pk", "name", "open_days")
        closed: dict[int, set[dt.date]] = defaultdict(set)
        for branch_id, day in ClosedDate.objects.filter(
            branch_id__in=ids, date__gte=today, date__lte=today + dt.timedelta(days=CALENDAR_DAYS)
        ).values_list("branch_id", "date"):
            closed[branch_id].add(day)
        names = {}
        calendars = {}
        for pk, name, open_days in rows:
            names[pk] = name
            calendars[pk] = Calendar(open_days, frozenset(closed[pk]))
        return cls(names, calendars)

    def calendar(self, pk: int) -> Calendar:
        return self.calendars.get(pk, Calendar())


def _left_from(hold_ids: set[int]) -> dict[int, tuple[int, dt.date]]:
    """For holds in transit: the branch their copy left and the day (the last `in_transit`
    event: a hold whose copy was sent on, CHECKIN-18, left again)."""
    if not hold_ids:
        return {}
    events = HoldEvent.objects.filter(hold_id__in=hold_ids, kind="in_transit").order_by("at", "pk")
    found = list(events.values_list("hold_id", "at", "detail"))
    codes = {str(detail.get("origin", "")) for _h, _a, detail in found}
    by_code = dict(Branch.objects.filter(code__in=codes).values_list("code", "pk"))
    left: dict[int, tuple[int, dt.date]] = {}
    for hold_id, at, detail in found:
        origin = by_code.get(str(detail.get("origin", "")))
        if origin is not None:
            left[hold_id] = (origin, timezone.localtime(at).date())
    return left


def _trips(legs: set[Leg], branches: _Branches) -> dict[Leg, Trip]:
    """The courier-days service's answer for each leg, in one call."""
    answers = courier_days.days_for_legs(legs)
    return {
        leg: Trip(branches.names.get(leg[0], "another branch"), found.days, found.source.rule)
        for leg, found in answers.items()
    }


# --- what the patron was told, kept on the hold -----------------------------------------


def remember(holds: Sequence[Hold], now: dt.datetime) -> dict[int, Expectation]:
    """Keep on each hold the expectation given now: when it is placed, and when its copy
    starts out (routed: EXPECT-3; in transit: EXPECT-2). The daily job (`holds.late`)
    compares the day kept with today; nothing else moves it, so a hold late against what
    the patron was told stays late. The holds are read again, with what `gather` reads
    of them, in one query."""
    loaded = Hold.objects.select_related("pickup_branch", "assigned_item").filter(
        pk__in=[h.pk for h in holds]
    )
    found = expectations(list(loaded), now)
    for pk, expected in found.items():
        Hold.objects.filter(pk=pk).update(
            expected_by=expected.late_after,
            expected_said=expected.words[:300],
            expected_rule=expected.rule,
        )
    return found
