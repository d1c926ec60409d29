"""What routing needs, read from the database: copies, open holds, the courier network,
and each member's lending load. The routing itself (`holds.routing`) sees none of the ORM.

docs/holds/holds.md describes each input; the numbers that are choices (pull days, the
load term) are defined here and documented there. Courier days come from the courier
app (`courier.days`).
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from onelibrary.catalog.models import Item
from onelibrary.core import lending
from onelibrary.core.duedates import NoOpenDayError, next_open_day
from onelibrary.courier import days as courier_days
from onelibrary.courier.distance import great_circle_km
from onelibrary.holds.models import Hold
from onelibrary.holds.routing import Copy, HoldRequest, Network
from onelibrary.holds.signals import lending_counts
from onelibrary.members import lifecycle
from onelibrary.members.models import Branch, ClosedDate, Library
from onelibrary.members.pickup import pickup_branches
from onelibrary.policy.lookup import load_rules
from onelibrary.policy.models import ExemptionReason, GroupPolicy, MemberPolicy
from onelibrary.policy.resolve import Rule, Situation, resolve

# A copy is pulled the working day after it is routed: one day, plus the days until the
# lending branch next opens (PINE, open Tue/Thu/Sat, pulls Monday's routing on Wednesday).
DEFAULT_PULL_DAYS = 1.0
LOAD_WINDOW_DAYS = 90
# Holds still waiting for a copy to be chosen; ROUTED ones keep the copy they were given.
ROUTABLE = Hold.State.WAITING
# Statuses of copies that have left the collection or cannot be found: they do not count
# as "holdable copies in the group" when a hold is placed.
GONE = (Item.Status.LOST, Item.Status.MISSING, Item.Status.WITHDRAWN, Item.Status.DAMAGED)


def local_date(now: dt.datetime | None = None) -> dt.date:
    return timezone.localtime(now or timezone.now()).date()


# --- which copies may fill group holds ----------------------------------------------


@dataclass(frozen=True)
class Holdability:
    holdable: bool
    exempt: bool
    reason: str  # plain words when not holdable or exempt: "reference-only", "not holdable"


@dataclass
class RuleCache:
    """The hold settings of the rules, resolved once per (library, item type, collection).

    Holdability does not depend on the patron: the rules are resolved with an empty
    patron category for the copy's owning library (with no patron and no desk, the
    group's governing-library setting always comes down to the owner, POLICY-4).
    """

    rules: list[Rule] = field(default_factory=load_rules)
    labels: dict[str, str] = field(default_factory=dict)
    _seen: dict[tuple[str, str, str], Holdability] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.labels = dict(ExemptionReason.objects.values_list("code", "label"))

    def for_item(self, item: Item, owner_code: str) -> Holdability:
        status = item.owning_library.status
        if not lifecycle.lends(status):
            # MEMBER-4: a leaving member's copies (and any not yet lending) fill no group hold.
            return Holdability(
                False, False, f"owned by a library that {lifecycle.allowed(status).why_not}"
            )
        key = (owner_code, item.item_type, item.collection)
        if key not in self._seen:
            policy = resolve(self.rules, Situation(owner_code, "", *key[1:]))
            reason_code = str(policy.values["exempt_reason"] or "")
            exempt = bool(reason_code)
            holdable = bool(policy.values["holdable"])
            reason = ""
            if exempt:
                label = self.labels.get(reason_code, reason_code)
                reason = f"exempt from group holds ({label[:1].lower()}{label[1:]})"
            elif not holdable:
                reason = "not holdable under its library's rules"
            self._seen[key] = Holdability(holdable, exempt, reason)
        found = self._seen[key]
        if not item.holdable and found.holdable and not found.exempt:
            return Holdability(False, False, "marked not holdable")
        return found


def assigned_item_ids(title_ids: Collection[int]) -> set[int]:
    """Copies already promised to an open hold: routed, in transit or on a hold shelf."""
    return set(
        Hold.objects.filter(
            title_id__in=title_ids,
            state__in=(Hold.State.ROUTED, Hold.State.IN_TRANSIT, Hold.State.ON_SHELF),
            assigned_item__isnull=False,
        ).values_list("assigned_item_id", flat=True)
    )


def copy_of(
    item: Item, cache: RuleCache, *, available: bool, at_branch_id: int | None = None
) -> Copy:
    owner = item.owning_library.code
    found = cache.for_item(item, owner)
    return Copy(
        id=item.pk,
        title_id=item.title_id,
        branch_id=at_branch_id or item.current_branch_id,
        owner=owner,
        created=item.acquired,  # the local-priority window starts on it
        holdable=found.holdable,
        exempt=found.exempt,
        available=available,
    )


def copies_for(
    title_ids: Collection[int],
    *,
    cache: RuleCache | None = None,
    unavailable: Collection[int] = (),
    gone: Collection[int] = (),
) -> list[Copy]:
    """Every copy of the titles that has not left the collection, nor is in `gone` (copies
    found missing that the desk marks so in the same transaction).

    available = on the shelf (status available) and not promised to an open hold, and not
    in `unavailable` (copies a lender failed to pull in time, left out of this run).
    """
    cache = cache or RuleCache()
    promised = assigned_item_ids(title_ids) | set(unavailable)
    items = (
        Item.objects.filter(title_id__in=title_ids)
        .exclude(status__in=GONE)
        .select_related("owning_library")
        .order_by("pk")
    )
    if gone:
        items = items.exclude(pk__in=list(gone))
    return [
        copy_of(
            item,
            cache,
            available=item.status == Item.Status.AVAILABLE and item.pk not in promised,
        )
        for item in items
    ]


# --- the holds waiting for a copy ----------------------------------------------------


def request_of(hold: Hold) -> HoldRequest:
    assert hold.patron is not None  # open: only a closed one loses it (retention.py)
    return HoldRequest(
        id=hold.pk,
        title_id=hold.title_id,
        pickup_branch_id=hold.pickup_branch_id,
        patron_library=hold.patron.home_library.code,
        placed_at=hold.placed_at,
        item_id=hold.item_id,
    )


def not_suspended(today: dt.date) -> Q:
    return Q(suspended_until__isnull=True) | Q(suspended_until__lt=today)


def waiting_holds(title_ids: Collection[int], today: dt.date) -> list[Hold]:
    return list(
        Hold.objects.filter(title_id__in=title_ids, state=ROUTABLE)
        .filter(not_suspended(today))
        .select_related("patron__home_library")
        .order_by("placed_at", "pk")
    )


def requests_for(title_ids: Collection[int], today: dt.date) -> list[HoldRequest]:
    return [request_of(hold) for hold in waiting_holds(title_ids, today)]


# --- the network: where branches are and how long a copy takes ----------------------


def pull_days(branches: Iterable[Branch], today: dt.date) -> dict[int, float]:
    branches = list(branches)
    closed: dict[int, set[dt.date]] = {}
    for branch_id, day in ClosedDate.objects.filter(
        branch__in=branches, date__gte=today, date__lte=today + dt.timedelta(days=60)
    ).values_list("branch_id", "date"):
        closed.setdefault(branch_id, set()).add(day)
    answer = {}
    for branch in branches:
        try:
            opens = next_open_day(today, branch.open_days, closed.get(branch.pk, set()))
        except NoOpenDayError:
            opens = today + dt.timedelta(days=60)
        answer[branch.pk] = DEFAULT_PULL_DAYS + (opens - today).days
    return answer


def local_windows() -> dict[str, int]:
    """Each member's local-priority window: the group's, or the member's if shorter."""
    group_days = GroupPolicy.current().local_priority_days
    windows = dict.fromkeys(Library.objects.values_list("code", flat=True), group_days)
    for code, days in MemberPolicy.objects.filter(local_priority_days__isnull=False).values_list(
        "library__code", "local_priority_days"
    ):
        if days is not None:  # as filtered: the type of a nullable column cannot say so
            windows[code] = min(group_days, days)
    return windows


