"""Routing's inputs read from the database: copies, holds, the network, lending load."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from onelibrary.catalog.models import Item
from onelibrary.circulation.models import Loan
from onelibrary.holds import actions, inputs
from onelibrary.holds.models import Hold
from onelibrary.members.models import Library
from onelibrary.policy.models import CirculationRule, GroupPolicy, MemberPolicy
from tests.holds.conftest import make_copy, make_title

WEDNESDAY = dt.date(2026, 11, 4)


def test_it_offers_only_available_copies_not_promised_to_a_hold(hw):
    actions.place_hold(hw.desk_riv, hw.ada, hw.riv_main, item=hw.dune_riv)
    Item.objects.filter(pk=hw.dune_pine.pk).update(status=Item.Status.CHECKED_OUT)
    copies = {c.id: c for c in inputs.copies_for([hw.dune.pk])}
    assert not copies[hw.dune_riv.pk].available
    assert not copies[hw.dune_pine.pk].available
    Item.objects.filter(pk=hw.dune_pine.pk).update(status=Item.Status.WITHDRAWN)
    assert hw.dune_pine.pk not in {c.id for c in inputs.copies_for([hw.dune.pk])}


def test_it_takes_holdability_from_the_item_and_its_owners_rule(hw, reference):
    CirculationRule.objects.create(
        name="PINE keeps DVDs", library=hw.pine, item_type="dvd", exempt_reason=reference
    )
    Item.objects.filter(pk=hw.dune_pine.pk).update(item_type="dvd")
    Item.objects.filter(pk=hw.dune_riv.pk).update(holdable=False)
    copies = {c.id: c for c in inputs.copies_for([hw.dune.pk])}
    assert copies[hw.dune_pine.pk].exempt and copies[hw.dune_pine.pk].holdable
    assert not copies[hw.dune_riv.pk].holdable and not copies[hw.dune_riv.pk].exempt


def test_it_asks_for_routing_only_for_unsuspended_waiting_holds(hw):
    Item.objects.update(status=Item.Status.CHECKED_OUT)
    ada = actions.place_hold(hw.desk_riv, hw.ada, hw.riv_main, title=hw.dune).hold
    ben = actions.place_hold(hw.desk_pine, hw.ben, hw.pine_main, title=hw.dune).hold
    today = timezone.localdate()
    Hold.objects.filter(pk=ben.pk).update(suspended_until=today)
    [request] = inputs.requests_for([hw.dune.pk], today)
    assert (request.id, request.patron_library, request.pickup_branch_id) == (
        ada.pk,
        "RIV",
        hw.riv_main.pk,
    )
    assert len(inputs.requests_for([hw.dune.pk], today + dt.timedelta(days=1))) == 2


def test_it_lets_a_member_only_shorten_the_local_window(hw):
    GroupPolicy.objects.update(local_priority_days=30)
    MemberPolicy.objects.create(library=hw.elk, local_priority_days=14)
    MemberPolicy.objects.create(library=hw.pine, local_priority_days=60)
    assert inputs.local_windows() == {"RIV": 30, "PINE": 30, "ELK": 14}


def test_it_adds_the_days_until_a_branch_opens_to_its_pull_days(hw):
    network = inputs.network_for({hw.pine_main.pk, hw.elk_main.pk}, {hw.riv_main.pk}, WEDNESDAY)
    assert network.pull_days[hw.pine_main.pk] == 2.0  # closed Wednesday, open Thursday
    assert network.pull_days[hw.elk_main.pk] == 1.0
    assert network.courier_days[(hw.pine_main.pk, hw.riv_main.pk)] == 2.0
    assert network.branch_library[hw.riv_east.pk] == "RIV"


@pytest.mark.parametrize(
    ("lent", "borrowed", "load"), [(3, 1, 0.5), (1, 3, 0.0), (2, 0, 1.0), (2, 2, 0.0)]
)
def test_it_measures_lending_load_from_recent_loans(hw, lent, borrowed, load):
    """Hold fills and walk-in loans alike, from the recorded loans (docs/insights.md)."""
    today = timezone.localdate()
    rows = [(hw.dune_pine, hw.riverton)] * lent + [(hw.dune_riv, hw.pine)] * borrowed
    rows += [(make_copy(hw, make_title(), f"3800000000000{n}"), hw.elk) for n in range(5)]
    for n, (item, borrower) in enumerate(rows):
        _loan(item, borrower, today - dt.timedelta(days=n), by_hold=n % 2 == 0)
    # Noon local time 91 calendar days ago: outside the window whatever the hour now.
    _loan(hw.dune_pine, hw.riverton, today - dt.timedelta(days=91))
    measured = inputs.lending_load(today)
    assert measured.get("PINE", 0.0) == load
    assert "ELK" not in measured


def _loan(item: Item, borrower: Library, day: dt.date, *, by_hold: bool = False) -> Loan:
    return Loan.objects.create(
        item=item,
        borrower_library=borrower,
        owning_library_id=item.owning_library_id,
        by_hold=by_hold,
        state=Loan.State.RETURNED,
        checkout_branch_id=item.home_branch_id,
        checked_out_at=timezone.make_aware(dt.datetime.combine(day, dt.time(12))),
        due_date=day + dt.timedelta(days=21),
    )
