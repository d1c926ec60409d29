"""onelibrary settle --period 2026-11 [--json]: the settlement between members for a period.

Books what has happened first (`posting.catch_up`), then prints each member's balance and
the payments that settle them. `--json` prints `{"balances": {CODE: "12.50", …},
"payments": [{"from": CODE, "to": CODE, "amount": "12.50"}, …]}`, amounts as decimal
strings. An unknown period is refused (LEDGER-15) with the reason, exit status 1.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from onelibrary.ledger import posting, settlement
from onelibrary.ledger.book import LedgerRefusal, money


class Command(BaseCommand):
    help = "Balances between members for a period and the fewest payments that settle them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", required=True, help="2026-11, or 2026-11-01..2026-11-30")
        parser.add_argument("--json", action="store_true", help="Print JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            period = settlement.period(options["period"])
        except LedgerRefusal as refusal:
            raise CommandError(refusal.message) from None
        report = posting.catch_up()
        found = settlement.settle(period)
        if options["json"]:
            body = found.as_json()
            self.stdout.write(json.dumps({k: body[k] for k in ("balances", "payments")}, indent=2))
            return
        if report.waiting:
            self.stderr.write(report.waiting)
        self.stdout.write(f"Settlement for {period.label}")
        for code, amount in found.balances.items():
            side = "is owed" if amount > 0 else "owes"
            self.stdout.write(f"  {code:<12} {side} {money(abs(amount))}")
        self.stdout.write(f"{len(found.payments)} payments settle it:")
        for p in found.payments:
            self.stdout.write(f"  {p.payer} pays {p.payee} {money(p.amount)}")
