"""When a hold is expected, read from the database (holds/expecting.py): the courier-days
service, the queue, and loan due dates from circulation; kept on the hold at placement
and when its copy starts out; shown on the desk's confirmation and in the API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from onelibrary.catalog.models import Item
from onelibrary.circulation import actions as circulation
from onelibrary.circulation import holds_desk
from onelibrary.circulation.models import Loan
from onelibrary.courier.models import CourierDays
from onelibrary.holds import actions, expecting, queries
from onelibrary.holds.models import Hold
from onelibrary.patrons.models import Patron
from tests.holds.conftest import fresh, make_copy, make_title
from tests.holds.test_pages import staff_client


def next_weekday(weekday: int) -> dt.date:
    """The next such weekday after today (Monday 0): so copies made a year ago are old."""
    today = timezone.localdate()
    return today + dt.timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def said(day: dt.date) -> str:
    return f"{day:%A} {day.day} {day:%B}"


def patron(world, card: str, name: str) -> Patron:
    return Patron.objects.create(
        card=card,
        first_name=name,
        last_name="Tester",
        home_library=world.riverton,
        preferred_branch=world.riv_main,
        expires_on=timezone.localdate() + dt.timedelta(days=400),
    )


def test_expect_3_placing_a_hold_that_routes_keeps_the_day_and_says_it_at_the_desk(hw):
    # Monday: Riverton Main's copy is routed (open Mondays: pulled, ships Tuesday); the
    # courier-days table gives RIV-MAIN to ELK 2 days (DAYS-3): Thursday.
    monday = next_weekday(0)
    placed = actions.place_hold(hw.desk_riv, hw.ada, hw.elk_main, title=hw.dune, now=at(monday))
    hold = fresh(placed.hold)
    assert hold.state == Hold.State.ROUTED and hold.assigned_item == hw.dune_riv
    thursday = monday + dt.timedelta(days=3)
    assert (hold.expected_by, hold.expected_rule) == (thursday, "EXPECT-3")
    assert hold.expected_said == (
        f"Being pulled at Riverton Main, then usually 2 days by courier: expected {said(thursday)}."
    )
    assert placed.message.endswith(f"Ready for pickup: expected {said(thursday)}.")


def test_expect_2_a_transit_on_a_three_day_pair_across_a_weekend_moves_the_day(hw):
    CourierDays.objects.filter(origin=hw.riv_main, destination=hw.elk_main).update(days=3)
    thursday = next_weekday(3)
    hold = actions.place_hold(
        hw.desk_riv, hw.ada, hw.elk_main, item=hw.dune_riv, now=at(thursday, 9)
    ).hold
    holds_desk.pull_copy(hw.desk_riv, hw.riv_main, hw.dune_riv, now=at(thursday, 11))
    hold = fresh(hold)
    # Thursday + 3 = Sunday; Elk Valley is closed on Sundays: Monday.
    monday = thursday + dt.timedelta(days=4)
    assert hold.state == Hold.State.IN_TRANSIT
    assert (hold.expected_by, hold.expected_rule) == (monday, "EXPECT-2")
    assert hold.expected_said == (
        f"On its way from Riverton Main, usually 3 days: expected {said(monday)}."
    )


def test_expect_4_waiting_behind_two_others_with_copies_due_on_known_dates(hw):
    # Two Riverton copies of Piranesi, lent and due in 10 and 15 days; two holds ahead.
    # The first gets copy A (back day 10, at Elk day 12, lent 21 days: back day 33), the
    # second copy B; Ada's is copy A again: day 33 + 2 courier days = day 35 (a Monday),
    # after two loans: up to two weeks later.
    monday = next_weekday(0)
    piranesi = make_title()
    a = make_copy(hw, piranesi, "31000000000099", hw.riverton, hw.riv_main)
    b = make_copy(hw, piranesi, "31000000000098", hw.riverton, hw.riv_main)
    circulation.check_out(hw.desk_riv, hw.riv_main, hw.ben, a)
    circulation.check_out(hw.desk_riv, hw.riv_main, patron(hw, "29000000000033", "Cleo"), b)
    Loan.objects.filter(item=a).update(due_date=monday + dt.timedelta(days=10))
    Loan.objects.filter(item=b).update(due_date=monday + dt.timedelta(days=15))
    for card, name in (("29000000000041", "Dan"), ("29000000000058", "Eve")):
        actions.place_hold(hw.desk_riv, patron(hw, card, name), hw.elk_main, title=piranesi)
    hold = actions.place_hold(hw.desk_riv, hw.ada, hw.elk_main, title=piranesi).hold

    expected = expecting.expectation(queries.holds().get(pk=hold.pk), now=at(monday))
    assert expected is not None and expected.rule == "EXPECT-4"
    first, last = monday + dt.timedelta(days=35), monday + dt.timedelta(days=49)
    assert (expected.earliest, expected.latest) == (first, last)
    assert expected.words == (
        "Waiting for a copy to come back, 2 ahead of you: about 35 days, "
        f"between {said(first)} and {said(last)}."
    )


def test_expect_5_when_every_copy_is_lost_it_says_it_cannot_say(hw):
    hold = actions.place_hold(hw.desk_riv, hw.ada, hw.elk_main, title=hw.dune).hold
    Hold.objects.filter(pk=hold.pk).update(state="waiting", assigned_item=None)
    from onelibrary.catalog.models import Item

    Item.objects.filter(title=hw.dune).update(status=Item.Status.LOST)
    expected = expecting.expectation(queries.holds().get(pk=hold.pk))
    assert expected is not None and expected.rule == "EXPECT-5"
    assert expected.earliest is None
    assert "no copy in the group can fill it at the moment, so we cannot say when" in (
        expected.words
    )


def test_the_api_gives_each_hold_its_expected_day(hw, api_riv):
    monday = next_weekday(0)
    actions.place_hold(hw.desk_riv, hw.ada, hw.elk_main, title=hw.dune, now=at(monday))
    body = api_riv.get(f"/holds/patrons/{hw.ada.card}").json()
    expected = body["holds"][0]["expected"]
    assert expected["rule"] == "EXPECT-3" and expected["about"] is False
    assert expected["earliest"] == expected["latest"]
    assert expected["words"].startswith("Being pulled at Riverton Main")
    assert expected["basis"] == "courier days (DAYS-3)"


def test_the_desk_confirmation_says_when(hw):
    riv = staff_client(hw.desk_riv, hw.riv_main)
    response = riv.post(
        f"/holds/place/{hw.dune.pk}/",
        {"card": hw.ada.card, "pickup": hw.elk_main.pk, "item": ""},
        follow=True,
    )
    assert "Ready for pickup: expected " in response.content.decode()


@pytest.mark.parametrize("count", [3, 9])
def test_a_patrons_holds_are_read_in_a_fixed_number_of_queries(
    hw, count, django_assert_max_num_queries
):
    # A third each: routed, in transit, and waiting for a copy on loan.
    for n in range(count):
        title = make_title(f"Title {n}")
        make_copy(hw, title, f"3300000000{n:04d}", hw.riverton, hw.riv_main)
        make_copy(hw, title, f"3400000000{n:04d}", hw.elk, hw.elk_main, status="checked_out")
        if n % 3 == 2:
            Item.objects.filter(title=title).update(status="checked_out")
        hold = actions.place_hold(hw.desk_riv, hw.ada, hw.elk_main, title=title).hold
        if n % 3 == 1:
            holds_desk.pull_copy(hw.desk_riv, hw.riv_main, fresh(hold).assigned_item)
    with django_assert_max_num_queries(19):
        rows = queries.patron_holds(hw.ada)
    assert len(rows) == count
    assert {r["expected"].rule for r in rows} == {"EXPECT-2", "EXPECT-3", "EXPECT-4"}


def test_the_courier_days_for_legs_agree_with_the_one_pair_answer(hw):
    from onelibrary.courier import days

    monday = next_weekday(0)
    legs = [
        (hw.riv_main.pk, hw.elk_main.pk, monday),
        (hw.riv_main.pk, hw.elk_main.pk, monday + dt.timedelta(days=3)),
        (hw.pine_main.pk, hw.riv_main.pk, monday),
        (hw.elk_main.pk, hw.elk_main.pk, monday),
    ]
    answers = days.days_for_legs(legs)
    assert {leg: answers[leg] for leg in legs} == {leg: days.days_between(*leg) for leg in legs}
