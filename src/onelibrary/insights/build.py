"""Build the daily summaries from the recorded loans, holds and transits (models.py).

`rebuild(start, end)` replaces each day's rows in one transaction per day, so running it
twice gives the same rows (idempotent) and a reader never sees half a day. Each day is
read with a few GROUP BY queries on indexed timestamps (`Loan.checked_out_at`,
`Hold.placed_at`, `Hold.closed_at`, `Transit.received_at`, `HoldEvent.at`) and written
with bulk inserts; then its month is rolled up again (rollup.py) and the running totals
from its boundary on are rewritten (running.py), or, for `rebuild`, both once at the end.

Days are the group's local days (settings.TIME_ZONE), as at the desk.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from onelibrary.circulation.models import Loan
from onelibrary.holds.models import Hold, HoldEvent
from onelibrary.insights import rollup, running
from onelibrary.insights.models import (
    BuiltDay,
    FillDays,
    MemberDay,
    PairDay,
    PickDay,
    SendDays,
    TitleDay,
    TransitDays,
)
from onelibrary.transit.models import Transit


def bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The first instant of `day` and of the next, in the group's time zone."""
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    return start, timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def days(start: dt.date, end: dt.date) -> Iterator[dt.date]:
    """Every day from `start` to `end`, both included."""
    for n in range((end - start).days + 1):
        yield start + dt.timedelta(days=n)


@dataclass
class LoanCounts:
    """One day's loans by (owner, borrower's library): own, and between members."""

    own: Counter[int] = field(default_factory=Counter)
    by_hold: Counter[tuple[int, int]] = field(default_factory=Counter)
    walkin: Counter[tuple[int, int]] = field(default_factory=Counter)


