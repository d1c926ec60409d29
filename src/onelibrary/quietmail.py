"""The email backend for a server with no mail set up: it says that a notice would have
gone, and keeps the patron out of the log.

Django's console backend writes every message whole — the patron's address, name and
what they borrow — to standard output, which servers keep as their log; erasing the
patron cannot reach it. This one writes only the subject and how many recipients. Set
ONELIBRARY_EMAIL_BACKEND to an SMTP backend to send notices (docs/operations.md).
"""

from __future__ import annotations

from django.core.mail import EmailMessage
from django.core.mail.backends.console import EmailBackend as ConsoleBackend


class EmailBackend(ConsoleBackend):
    def write_message(self, message: EmailMessage) -> None:
        count = len(message.recipients())
        self.stream.write(
            f"Email not sent (no mail server set up): {message.subject!r} "
            f"to {count} recipient{'s' if count != 1 else ''}, address withheld.\n"
        )
