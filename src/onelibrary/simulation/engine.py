"""The daily loop: demand in, the real routing and capture decide, copies move.

Each simulated day, in order: scheduled events (copies arriving on hold shelves or back
home, pickups, returns with capture at the desk), new copies reaching the shelf, walk-in
checkouts, new holds, and at night one routing of every waiting hold that has an
available copy. Routed copies are pulled on the lending branch's next open day and
travel the whole courier days, rounded up. See docs/simulation.md.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Sequence

from onelibrary.holds import routing
from onelibrary.holds.routing import Copy, HoldRequest
from onelibrary.simulation.demand import Demand
from onelibrary.simulation.policy import Policy
from onelibrary.simulation.records import Fill, Outcome
from onelibrary.simulation.router import (
    LOAD_WINDOW_DAYS,
    Router,
    check_assignments,
    lending_load,
)
from onelibrary.simulation.world import CopyPlan, World, days_until_open

WALKIN_TAKE_SCALE = 4.0  # a walk-in takes a copy of popularity p with chance p / 4
LOAN_DAYS = {"DVD": 7}  # the demo's group rules: DVDs a week, everything else three weeks
DEFAULT_LOAN_DAYS = 21

ON_SHELF, RESERVED, MOVING, HOLD_SHELF, ON_LOAN, NOT_YET = range(6)
PULL, ARRIVE, PICKUP, RETURN, HOME, READY = range(6)


class Run:
    """One policy over one demand. State is kept in lists indexed by copy (the world's
    copies, then the purchases), so a day of the large group costs little besides routing."""

    def __init__(
        self, world: World, demand: Demand, policy: Policy, router: Router, seed: int
    ) -> None:
        self.world = world
        self.demand = demand
        self.policy = policy
        self.router = router
        self.seed = seed
        self.networks = [world.network(policy.local_window, weekday) for weekday in range(7)]
        self.network = self.networks[world.start.weekday()]
        self.members = tuple(m.code for m in world.members)
        self.popularity = [t.popularity for t in world.titles]
        self.popularity += [r.title.popularity for r in demand.releases]
        self.open_wait = [
            [days_until_open(b.open_days, wd) for wd in range(7)] for b in world.branches
        ]
        floated = {(c.owner, c.collection) for c in world.copies if c.floating}
        copies = list(world.copies) + [
            CopyPlan(
                title=p.title,
                owner=p.owner,
                home=p.home,
                collection=p.collection,
                created=world.start + dt.timedelta(days=p.day),
                status="on order",
                floating=(p.owner, p.collection) in floated,  # as the owner floats it today
            )
            for p in demand.purchases
        ]
        self.title = [c.title for c in copies]
        self.owner = [c.owner for c in copies]
        self.home = [c.home for c in copies]
        self.at = list(self.home)
        self.collection = [c.collection for c in copies]
        self.created = [c.created for c in copies]
        self.holdable = [c.holdable for c in copies]
        self.floats = [policy.floats(c.collection, c.floating) for c in copies]
        self.state = [NOT_YET] * len(copies)
        self.shelf: list[list[int]] = [[] for _ in world.branches]
        self.pos = [-1] * len(copies)
        self.avail: dict[int, set[int]] = {}
        self.today = 0
        self.changed: set[int] = set()  # titles to route tonight
        self.window_ends: defaultdict[int, set[int]] = defaultdict(set)
        self.calendar: defaultdict[int, list[tuple[int, int, int]]] = defaultdict(list)
        self.waiting: dict[int, dict[int, None]] = {}
        self.requests: dict[int, HoldRequest] = {}
        self.filling: dict[int, int] = {}  # copy -> hold it is on its way to fill
        self.trip: dict[int, float] = {}  # hold -> courier days of the copy's trip
        self.captured: set[int] = set()
        self.chosen_on: dict[int, int] = {}  # hold -> day its copy was chosen
        self.recent: deque[tuple[int, str, str]] = deque()
        self.lent: Counter[str] = Counter()
        self.borrowed: Counter[str] = Counter()
        self.load: dict[str, float] = {}
        self.fills: list[Fill] = []
        self.moves_to_pickup = self.moves_home = self.walkin_loans = 0
        self.walkins_between: list[tuple[str, str]] = []
        self.courier_days_home = 0.0
        self._start(len(world.copies))

    def _start(self, planned: int) -> None:
        """The copies as the demo left them; purchases reach the shelf on their day."""
        rng = random.Random(f"onelibrary-simulation:{self.seed}:start")
        for c, plan in enumerate(self.world.copies):
            if plan.status == "available":
                self.shelve(c, self.home[c])
            elif plan.status == "checked_out":
                self.state[c] = ON_LOAN
                self.calendar[rng.randint(0, 20)].append((RETURN, c, self.home[c]))
            elif plan.status == "in_transit":
                self.state[c] = MOVING
                self.calendar[rng.randint(0, 2)].append((HOME, c, 0))
            elif plan.status == "in_processing":
                self.calendar[rng.randint(0, 13)].append((READY, c, 0))
        for offset, purchase in enumerate(self.demand.purchases):
            self.calendar[max(0, purchase.day)].append((READY, planned + offset, 0))

    # The shelf: copies a walk-in can take and routing can choose.

    def shelve(self, c: int, branch: int) -> None:
        self.at[c] = branch
        self.state[c] = ON_SHELF
        self.pos[c] = len(self.shelf[branch])
        self.shelf[branch].append(c)
        if self.holdable[c]:
            self.avail.setdefault(self.title[c], set()).add(c)
            self.changed.add(self.title[c])
            free_from = (self.created[c] - self.world.start).days + self.policy.local_window
            if free_from > self.today:
                self.window_ends[free_from].add(self.title[c])

    def unshelve(self, c: int) -> None:
        shelf, i = self.shelf[self.at[c]], self.pos[c]
        last = shelf.pop()
        if last != c:
            shelf[i] = last
            self.pos[last] = i
        self.pos[c] = -1
        if self.holdable[c]:
            available = self.avail[self.title[c]]
            available.discard(c)
            if not available:
                del self.avail[self.title[c]]

    def copy_view(self, c: int) -> Copy:
        return Copy(
            id=c,
            title_id=self.title[c],
            branch_id=self.at[c],
            owner=self.owner[c],
            created=self.created[c],
            holdable=self.holdable[c],
        )

    # Holds.

    def place(self, h: int, day: int, sequence: int) -> None:
        want = self.demand.holds[h]
        patron = self.world.patrons[want.patron]
        placed = dt.datetime.combine(self.world.start + dt.timedelta(days=day), dt.time(8))
        self.requests[h] = HoldRequest(
            id=h,
            title_id=want.title,
            pickup_branch_id=patron.branch,
            patron_library=patron.library,
            placed_at=placed + dt.timedelta(seconds=sequence),
        )
        self.waiting.setdefault(want.title, {})[h] = None
        self.changed.add(want.title)

    def assign(self, c: int, h: int, day: int, *, captured: bool) -> None:
        """Copy c will fill hold h: off the queue, and counted in the lending load."""
        request = self.requests[h]
        queue = self.waiting[request.title_id]
        del queue[h]
        if not queue:
            del self.waiting[request.title_id]
        self.filling[c] = h
        self.chosen_on[h] = day
        if captured:
            self.captured.add(h)
            self.ship(c, day)
        else:
            self.unshelve(c)
            self.state[c] = RESERVED
            # Pulled the next day the lending branch is open.
            weekday = (self.world.start + dt.timedelta(days=day + 1)).weekday()
            self.calendar[day + 1 + self.open_wait[self.at[c]][weekday]].append((PULL, c, h))

    def ship(self, c: int, day: int) -> None:
        h = self.filling[c]
        pickup = self.requests[h].pickup_branch_id
        days = self.network.courier_days[self.at[c], pickup]
        self.trip[h] = days
        if days == 0:
            self.on_hold_shelf(c, day)
            return
        self.moves_to_pickup += 1
        self.state[c] = MOVING
        self.calendar[day + max(1, math.ceil(days))].append((ARRIVE, c, h))

    def on_hold_shelf(self, c: int, day: int) -> None:
        h = self.filling[c]
        request = self.requests[h]
        self.at[c] = request.pickup_branch_id
        self.state[c] = HOLD_SHELF
        chosen = self.chosen_on.pop(h)
        self.fills.append(
            Fill(
                hold=h,
                patron_library=request.patron_library,
                owner=self.owner[c],
                placed=self.demand.holds[h].day,
                shelved=day,
                courier_days=self.trip.pop(h),
                captured=h in self.captured,
                chosen=chosen,
                copy_age=(self.world.start + dt.timedelta(days=chosen) - self.created[c]).days,
            )
        )
        self.calendar[day + self.demand.holds[h].pickup_delay].append((PICKUP, c, h))

    def picked_up(self, c: int, h: int, day: int) -> None:
        """The hold is filled: counted in the lending load when the copy was lent."""
        del self.filling[c]
        self.count_lending(day, self.owner[c], self.requests[h].patron_library)
        self.lend(c, day, self.at[c], self.demand.holds[h].loan_share)

    def count_lending(self, day: int, lender: str, borrower: str) -> None:
        """A loan of `lender`'s copy to a `borrower` patron, by hold fill or walk-in: net
        lending counts both (core.lending), in routing's load as in the reports."""
        if lender != borrower:
            self.recent.append((day, lender, borrower))
            self.lent[lender] += 1
            self.borrowed[borrower] += 1

    def lend(self, c: int, day: int, branch: int, share: float) -> None:
        self.state[c] = ON_LOAN
        loan = LOAN_DAYS.get(self.collection[c], DEFAULT_LOAN_DAYS)
        self.calendar[day + max(1, round(share * loan))].append((RETURN, c, branch))

    # A checkin: capture for a waiting hold, else stay (floating) or go home.

    def check_in(self, c: int, branch: int, day: int, date: dt.date) -> None:
        self.at[c] = branch
        queue = self.waiting.get(self.title[c])
        if queue and self.holdable[c]:
            h = self.capture(c, list(queue), date)
            if h is not None:
                self.assign(c, h, day, captured=True)
                return
        if self.floats[c]:
            self.home[c] = branch
        if branch == self.home[c]:
            self.shelve(c, branch)
            return
        days = self.network.courier_days[branch, self.home[c]]
        self.moves_home += 1
        self.courier_days_home += days
        self.state[c] = MOVING
        self.calendar[day + max(1, math.ceil(days))].append((HOME, c, 0))

    def capture(self, c: int, holds: list[int], date: dt.date) -> int | None:
        requests = [self.requests[h] for h in holds]
        copy = self.copy_view(c)
        if self.policy.routing == "nearest":
            seed = (self.seed * 1_000_003 + date.toordinal() * 7_919 + c) % 65_536
            found = self.router.nearest_copy(
                requests, [copy], self.network, today=date, seed=seed
            ).assignments
            return next(iter(found), None)
        explanation = self.router.capture(
            copy,
            requests,
            self.network,
            lending_load=self.load,
            load_weight=self.policy.load_weight,
            today=date,
        )
        return explanation.hold_id if explanation.chosen_copy_id is not None else None

    # The night: every waiting hold with an available copy, routed at once.

    def route(self, day: int, date: dt.date) -> None:
        """Only titles where something changed since last night: a copy reached the shelf
        or left its local-priority window, or a hold was placed. Elsewhere routing would
        find what it found last night (which holds can be filled does not depend on cost)."""
        holds: list[HoldRequest] = []
        copies: list[Copy] = []
        self.changed |= self.window_ends.pop(day, set())
        for title in sorted(self.changed):
            queue = self.waiting.get(title)
            available = self.avail.get(title)
            if queue and available:
                holds.extend(self.requests[h] for h in queue)
                copies.extend(self.copy_view(c) for c in sorted(available))
        self.changed.clear()
        if not holds:
            return
        if self.policy.routing == "nearest":
            seed = self.seed * 1000 + day + self.policy.tie_seed * 1_000_003
            found = self.router.nearest_copy(holds, copies, self.network, today=date, seed=seed)
        else:
            found = self.router.route(
                holds,
                copies,
                self.network,
                lending_load=self.load,
                load_weight=self.policy.load_weight,
                today=date,
            )
        check_assignments(found.assignments, holds, copies)
        for h, c in sorted(found.assignments.items()):
            self.assign(c, h, day, captured=False)

    def forget_old_lending(self, day: int) -> None:
        while self.recent and self.recent[0][0] <= day - LOAD_WINDOW_DAYS:
            _, lender, borrower = self.recent.popleft()
            self.lent[lender] -= 1
            self.borrowed[borrower] -= 1
        self.load = lending_load(self.lent, self.borrowed)

    def day(self, day: int, holds: Sequence[int], walkins: Sequence[int]) -> None:
        date = self.world.start + dt.timedelta(days=day)
        self.today = day
        self.network = self.networks[date.weekday()]
        while day in self.calendar:
            for kind, c, arg in self.calendar.pop(day):
                if kind == PULL:
                    self.ship(c, day)
                elif kind == ARRIVE:
                    self.on_hold_shelf(c, day)
                elif kind == PICKUP:
                    self.picked_up(c, arg, day)
                elif kind == RETURN:
                    self.check_in(c, arg, day, date)
                else:  # HOME, READY
                    self.shelve(c, self.home[c])
        for w in walkins:
            self.walk_in(w, day)
        for sequence, h in enumerate(holds):
            self.place(h, day, sequence)
        self.forget_old_lending(day)
        self.route(day, date)

    def walk_in(self, w: int, day: int) -> None:
        visit = self.demand.walkins[w]
        shelf = self.shelf[visit.branch]
        for which, would in visit.looks:
            if not shelf:
                return
            c = shelf[int(which * len(shelf))]
            if would * WALKIN_TAKE_SCALE < self.popularity[self.title[c]]:
                self.unshelve(c)
                self.walkin_loans += 1
                # The walk-in patron belongs to the library of the branch they visit.
                patron_library = self.world.branches[visit.branch].library
                if self.owner[c] != patron_library:
                    self.walkins_between.append((self.owner[c], patron_library))
                self.count_lending(day, self.owner[c], patron_library)
                self.lend(c, day, visit.branch, visit.loan_share)
                return

    def play(self, days: int, progress: Callable[[int], None] | None = None) -> Outcome:
        holds = by_day(days, [h.day for h in self.demand.holds])
        walkins = by_day(days, [w.day for w in self.demand.walkins])
        for day in range(days):
            self.day(day, holds[day], walkins[day])
            if progress:
                progress(1)
        return self.outcome(days)

    def outcome(self, days: int) -> Outcome:
        return Outcome(
            policy=self.policy,
            days=days,
            members=self.members,
            fills=tuple(self.fills),
            holds_placed=sum(1 for h in self.demand.holds if h.day < days),
            holds_waiting=sum(len(q) for q in self.waiting.values()),
            moves_to_pickup=self.moves_to_pickup,
            moves_home=self.moves_home,
            courier_days_home=self.courier_days_home,
            walkin_loans=self.walkin_loans,
            walkins_between=tuple(self.walkins_between),
        )


def by_day(count: int, days: Sequence[int]) -> list[list[int]]:
    grouped: list[list[int]] = [[] for _ in range(count)]
    for index, day in enumerate(days):
        if day < count:
            grouped[day].append(index)
    return grouped


def simulate(
    world: World,
    demand: Demand,
    policy: Policy,
    *,
    seed: int,
    days: int | None = None,
    router: Router = routing,
    progress: Callable[[int], None] | None = None,
) -> Outcome:
    """Run one policy over the demand's days (or fewer). `router` is the routing module;
    tests may pass a stand-in with the same three functions."""
    days = demand.days if days is None else min(days, demand.days)
    return Run(world, demand, policy, router, seed).play(days, progress)