def network_for(origins: Collection[int], destinations: Collection[int], today: dt.date) -> Network:
    """The network restricted to the routes this run can use (the full matrix of a large
    group is 250,000 rows; a title's copies and holds touch a handful)."""
    branches = list(Branch.objects.select_related("library"))
    pulls = pull_days([b for b in branches if b.pk in origins], today)
    return Network(
        branch_library={b.pk: b.library.code for b in branches},
        courier_days=courier_days_for(origins, destinations, today, pulls),
        pull_days=pulls,
        local_window_days=local_windows(),
        branch_names={b.pk: f"{b.name} ({b.code})" for b in branches},
        library_names={b.library.code: b.library.name for b in branches},
    )


def courier_days_for(
    origins: Collection[int],
    destinations: Collection[int],
    today: dt.date,
    pulls: dict[int, float],
) -> dict[tuple[int, int], float]:
    """Courier days per (origin, destination) for a copy ready to ship on the routing day
    plus its pull days, from the courier app's one service (`courier.days`, DAYS-1 to
    DAYS-5 in docs/courier.md). Pairs with no route are left out: routing costs them
    `unknown_route_days`."""
    answers = courier_days.days_for(
        [(o, d) for o in origins for d in destinations],
        {o: ship_date(today, pulls.get(o, 0)) for o in origins},
    )
    return {pair: answer.days for pair, answer in answers.items() if answer.days is not None}


