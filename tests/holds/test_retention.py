"""Closed holds drop their patron after the group's retention, unless the patron keeps
their history (holds/retention.py); the notice events lose the address."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from onelibrary.circulation import holds_desk
from onelibrary.holds import actions
from onelibrary.holds.models import Hold, HoldEvent
from onelibrary.holds.retention import forget_closed_holds
from onelibrary.policy.models import GroupPolicy
from tests.holds.conftest import fresh, make_copy, make_title

NOW = timezone.now()


def held_title(hw, name: str):
    title = make_title(name)
    make_copy(hw, title, f"33{sum(map(ord, name)):012d}")  # one copy, a barcode per name
    return title


def closed_hold(hw, patron, *, days_ago: float, title: str = "Piranesi") -> Hold:
    hold = actions.place_hold(hw.central, patron, hw.riv_main, title=held_title(hw, title)).hold
    holds_desk.cancel_hold(hw.central, hold, now=NOW - dt.timedelta(days=days_ago))
    HoldEvent.objects.create(hold=hold, kind="notice_sent", detail={"to": "x@example.org"})
    return fresh(hold)


def test_it_forgets_who_held_a_title_after_the_retention(hw):
    old = closed_hold(hw, hw.ada, days_ago=31)
    recent = closed_hold(hw, hw.ben, days_ago=29, title="Jonathan Strange")

    assert forget_closed_holds(NOW) == 1

    assert fresh(old).patron is None and fresh(old).state == Hold.State.CANCELLED
    assert fresh(recent).patron == hw.ben
    assert HoldEvent.objects.get(hold=old, kind="notice_sent").detail == {}
    assert HoldEvent.objects.get(hold=recent, kind="notice_sent").detail == {"to": "x@example.org"}


def test_it_keeps_the_holds_of_a_patron_who_keeps_their_history(hw):
    hw.ada.keep_loan_history = True
    hw.ada.save(update_fields=["keep_loan_history"])
    kept = closed_hold(hw, hw.ada, days_ago=400)
    assert forget_closed_holds(NOW) == 0
    assert fresh(kept).patron == hw.ada


def test_it_never_touches_an_open_hold_and_follows_the_groups_days(hw):
    waiting = actions.place_hold(
        hw.central, hw.ada, hw.riv_main, title=held_title(hw, "Kindred")
    ).hold
    Hold.objects.filter(pk=waiting.pk).update(placed_at=NOW - dt.timedelta(days=400))
    week_old = closed_hold(hw, hw.ben, days_ago=7, title="Jonathan Strange")
    GroupPolicy.objects.update(closed_hold_days=5)

    assert forget_closed_holds(NOW) == 1
    assert fresh(waiting).patron == hw.ada and fresh(week_old).patron is None


def test_a_forgotten_patrons_hold_still_opens_for_the_pickup_library(hw, client):
    from django.urls import reverse

    from tests.conftest import PASSWORD

    old = closed_hold(hw, hw.ada, days_ago=31)
    forget_closed_holds(NOW)
    client.login(username=hw.desk_riv.username, password=PASSWORD)
    page = client.get(reverse("holds:explain", args=[old.pk]))
    assert page.status_code == 200
    assert "no longer kept" in page.content.decode()
    assert hw.ada.last_name not in page.content.decode()
