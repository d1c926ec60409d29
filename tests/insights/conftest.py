"""Small hand-made histories for the insights tests: loans, holds and transits written as
the desk records them (the facts only; no patron), on chosen days."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.utils import timezone

from onelibrary.catalog.models import Item
from onelibrary.circulation.models import Loan
from onelibrary.holds.models import Hold
from onelibrary.members.models import Branch, Library
from onelibrary.transit.models import Transit

DAY = dt.date(2026, 3, 2)  # a Monday


def at(day: dt.date, hour: int = 12) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def loan(item: Item, borrower: Library, day: dt.date, *, by_hold: bool = False, hour: int = 12):
    """A returned loan of `item` to a patron of `borrower`, checked out on `day`."""
    return Loan.objects.create(
        item=item,
        borrower_library=borrower,
        borrower_category="adult",
        owning_library_id=item.owning_library_id,
        by_hold=by_hold,
        state=Loan.State.RETURNED,
        checkout_branch=item.home_branch,
        checked_out_at=at(day, hour),
        due_date=day + dt.timedelta(days=21),
        returned_at=at(day + dt.timedelta(days=7)),
    )


def hold(
    world, borrower: Library, placed: dt.date, *, shelved: dt.date | None = None, filled=None
) -> Hold:
    """A hold of a `borrower` patron placed on `placed`; on the shelf on `shelved`, and
    picked up (fulfilled) on `filled` if given. Its patron already forgotten."""
    state = Hold.State.FULFILLED if filled else Hold.State.WAITING
    return Hold.objects.create(
        title=world.dune,
        pickup_branch=world.riv_main,
        borrower_library=borrower,
        borrower_category="adult",
        state=state,
        placed_at=at(placed, 10),
        shelf_since=at(shelved, 15) if shelved else None,
        closed_at=at(filled, 16) if filled else None,
    )


def transit(item: Item, sender: Branch, receiver: Branch, shipped: dt.date, received: dt.date):
    return Transit.objects.create(
        item=item,
        sender=sender,
        receiver=receiver,
        reason=Transit.Reason.RETURN_HOME,
        state=Transit.State.RECEIVED,
        shipped_at=at(shipped, 9),
        received_at=at(received, 11),
        closed_at=at(received, 11),
    )


def direct_matrix(start: dt.date, end: dt.date) -> dict[tuple[str, str], int]:
    """Items lent by owner to borrower in the period, counted from the loans themselves:
    what the summaries must agree with."""
    loans = Loan.objects.filter(
        checked_out_at__date__gte=start, checked_out_at__date__lte=end
    ).values_list("owning_library__code", "borrower_library__code")
    return dict(Counter((o, b) for o, b in loans if o != b))


@pytest.fixture
def iw(world):
    """The test world with copies refreshed (home branches loaded)."""
    for item in (world.dune_riv, world.dune_pine):
        item.refresh_from_db()
    return world
