"""When a hold's copy is expected on the hold shelf (holds/expected.py), worked by hand:
one test per case of docs/holds/expected.md, no database."""

from __future__ import annotations

import datetime as dt

from onelibrary.holds.expected import (
    Calendar,
    HoldFacts,
    Supply,
    Trip,
    expect,
    ships_on,
)

TUESDAY = dt.date(2025, 6, 10)
THURSDAY = dt.date(2025, 6, 12)
NOT_SUNDAYS = Calendar("1111110")
ELK = "Elk Valley Library"


def day(month: int, d: int) -> dt.date:
    return dt.date(2025, month, d)


def test_expect_1_a_copy_on_the_shelf_says_until_when():
    said = expect(HoldFacts("on_shelf", TUESDAY, "Pine Creek", shelf_expires_on=day(6, 17)))
    assert said.rule == "EXPECT-1"
    assert said.words == "On the hold shelf at Pine Creek: pick up by Tuesday 17 June."
    assert said.late_after is None  # it is there: never late


def test_expect_2_in_transit_on_a_three_day_pair_across_a_weekend():
    # Left Elk on Thursday; the courier-days table says 3 days: Sunday, when the pickup
    # branch is closed, so Monday.
    facts = HoldFacts(
        "in_transit",
        THURSDAY,
        "Riverton Main",
        pickup_calendar=NOT_SUNDAYS,
        trip=Trip(ELK, 3.0, "DAYS-3"),
        ships_on=THURSDAY,
    )
    said = expect(facts)
    assert said.rule == "EXPECT-2"
    assert (said.earliest, said.latest) == (day(6, 16), day(6, 16))
    assert (
        said.words == "On its way from Elk Valley Library, usually 3 days: expected Monday 16 June."
    )
    assert not said.about and said.basis == "courier days (DAYS-3)"


def test_expect_2_a_learned_half_day_counts_as_a_whole_one():
    facts = HoldFacts(
        "in_transit", THURSDAY, "Riverton Main", trip=Trip(ELK, 1.5, "DAYS-1"), ships_on=THURSDAY
    )
    assert expect(facts).earliest == day(6, 14)
    assert "usually 2 days" in expect(facts).words


def test_expect_2_a_copy_past_its_day_is_said_to_be_late_with_no_new_promise():
    facts = HoldFacts(
        "in_transit", day(6, 20), "Riverton Main", trip=Trip(ELK, 2.0, "DAYS-2"), ships_on=THURSDAY
    )
    said = expect(facts)
    assert said.earliest is None
    assert said.words == (
        "On its way from Elk Valley Library, usually 2 days; it was expected Saturday 14 June "
        "and is running late."
    )


def test_expect_3_a_routed_copy_is_pulled_when_its_branch_opens_then_travels():
    # Routed on Monday at Pine Creek (open Tue/Thu/Sat): pulled Tuesday, ships Wednesday;
    # 2 courier days: Friday.
    pine = Calendar("0101010")
    monday = day(6, 9)
    assert ships_on(monday, pine) == day(6, 11)
    facts = HoldFacts(
        "routed",
        monday,
        "Elk Valley",
        trip=Trip("Pine Creek", 2.0, "DAYS-2"),
        ships_on=ships_on(monday, pine),
    )
    said = expect(facts)
    assert said.rule == "EXPECT-3"
    assert said.earliest == day(6, 13)
    assert said.words == (
        "Being pulled at Pine Creek, then usually 2 days by courier: expected Friday 13 June."
    )


def test_expect_3_a_copy_at_the_pickup_branch_is_there_the_day_it_is_pulled():
    facts = HoldFacts(
        "routed",
        TUESDAY,
        "Riverton Main",
        trip=Trip("Riverton Main", 0.0, "COURIER-4"),
        ships_on=day(6, 11),
    )
    assert expect(facts).words == (
        "Being pulled from the shelf at Riverton Main: expected Wednesday 11 June."
    )


