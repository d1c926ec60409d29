"""Learned transit times: median, 90th percentile and count beside the scheduled days."""

from __future__ import annotations

import datetime as dt

import pytest

from onelibrary.courier import actions, learned
from onelibrary.courier.models import CourierTrip
from tests.courier.conftest import at_noon, logged_in, monday_weeks_ago, trips


def test_percentiles_are_linear_between_ranks():
    assert learned.percentile([4, 1, 3, 2], 50) == 2.5
    assert learned.percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90) == pytest.approx(9.1)
    assert learned.percentile([7], 90) == 7


def test_figures_say_how_late_a_pair_runs():
    found = learned.figures([3, 4, 4, 9], [2, 2, 3, 2])
    assert (found.count, found.median, found.scheduled, found.late_by) == (4, 4.0, 2.0, 2.0)
    empty = learned.figures([], [])
    assert (empty.count, empty.median, empty.p90, empty.late_by) == (0, None, None, None)


def test_it_counts_the_trips_received_within_the_window(world, courier):
    monday = monday_weeks_ago(3)
    for days in (2, 3, 4, 10):
        trips(world.riv_main, world.pine_main, days=days, sent_on=monday)
    trips(world.riv_main, world.pine_main, days=1, sent_on=monday - dt.timedelta(days=400))
    found = learned.by_pair(learned.trips(senders=[world.riv_main.pk]))
    figures = found[world.riv_main.pk, world.pine_main.pk]
    # Scheduled: shipped Monday at RIV-MAIN, changes vans at MID, PINE on Thursday.
    assert (figures.count, figures.median, figures.scheduled) == (4, 3.5, 3.0)
    assert figures.p90 == pytest.approx(8.2)


def test_a_trip_keeps_the_schedules_days_and_not_a_branch_to_itself(world, courier):
    saturday = monday_weeks_ago(2) + dt.timedelta(days=5)
    trips(world.riv_main, world.pine_main, days=9, sent_on=saturday)
    trip = CourierTrip.objects.get()
    # RIV-MAIN is next called on Monday, MID that night, ready Tuesday, PINE on Thursday.
    assert (trip.shipped_on, trip.days, trip.scheduled_days) == (saturday, 9, 5)
    assert (
        actions.record_trip(
            world.riv_main.pk,
            world.riv_main.pk,
            shipped_at=at_noon(saturday),
            received_at=at_noon(saturday),
        )
        is None
    )
    assert CourierTrip.objects.count() == 1


def test_the_route_page_shows_scheduled_and_learned_days(world, courier):
    for days in (2, 3, 4, 10):
        trips(world.riv_main, world.pine_main, days=days, sent_on=monday_weeks_ago(3))
    page = logged_in(world.desk_pine).get("/courier/routes/WEST/").content.decode()
    assert "<dt>Transits</dt><dd>4</dd>" in page
    assert "<dt>Took (median)</dt><dd>3.5 days</dd>" in page
    assert "<dt>Scheduled (median)</dt><dd>3 days</dd>" in page
    assert '<td data-label="Routing uses">schedule</td>' in page  # 4 < 20 transits
