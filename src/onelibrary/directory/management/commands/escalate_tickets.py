"""onelibrary escalate-tickets: send open tickets past their deadline to the central
office, once (for cron and tests; huey runs it daily)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from onelibrary.directory.tickets import escalate_overdue


class Command(BaseCommand):
    help = "Escalate open tickets past their response deadline to the central office."

    def handle(self, *args: object, **options: object) -> None:
        done = escalate_overdue()
        self.stdout.write(f"{len(done)} ticket{'s' if len(done) != 1 else ''} escalated.")
        for ticket in done:
            self.stdout.write(f"  #{ticket.pk} {ticket.subject}")
