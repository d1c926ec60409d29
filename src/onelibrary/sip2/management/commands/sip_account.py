"""`onelibrary sip-account BRANCH LOGIN --password PW`: a self-check machine's login."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from onelibrary.core.refusals import Refusal
from onelibrary.sip2.accounts import create_account


class Command(BaseCommand):
    help = (
        "Make (or change) the account a self-check machine logs in with over SIP2 (CN/CO), "
        "acting at BRANCH with the desk's rules. See docs/sip2.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("branch", help="The branch code, e.g. RIV-MAIN.")
        parser.add_argument("login")
        parser.add_argument("--password", required=True)
        parser.add_argument(
            "--no-pin",
            action="store_true",
            help="Let patrons borrow and renew with their card alone (no PIN, AD).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            account = create_account(
                options["branch"],
                options["login"],
                options["password"],
                require_pin=not options["no_pin"],
            )
        except Refusal as refused:
            raise CommandError(refused.message) from refused
        pin = "with" if account.require_pin else "without"
        self.stdout.write(
            f"SIP2 account {account.login} at {account.branch.code} ({account.branch.name}), "
            f"patrons {pin} a PIN; it acts as staff user {account.user.username}."
        )
