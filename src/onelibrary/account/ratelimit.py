"""How many wrong PINs lock a card or a client address, and until when (pure).

RATE-1: 5 failures for one card within 15 minutes lock that card for 15 minutes from the
fifth; a successful login clears the card's count. RATE-2: 20 failures from one client
address within 15 minutes lock that address for 15 minutes, whatever the cards (a
branch's public computers share one address, so its limit is higher; a success does not
clear it, or one valid card would unlock guessing at others). Attempts while locked are
refused without checking the PIN and are not counted, so a lock ends when it says.
docs/account.md, "Logging in".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Limit:
    failures: int
    window: dt.timedelta
    lock: dt.timedelta

    @property
    def lookback(self) -> dt.timedelta:
        """How far back failures can still matter."""
        return self.window + self.lock


CARD_LIMIT = Limit(5, dt.timedelta(minutes=15), dt.timedelta(minutes=15))
ADDRESS_LIMIT = Limit(20, dt.timedelta(minutes=15), dt.timedelta(minutes=15))


def locked_until(
    failures: Iterable[dt.datetime], now: dt.datetime, limit: Limit
) -> dt.datetime | None:
    """The end of the lock `failures` cause at `now`, or None when not locked."""
    times = sorted(t for t in failures if t <= now)
    until: dt.datetime | None = None
    for last in range(limit.failures - 1, len(times)):
        first = last - limit.failures + 1
        if times[last] - times[first] <= limit.window:
            end = times[last] + limit.lock
            if end > now and (until is None or end > until):
                until = end
    return until


def tries_left(failures: Iterable[dt.datetime], now: dt.datetime, limit: Limit) -> int:
    """Wrong PINs still allowed before the lock, counting failures inside the window."""
    recent = [t for t in failures if now - limit.window < t <= now]
    return max(0, limit.failures - len(recent))
