"""Settlement for a period: each party's balance, and the payments that settle them.

A period is a month (`2026-11`) or a range of days (`2026-11-01..2026-12-15`); entries
count in the period their `booked_at` falls in, in the group's time zone. Balances come
from `book.balances` (two grouped sums); payments from `netting.net`. The group itself is
a party under its own code when the courier or the group owes or is owed.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils import timezone

from onelibrary.ledger.book import LedgerRefusal, balances
from onelibrary.ledger.models import Entry
from onelibrary.ledger.netting import Payment, net
from onelibrary.members.models import Library, SharingGroup
from onelibrary.policy.report import safe_cell

MONTH = re.compile(r"^(\d{4})-(\d{2})$")
RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")
GROUP_CODE = "GROUP"


@dataclass(frozen=True)
class Period:
    first: dt.date
    last: dt.date  # inclusive

    @property
    def label(self) -> str:
        whole_month = self.first.day == 1 and (self.last + dt.timedelta(days=1)).day == 1
        if whole_month and (self.first.year, self.first.month) == (self.last.year, self.last.month):
            return f"{self.first:%Y-%m}"
        return f"{self.first.isoformat()}..{self.last.isoformat()}"

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        zone = timezone.get_current_timezone()
        start = dt.datetime.combine(self.first, dt.time(), zone)
        end = dt.datetime.combine(self.last + dt.timedelta(days=1), dt.time(), zone)
        return start, end


def period(text: str) -> Period:
    """LEDGER-15: `2026-11` or `2026-11-01..2026-11-30`; anything else is refused."""
    text = (text or "").strip()
    try:
        if match := MONTH.match(text):
            year, month = int(match[1]), int(match[2])
            first = dt.date(year, month, 1)
            after = dt.date(year + month // 12, month % 12 + 1, 1)
            return Period(first, after - dt.timedelta(days=1))
        if match := RANGE.match(text):
            first, last = dt.date.fromisoformat(match[1]), dt.date.fromisoformat(match[2])
            if last < first:
                raise ValueError("ends before it starts")
            return Period(first, last)
    except ValueError:
        pass
    raise LedgerRefusal(
        "bad_period",
        f"'{text}' is not a period: write a month as 2026-11, or days as "
        "2026-11-01..2026-11-30 (the last day counts).",
        decision="LEDGER-15",
    )


def entries_in(p: Period) -> QuerySet[Entry]:
    start, end = p.bounds()
    return Entry.objects.filter(booked_at__gte=start, booked_at__lt=end)


def party_q(library_ids: frozenset[int] | set[int]) -> Q:
    """Entries where one of these libraries is a party (LEDGER-17)."""
    return Q(debtor_id__in=library_ids) | Q(creditor_id__in=library_ids)


@dataclass(frozen=True)
class Settlement:
    period: Period
    balances: dict[str, Decimal]  # code → balance (positive: is owed)
    payments: list[Payment]
    names: dict[str, str]
    ids: dict[str, int | None]  # code → library id (None: the group)

    def as_json(self) -> dict[str, object]:
        return {
            "period": self.period.label,
            "balances": {code: str(amount) for code, amount in self.balances.items()},
            "payments": [
                {"from": p.payer, "to": p.payee, "amount": str(p.amount)} for p in self.payments
            ],
        }

    def only(self, codes: set[str]) -> Settlement:
        """The rows these parties may see: their balances and their payments."""
        return Settlement(
            self.period,
            {c: a for c, a in self.balances.items() if c in codes},
            [p for p in self.payments if p.payer in codes or p.payee in codes],
            self.names,
            self.ids,
        )


def group_code() -> str:
    group = SharingGroup.current()
    return group.code if group is not None else GROUP_CODE


def settle(p: Period) -> Settlement:
    by_id = balances(entries_in(p))
    libraries = Library.objects.in_bulk([pk for pk in by_id if pk is not None])
    codes: dict[int | None, str] = {pk: lib.code for pk, lib in libraries.items()}
    codes[None] = group_code()
    names = {lib.code: lib.name for lib in libraries.values()} | {codes[None]: "The group"}
    found = {codes[pk]: amount for pk, amount in sorted(by_id.items(), key=lambda x: codes[x[0]])}
    found = {code: amount for code, amount in found.items() if amount != 0}
    return Settlement(p, found, net(found), names, {code: pk for pk, code in codes.items()})


def csv_rows(s: Settlement) -> list[list[str]]:
    """The settlement as CSV rows: balances, then payments; cells safe from formulas."""
    rows = [["settlement", s.period.label], [], ["member", "name", "balance"]]
    rows += [
        [safe_cell(c), safe_cell(s.names.get(c, c)), safe_cell(a)] for c, a in s.balances.items()
    ]
    rows += [[], ["from", "to", "amount"]]
    rows += [[safe_cell(p.payer), safe_cell(p.payee), safe_cell(p.amount)] for p in s.payments]
    return rows
