"""The hold shelf: the arrival notice, the pickup deadline around closed days, expiry
(the copy to the next hold or home) and the list of copies to clear."""

from __future__ import annotations

import datetime as dt

from django.core import mail
from django.utils import timezone

from onelibrary.catalog.models import Item
from onelibrary.circulation import actions as circulation
from onelibrary.circulation import holds_desk
from onelibrary.circulation.tasks import run_maintenance
from onelibrary.holds import actions, queries, shelf
from onelibrary.holds.models import Hold, HoldEvent
from onelibrary.members.models import ClosedDate
from tests.holds.conftest import fresh

MONDAY = timezone.make_aware(dt.datetime(2026, 11, 2, 12, 0))
LATER = timezone.now() + dt.timedelta(days=30)


def on_shelf(hw, patron, item, pickup, **kwargs):
    hold = actions.place_hold(hw.central, patron, pickup, item=item, **kwargs).hold
    holds_desk.pull_copy(hw.central, item.current_branch, item, **kwargs)
    return fresh(hold)


def test_it_emails_the_patron_when_the_copy_is_on_the_hold_shelf(
    hw, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        hold = on_shelf(hw, hw.ada, hw.dune_riv, hw.riv_main)
    assert hold.state == Hold.State.ON_SHELF
    [notice] = mail.outbox
    assert notice.to == ["ada@example.org"]
    assert notice.subject == "Ready for pickup: Dune"
    assert "Riverton Main" in notice.body
    assert f"{hold.shelf_expires_on:%A %d %B %Y}" in notice.body
    assert HoldEvent.objects.filter(hold=hold, kind="notice_sent").exists()


def test_it_records_that_no_notice_could_be_sent_without_an_email(
    hw, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        hold = on_shelf(hw, hw.ben, hw.dune_pine, hw.pine_main)
    assert mail.outbox == []
    assert HoldEvent.objects.filter(hold=hold, kind="notice_not_sent").exists()


def test_it_sets_the_pickup_deadline_on_an_open_day_of_the_pickup_branch(hw):
    # Monday + 7 days is a Monday; Pine Creek opens Tue/Thu/Sat, and is shut that Tuesday.
    ClosedDate.objects.create(branch=hw.pine_main, date=dt.date(2026, 11, 10))
    hold = on_shelf(hw, hw.ben, hw.dune_pine, hw.pine_main, now=MONDAY)
    assert hold.shelf_expires_on == dt.date(2026, 11, 12)


def test_it_expires_an_uncollected_hold_and_sends_the_copy_home(hw):
    hold = actions.place_hold(hw.central, hw.ada, hw.riv_main, item=hw.dune_pine).hold
    holds_desk.pull_copy(hw.desk_pine, hw.pine_main, hw.dune_pine)
    circulation.check_in(hw.desk_riv, hw.riv_main, hw.dune_pine)  # CHECKIN-19
    report = run_maintenance(LATER)
    assert report.expired == 1
    hold = fresh(hold)
    assert hold.state == Hold.State.EXPIRED and hold.closed_at == LATER
    assert fresh(hw.dune_pine).status == Item.Status.IN_TRANSIT
    [row] = queries.to_clear(hw.riv_main)
    assert row["instruction"] == "SEND TO PINE CREEK (PINE)"
    assert row["why"] == "Not picked up in time"


def test_it_shelves_an_expired_copy_that_belongs_here(hw):
    on_shelf(hw, hw.ada, hw.dune_riv, hw.riv_main)
    run_maintenance(LATER)
    assert fresh(hw.dune_riv).status == Item.Status.AVAILABLE
    assert queries.to_clear(hw.riv_main)[0]["instruction"] == "SHELVE"


def test_it_gives_an_expired_copy_to_the_next_hold_at_the_same_branch(
    hw, django_capture_on_commit_callbacks
):
    first = on_shelf(hw, hw.ada, hw.dune_riv, hw.riv_main)
    circulation.check_out(hw.central, hw.pine_main, hw.ada, hw.dune_pine)
    hw.ben.email = "ben@example.org"
    hw.ben.save()
    second = actions.place_hold(hw.central, hw.ben, hw.riv_main, title=hw.dune).hold
    assert second.state == Hold.State.WAITING
    with django_capture_on_commit_callbacks(execute=True):
        run_maintenance(LATER)
    assert fresh(first).state == Hold.State.EXPIRED
    second = fresh(second)
    assert second.state == Hold.State.ON_SHELF and second.assigned_item == hw.dune_riv
    assert [m.to for m in mail.outbox] == [["ben@example.org"]]
    [row] = queries.to_clear(hw.riv_main)
    assert row["instruction"] == "KEEP ON HOLD SHELF FOR OKAFOR, BEN"


def test_it_sends_an_expired_copy_to_the_next_hold_elsewhere(hw):
    on_shelf(hw, hw.ada, hw.dune_riv, hw.riv_main)
    circulation.check_out(hw.central, hw.pine_main, hw.ada, hw.dune_pine)
    second = actions.place_hold(hw.central, hw.ben, hw.pine_main, title=hw.dune).hold
    run_maintenance(LATER)
    assert fresh(second).state == Hold.State.IN_TRANSIT
    assert queries.to_clear(hw.riv_main)[0]["instruction"] == "SEND TO PINE CREEK (PINE) FOR HOLD"


def test_it_lists_a_cancelled_hold_shelf_copy_to_clear_until_cleared(hw):
    hold = on_shelf(hw, hw.ada, hw.dune_riv, hw.riv_main)
    message = holds_desk.cancel_hold(hw.desk_riv, hold)
    assert message.endswith("SHELVE.")
    [row] = queries.to_clear(hw.riv_main)
    assert row["why"] == "Cancelled"
    shelf.clear_from_shelf(hw.desk_riv, hw.riv_main, hold)
    assert queries.to_clear(hw.riv_main) == []


def test_it_does_not_expire_a_hold_before_its_deadline(hw):
    hold = on_shelf(hw, hw.ada, hw.dune_riv, hw.riv_main)
    assert run_maintenance().expired == 0
    assert fresh(hold).state == Hold.State.ON_SHELF
