"""Learned transit times: median, 90th percentile and count beside the scheduled days."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from onelibrary.courier import learned
from onelibrary.transit.models import Transit
from tests.courier.conftest import logged_in


def test_percentiles_are_linear_between_ranks():
    assert learned.percentile([4, 1, 3, 2], 50) == 2.5
    assert learned.percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90) == pytest.approx(9.1)
    assert learned.percentile([7], 90) == 7


def test_figures_say_how_late_a_pair_runs():
    found = learned.figures([3, 4, 4, 9], [2, 2, 3, 2])
    assert (found.count, found.median, found.scheduled, found.late_by) == (4, 4.0, 2.0, 2.0)
    empty = learned.figures([], [])
    assert (empty.count, empty.median, empty.p90, empty.late_by) == (0, None, None, None)


def transit(world, *, days: int, receiver=None, received_at_branch=None, shipped_days_ago=20):
    receiver = receiver or world.pine_main
    # Noon local time, whole calendar days apart, so a change of clocks between the two
    # cannot move the received date.
    sent_on = timezone.localdate() - dt.timedelta(days=shipped_days_ago)
    at_noon = lambda day: timezone.make_aware(dt.datetime.combine(day, dt.time(12)))  # noqa: E731
    return Transit.objects.create(
        item=world.dune_riv,
        sender=world.riv_main,
        receiver=receiver,
        reason=Transit.Reason.HOLD,
        state=Transit.State.RECEIVED,
        shipped_at=at_noon(sent_on),
        expected_on=sent_on + dt.timedelta(days=3),
        received_at=at_noon(sent_on + dt.timedelta(days=days)),
        received_branch=received_at_branch or receiver,
    )


def test_it_counts_only_transits_received_where_they_were_sent_within_the_window(world):
    for days in (2, 3, 4, 10):
        transit(world, days=days)
    transit(world, days=1, received_at_branch=world.elk_main)  # received elsewhere
    transit(world, days=1, shipped_days_ago=400)  # outside the 180-day window
    found = learned.by_pair(learned.trips(senders=[world.riv_main.pk]))
    figures = found[world.riv_main.pk, world.pine_main.pk]
    assert (figures.count, figures.median, figures.scheduled) == (4, 3.5, 3.0)
    assert figures.p90 == pytest.approx(8.2)


def test_the_route_page_shows_scheduled_and_learned_days(world, courier):
    for days in (2, 3, 4, 10):
        transit(world, days=days)
    page = logged_in(world.desk_pine).get("/courier/routes/WEST/").content.decode()
    assert "<dt>Transits</dt><dd>4</dd>" in page
    assert "<dt>Took (median)</dt><dd>3.5 days</dd>" in page
    assert "<dt>Scheduled (median)</dt><dd>3 days</dd>" in page
    assert '<td data-label="Routing uses">schedule</td>' in page  # 4 < 20 transits
