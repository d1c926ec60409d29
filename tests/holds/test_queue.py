"""Queue positions: oldest first among waiting holds; honest about local priority."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from onelibrary.catalog.models import Item
from onelibrary.holds import actions, queries
from onelibrary.patrons.models import Patron
from tests.holds.conftest import make_copy


def waiting_patrons(hw, n):
    return [
        Patron.objects.create(
            card=f"2900000000010{i}",
            first_name=f"P{i}",
            last_name="Queue",
            home_library=hw.elk,
            expires_on=hw.ada.expires_on,
        )
        for i in range(n)
    ]


def test_it_numbers_the_waiting_holds_oldest_first(hw):
    Item.objects.update(status=Item.Status.CHECKED_OUT)
    holds = [
        actions.place_hold(hw.central, p, hw.elk_main, title=hw.dune).hold
        for p in waiting_patrons(hw, 3)
    ]
    positions = [queries.queue_position(h) for h in holds]
    assert [(q.position, q.waiting) for q in positions] == [(1, 3), (2, 3), (3, 3)]
    assert not any(q.approximate for q in positions)
    assert positions[1].sentence == "Number 2 of 3 waiting."
    assert queries.title_holds(hw.dune).sentence == "3 holds on this title: 3 waiting."


def test_it_leaves_suspended_holds_out_of_the_count(hw):
    Item.objects.update(status=Item.Status.CHECKED_OUT)
    first, second = (
        actions.place_hold(hw.central, p, hw.elk_main, title=hw.dune).hold
        for p in waiting_patrons(hw, 2)
    )
    actions.suspend_hold(hw.central, first, timezone.localdate() + dt.timedelta(days=3))
    first.refresh_from_db()
    assert queries.queue_position(first).suspended
    assert (queries.queue_position(second).position, queries.queue_position(second).waiting) == (
        1,
        1,
    )


def test_it_says_the_position_is_approximate_where_local_priority_applies(hw):
    Item.objects.update(status=Item.Status.CHECKED_OUT)
    make_copy(hw, hw.dune, "37000000000001", status=Item.Status.CHECKED_OUT,
              created_at=timezone.now())  # fmt: skip
    hold = actions.place_hold(hw.central, hw.ben, hw.pine_main, title=hw.dune).hold
    position = queries.queue_position(hold)
    assert position.position == 1 and position.approximate
    assert "approximate" in position.sentence


def test_it_gives_no_position_to_a_hold_with_a_copy(hw):
    hold = actions.place_hold(hw.central, hw.ada, hw.riv_main, title=hw.dune).hold
    assert queries.queue_position(hold).position is None