def loan_counts(start: dt.datetime, end: dt.datetime) -> LoanCounts:
    """Loans checked out in [start, end), by the facts recorded at checkout. Loans from
    before the facts were recorded, with no owner or borrower's library, are left out."""
    counts = LoanCounts()
    rows = (
        Loan.objects.filter(
            checked_out_at__gte=start,
            checked_out_at__lt=end,
            owning_library__isnull=False,
            borrower_library__isnull=False,
        )
        .values_list("owning_library_id", "borrower_library_id", "by_hold")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for owner, borrower, by_hold, n in rows:
        if owner == borrower:
            counts.own[owner] += n
        elif by_hold:
            counts.by_hold[owner, borrower] += n
        else:
            counts.walkin[owner, borrower] += n
    return counts


def _local_days(later: dt.datetime, earlier: dt.datetime) -> int:
    return (timezone.localdate(later) - timezone.localdate(earlier)).days


DAILY = (MemberDay, PairDay, FillDays, TransitDays, SendDays, TitleDay, PickDay)
PULLED = ("in_transit", "on_shelf")  # the hold events that say a routed copy was pulled


def pick_counts(start: dt.datetime, end: dt.datetime) -> tuple[Counter[str], Counter[str]]:
    """Per lender code: copies routed to it in [start, end) (its pick list asked), and
    copies pulled in [start, end) for the hold they were routed for — sent on or put on
    the hold shelf — counted once, on the first pull."""
    asked: Counter[str] = Counter()
    for lender, n in (
        HoldEvent.objects.filter(kind="routed", at__gte=start, at__lt=end, item__isnull=False)
        .values_list("lender")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        asked[lender] += n
    moves = set(
        HoldEvent.objects.filter(kind__in=PULLED, at__gte=start, at__lt=end, item__isnull=False)
        .values_list("hold_id", "item_id")
        .distinct()
    )
    pulled: Counter[str] = Counter()
    holds = sorted({hold for hold, _ in moves})
    for n in range(0, len(holds), 500):
        chunk = holds[n : n + 500]
        lender_of = dict(
            ((hold, item), lender)
            for hold, item, lender in HoldEvent.objects.filter(
                kind="routed", hold_id__in=chunk, at__lt=end, item__isnull=False
            ).values_list("hold_id", "item_id", "lender")
        )
        earlier = set(
            HoldEvent.objects.filter(kind__in=PULLED, hold_id__in=chunk, at__lt=start).values_list(
                "hold_id", "item_id"
            )
        )
        for move in moves:
            if move[0] in chunk and move in lender_of and move not in earlier:
                pulled[lender_of[move]] += 1
    return asked, pulled


@transaction.atomic
def build_day(day: dt.date, *, roll: bool = True) -> None:
    """Replace `day`'s summary rows with ones counted from the records, then (with
    `roll`) its month's rollup and the running totals from it on (`summarise_after`)."""
    start, end = bounds(day)
    for model in DAILY:
        model.objects.filter(day=day).delete()
    members: dict[int, MemberDay] = {}

    def member(library: int) -> MemberDay:
        if library not in members:
            members[library] = MemberDay(day=day, library_id=library)
        return members[library]

    loans = loan_counts(start, end)
    for library, n in loans.own.items():
        member(library).own_loans += n
    pairs: dict[tuple[int, int], PairDay] = {}
    for (owner, borrower), n in loans.by_hold.items():
        member(owner).lent_by_hold += n
        member(borrower).borrowed_by_hold += n
        pairs.setdefault((owner, borrower), PairDay(day=day, owner_id=owner, borrower_id=borrower))
        pairs[owner, borrower].by_hold += n
    for (owner, borrower), n in loans.walkin.items():
        member(owner).lent_walkin += n
        member(borrower).borrowed_walkin += n
        pairs.setdefault((owner, borrower), PairDay(day=day, owner_id=owner, borrower_id=borrower))
        pairs[owner, borrower].walkin += n

    placed = (
        Hold.objects.filter(placed_at__gte=start, placed_at__lt=end, borrower_library__isnull=False)
        .values_list("borrower_library_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for library, n in placed:
        member(library).holds_placed += n

    fills: Counter[tuple[int, int]] = Counter()
    filled = Hold.objects.filter(
        state=Hold.State.FULFILLED,
        closed_at__gte=start,
        closed_at__lt=end,
        borrower_library__isnull=False,
    ).values_list("borrower_library_id", "placed_at", "shelf_since")
    for library, placed_at, shelf_since in filled.iterator(chunk_size=5000):
        member(library).holds_filled += 1
        if shelf_since is not None:  # days from placement to the hold shelf
            fills[library, max(0, _local_days(shelf_since, placed_at))] += 1

    trips: Counter[tuple[int, int, int]] = Counter()
    sent: Counter[tuple[int, int]] = Counter()
    received = Transit.objects.filter(
        state=Transit.State.RECEIVED,
        received_at__gte=start,
        received_at__lt=end,
        shipped_at__isnull=False,
    ).values_list(
        "sender_id", "sender__library_id", "receiver__library_id", "shipped_at", "received_at"
    )
    for branch, sender, receiver, shipped_at, received_at in received.iterator(chunk_size=5000):
        assert shipped_at is not None and received_at is not None  # filtered so
        took = max(0, _local_days(received_at, shipped_at))
        trips[sender, receiver, took] += 1
        sent[branch, took] += 1

    titles = (
        Loan.objects.filter(checked_out_at__gte=start, checked_out_at__lt=end)
        .values_list("item__title_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    asked, pulled = pick_counts(start, end)

    MemberDay.objects.bulk_create(members.values(), batch_size=1000)
    PairDay.objects.bulk_create(pairs.values(), batch_size=1000)
    FillDays.objects.bulk_create(
        [FillDays(day=day, library_id=lib, days=d, holds=n) for (lib, d), n in fills.items()],
        batch_size=1000,
    )
    TransitDays.objects.bulk_create(
        [
            TransitDays(day=day, sender_id=s, receiver_id=r, days=d, copies=n)
            for (s, r, d), n in trips.items()
        ],
        batch_size=1000,
    )
    SendDays.objects.bulk_create(
        [SendDays(day=day, branch_id=b, days=d, copies=n) for (b, d), n in sent.items()],
        batch_size=1000,
    )
    TitleDay.objects.bulk_create(
        [TitleDay(day=day, title_id=title, loans=n) for title, n in titles], batch_size=1000
    )
    PickDay.objects.bulk_create(
        [
            PickDay(day=day, lender=lender, asked=asked[lender], pulled=pulled[lender])
            for lender in sorted(set(asked) | set(pulled))
        ]
    )
    BuiltDay.objects.update_or_create(day=day, defaults={"built_at": timezone.now()})
    if roll:
        summarise_after([day])


def rebuild(
    start: dt.date, end: dt.date, progress: Callable[[dt.date, int, int], None] | None = None
) -> int:
    """Build every day from `start` to `end` (both included); answers how many.
    `progress(day, done, total)` is told at the end of each month and of the period."""
    if end < start:
        raise ValueError(f"--to ({end}) is before --from ({start}): swap them.")
    count, total = 0, (end - start).days + 1
    for day in days(start, end):
        build_day(day, roll=False)
        count += 1
        if progress and (day == end or day == rollup.last_of(day)):
            progress(day, count, total)
    summarise_after(days(start, end))
    return count


def build_missing(start: dt.date, end: dt.date) -> int:
    """Build the days from `start` to `end` that are not built yet."""
    built = set(BuiltDay.objects.filter(day__gte=start, day__lte=end).values_list("day", flat=True))
    missing = [d for d in days(start, end) if d not in built]
    for day in missing:
        build_day(day, roll=False)
    summarise_after(missing)
    return len(missing)


def summarise_after(built: Iterable[dt.date]) -> None:
    """After days were built: roll up each of their months once, and rewrite the running
    totals from the first of them on; each in its own transaction (or in the caller's)."""
    ordered = sorted(built)
    if not ordered:
        return
    for month in sorted({rollup.first_of(day) for day in ordered}):
        with transaction.atomic():
            rollup.roll_up(month)
    with transaction.atomic():
        running.bring_up_to_date(ordered[0])
