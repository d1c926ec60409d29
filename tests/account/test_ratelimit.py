"""RATE-1 and RATE-2 as pure decisions (account/ratelimit.py)."""

from __future__ import annotations

import datetime as dt

from onelibrary.account.ratelimit import ADDRESS_LIMIT, CARD_LIMIT, Limit, locked_until, tries_left

T0 = dt.datetime(2026, 11, 26, 10, 0, tzinfo=dt.UTC)


def minutes(*offsets: float) -> list[dt.datetime]:
    return [T0 + dt.timedelta(minutes=m) for m in offsets]


def test_it_locks_a_card_for_15_minutes_from_the_fifth_failure_in_15_minutes():
    failures = minutes(0, 1, 2, 3, 4)
    assert locked_until(failures, T0 + dt.timedelta(minutes=4), CARD_LIMIT) == T0 + dt.timedelta(
        minutes=19
    )
    assert locked_until(failures, T0 + dt.timedelta(minutes=18, seconds=59), CARD_LIMIT)


def test_it_unlocks_when_the_lock_has_run():
    failures = minutes(0, 1, 2, 3, 4)
    assert locked_until(failures, T0 + dt.timedelta(minutes=19), CARD_LIMIT) is None


def test_it_does_not_lock_on_four_failures():
    assert locked_until(minutes(0, 1, 2, 3), T0 + dt.timedelta(minutes=3), CARD_LIMIT) is None


def test_it_does_not_lock_on_five_failures_spread_over_more_than_the_window():
    assert locked_until(minutes(0, 4, 8, 12, 16), T0 + dt.timedelta(minutes=16), CARD_LIMIT) is None


def test_it_ignores_failures_after_now():
    assert locked_until(minutes(0, 1, 2, 3, 30), T0 + dt.timedelta(minutes=5), CARD_LIMIT) is None


def test_it_takes_the_latest_lock_of_several():
    failures = minutes(0, 1, 2, 3, 4, 10)
    assert locked_until(failures, T0 + dt.timedelta(minutes=10), CARD_LIMIT) == T0 + dt.timedelta(
        minutes=25
    )


def test_it_allows_twenty_failures_from_one_address_before_locking_it():
    failures = minutes(*[m * 0.5 for m in range(19)])
    now = T0 + dt.timedelta(minutes=10)
    assert locked_until(failures, now, ADDRESS_LIMIT) is None
    assert locked_until([*failures, now], now, ADDRESS_LIMIT) == now + dt.timedelta(minutes=15)


def test_it_counts_the_tries_left_inside_the_window():
    now = T0 + dt.timedelta(minutes=20)
    assert tries_left(minutes(1, 10, 15), now, CARD_LIMIT) == 3  # 1 is out of the window
    assert tries_left(minutes(6, 7, 8, 9, 10, 11), now, CARD_LIMIT) == 0
    assert tries_left([], now, Limit(3, dt.timedelta(minutes=1), dt.timedelta(minutes=1))) == 3
