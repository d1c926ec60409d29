"""`onelibrary sip2 [--host H] [--port P]`: serve SIP2 to self-check machines."""

from __future__ import annotations

import logging
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from onelibrary.sip2.server import IDLE_SECONDS, SipServer


class Command(BaseCommand):
    help = (
        "Serve SIP2 (3M Standard Interchange Protocol 2.00) to self-check machines, one "
        "thread per connection, until stopped. Accounts: onelibrary sip-account. See "
        "docs/sip2.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=6001)
        parser.add_argument(
            "--encoding",
            default="utf-8",
            help="How text is sent and read: utf-8 (default) or what the machines need, "
            "e.g. cp850 (the SIP2 standard's) or ascii.",
        )
        parser.add_argument(
            "--idle",
            type=float,
            default=IDLE_SECONDS,
            help="Seconds before a silent machine is disconnected.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            "".encode(options["encoding"])
        except LookupError as error:
            raise CommandError(f"Unknown encoding {options['encoding']!r}.") from error
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
        try:
            server = SipServer(
                (options["host"], options["port"]),
                encoding=options["encoding"],
                idle_seconds=options["idle"],
            )
        except OSError as error:
            raise CommandError(
                f"Cannot listen on {options['host']}:{options['port']}: {error.strerror}. "
                "Is another server on that port?"
            ) from error
        self.stdout.write(f"SIP2 server on {options['host']}:{server.port}")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