def ship_date(today: dt.date, pull_days: float) -> dt.date:
    """The day a copy routed today is ready to ship: today plus its whole pull days (a copy
    routed on Monday at PINE, open Tue/Thu/Sat, is pulled Wednesday). The holds explain
    page links each copy's courier days to the courier page for this date."""
    return today + dt.timedelta(days=math.ceil(pull_days))


# --- lending load --------------------------------------------------------------------


def lending_load(today: dt.date) -> dict[str, float]:
    """Routing's load term before its weight, per member, over the last 90 days and today:
    `core.lending.load_share` of the items it lent to other members' patrons and borrowed
    for its own, by hold fills and walk-in loans alike (docs/holds/routing.md, "The load
    term"). The counts are the reports' own (insights, through `signals.lending_counts`).
    """
    lent: Counter[str] = Counter()
    borrowed: Counter[str] = Counter()
    since = today - dt.timedelta(days=LOAD_WINDOW_DAYS)
    for _receiver, answer in lending_counts.send(sender=Hold, since=since, until=today):
        if isinstance(answer, tuple):  # ({code: lent}, {code: borrowed})
            lent.update(answer[0])
            borrowed.update(answer[1])
    return lending.lending_load(lent, borrowed)


def load_weight() -> float:
    return float(GroupPolicy.current().load_weight)


# --- nearby branches (a hold placed where its pickup branch is closed) -----------------


def nearest_open_branches(branch: Branch, *, limit: int = 3) -> list[Branch]:
    """Open branches nearest to `branch` by great-circle distance; its own library's first
    when it has no coordinates."""
    open_branches = list(pickup_branches())
    if branch.latitude is None or branch.longitude is None:
        return sorted(open_branches, key=lambda b: (b.library_id != branch.library_id, b.name))[
            :limit
        ]
    here = (float(branch.latitude), float(branch.longitude))

    def distance(other: Branch) -> float:
        if other.latitude is None or other.longitude is None:
            return math.inf
        return great_circle_km(here, (float(other.latitude), float(other.longitude)))

    return sorted(open_branches, key=lambda b: (distance(b), b.name))[:limit]


def distances_km(branch: Branch, others: Sequence[Branch]) -> list[float | None]:
    if branch.latitude is None or branch.longitude is None:
        return [None] * len(others)
    here = (float(branch.latitude), float(branch.longitude))
    return [
        None
        if o.latitude is None or o.longitude is None
        else great_circle_km(here, (float(o.latitude), float(o.longitude)))
        for o in others
    ]
