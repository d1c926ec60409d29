"""Holds later than the patron was told (holds/late.py): the daily notice, once per hold,
its words, the line in My account when there is no email, and the staff's list."""

from __future__ import annotations

import datetime as dt

from django.core import mail
from django.utils import timezone

from onelibrary.holds import actions, late
from onelibrary.holds.models import Hold, HoldEvent
from tests.holds.conftest import fresh, make_copy, make_title
from tests.holds.test_pages import staff_client


def late_hold(world, patron=None, **fields) -> Hold:
    """A hold on a title whose only copy is out, told it would be here three days ago."""
    title = make_title("Piranesi")
    make_copy(world, title, "31000000000077", world.riverton, world.riv_main, status="checked_out")
    hold = actions.place_hold(world.desk_riv, patron or world.ada, world.riv_main, title=title).hold
    three_days_ago = timezone.localdate() - dt.timedelta(days=3)
    Hold.objects.filter(pk=hold.pk).update(expected_by=three_days_ago, **fields)
    return fresh(hold)


def test_it_tells_the_patron_once_however_often_it_runs(hw, django_capture_on_commit_callbacks):
    hold = late_hold(hw)
    with django_capture_on_commit_callbacks(execute=True):
        assert late.notice_late_holds() == 1
        assert late.notice_late_holds() == 0
    assert len(mail.outbox) == 1
    assert fresh(hold).late_noticed_at is not None
    assert HoldEvent.objects.filter(hold=hold, kind="late_notice_sent").count() == 1


def test_the_notice_speaks_to_the_patron(hw, django_capture_on_commit_callbacks):
    hold = late_hold(hw)
    with django_capture_on_commit_callbacks(execute=True):
        late.notice_late_holds()
    message = mail.outbox[0]
    by = hold.expected_by
    assert message.to == ["ada@example.org"]
    assert message.subject == "Your hold on Piranesi is taking longer than we said"
    assert message.body.startswith(
        "Dear Ada,\n\nYour hold on Piranesi was expected on the hold shelf at Riverton Main "
        f"by {by:%A} {by.day} {by:%B}, and it is not there yet. We are sorry for the wait.\n\n"
        "Where it is now: Waiting for a copy to come back: about "
    )
    assert "You keep your place, and we email you when it is ready." in message.body


def test_without_an_email_it_is_a_line_in_my_account(hw, django_capture_on_commit_callbacks):
    hw.ada.email = ""
    hw.ada.save(update_fields=["email"])
    hold = late_hold(hw)
    with django_capture_on_commit_callbacks(execute=True):
        assert late.notice_late_holds() == 1
    assert not mail.outbox
    event = HoldEvent.objects.get(hold=hold, kind="late_notice_not_sent")
    assert event.detail["reason"].startswith(
        "You have no email address. Your hold on Piranesi was expected on the hold shelf"
    )


def test_it_leaves_alone_holds_on_time_suspended_or_on_the_shelf(hw):
    title = make_title("Piranesi")
    make_copy(hw, title, "31000000000077", hw.riverton, hw.riv_main, status="checked_out")
    hold = actions.place_hold(hw.desk_riv, hw.ada, hw.riv_main, title=title).hold
    assert fresh(hold).expected_by >= timezone.localdate()  # EXPECT-4 kept at placement
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    Hold.objects.filter(pk=hold.pk).update(
        expected_by=yesterday, suspended_until=timezone.localdate() + dt.timedelta(days=5)
    )
    Hold.objects.filter(pk=hold.pk).update(suspended_until=None, state="on_shelf")
    assert late.notice_late_holds() == 0
    Hold.objects.filter(pk=hold.pk).update(
        state="waiting", suspended_until=timezone.localdate() + dt.timedelta(days=5)
    )
    assert late.notice_late_holds() == 0
    assert not mail.outbox


def test_staff_see_the_late_holds_for_pickup_at_their_branch(hw):
    late_hold(hw)
    riv = staff_client(hw.desk_riv, hw.riv_main)
    page = riv.get("/holds/late/").content.decode()
    assert "Late holds: Riverton Main" in page
    assert "Lindqvist, Ada" in page and "Piranesi" in page
    pine = staff_client(hw.desk_pine, hw.pine_main)
    assert "No hold for pickup at Pine Creek is late." in pine.get("/holds/late/").content.decode()