def test_expect_4_waiting_for_a_copy_back_from_a_loan_is_about_and_a_range():
    # The one copy is due back in 11 days; 1 courier day; a loan may come back late.
    facts = HoldFacts(
        "waiting",
        TUESDAY,
        "Riverton Main",
        supplies=(Supply(day(6, 21), "loan", Trip(ELK, 1.0, "DAYS-3"), 21),),
    )
    said = expect(facts)
    assert said.rule == "EXPECT-4" and said.about
    assert (said.earliest, said.latest) == (day(6, 22), day(6, 29))
    assert said.words == (
        "Waiting for a copy to come back: about 12 days, between Sunday 22 June and Sunday 29 June."
    )
    assert said.basis == "loan due dates, courier days (DAYS-3)"
    assert said.late_after == day(6, 29)


def test_expect_4_waiting_behind_two_others_with_copies_due_on_known_dates():
    # Copy A due 20 June (1 courier day), copy B due 25 June (2 days), 21-day loans.
    # The first hold ahead gets A (back 20 June + 1 + 21 = 12 July), the second B (back
    # 25 June + 2 + 21 = 18 July); this one gets A again: 12 July + 1 = 13 July, after two
    # loans, so the range runs two weeks on.
    facts = HoldFacts(
        "waiting",
        TUESDAY,
        "Riverton Main",
        ahead=2,
        supplies=(
            Supply(day(6, 20), "loan", Trip(ELK, 1.0, "DAYS-3"), 21),
            Supply(day(6, 25), "loan", Trip("Pine Creek", 2.0, "DAYS-2"), 21),
        ),
    )
    said = expect(facts)
    assert (said.earliest, said.latest) == (day(7, 13), day(7, 27))
    assert said.words == (
        "Waiting for a copy to come back, 2 ahead of you: about 33 days, "
        "between Sunday 13 July and Sunday 27 July."
    )
    assert said.basis == "loan due dates and the queue, courier days (DAYS-3)"


def test_expect_4_a_copy_on_a_shelf_not_yet_routed_is_pulled_tomorrow():
    facts = HoldFacts(
        "waiting",
        TUESDAY,
        "Riverton Main",
        pickup_calendar=NOT_SUNDAYS,
        supplies=(Supply(TUESDAY, "shelf", Trip(ELK, 4.0, "DAYS-4"), 21),),
    )
    said = expect(facts)
    assert (said.earliest, said.latest) == (day(6, 16), day(6, 16))  # Sunday 15 → Monday
    assert said.words == "Waiting: about 6 days, around Monday 16 June."


def test_expect_4_an_overdue_copy_counts_from_today():
    facts = HoldFacts(
        "waiting",
        TUESDAY,
        "Riverton Main",
        supplies=(Supply(day(6, 1), "loan", Trip(ELK, 2.0, "DAYS-3"), 21),),
    )
    assert expect(facts).earliest == day(6, 12)


def test_expect_5_no_copy_can_fill_it_gives_no_date():
    said = expect(HoldFacts("waiting", TUESDAY, "Riverton Main", ahead=1))
    assert said.rule == "EXPECT-5"
    assert (said.earliest, said.late_after) == (None, None)
    assert said.words == (
        "Waiting, 1 ahead of you; no copy in the group can fill it at the moment, "
        "so we cannot say when."
    )


def test_expect_5_no_courier_route_gives_no_date():
    trip = Trip(ELK, None, "DAYS-5")
    waiting = HoldFacts(
        "waiting", TUESDAY, "Riverton Main", supplies=(Supply(TUESDAY, "shelf", trip, 21),)
    )
    assert expect(waiting).rule == "EXPECT-5"
    assert "no copy that can fill it has a courier route to Riverton Main" in expect(waiting).words
    moving = HoldFacts("in_transit", TUESDAY, "Riverton Main", trip=trip, ships_on=TUESDAY)
    assert expect(moving).words == (
        "On its way from Elk Valley Library; no courier route to Riverton Main is known, "
        "so we cannot say when it arrives."
    )


def test_expect_6_a_suspended_hold_is_not_promised():
    facts = HoldFacts(
        "waiting",
        TUESDAY,
        "Riverton Main",
        suspended_until=day(7, 1),
        supplies=(Supply(TUESDAY, "shelf", Trip(ELK, 1.0, "DAYS-3"), 21),),
    )
    said = expect(facts)
    assert said.rule == "EXPECT-6" and said.earliest is None
    assert said.words == (
        "Suspended until Tuesday 1 July: it keeps its place but is not filled before then."
    )
