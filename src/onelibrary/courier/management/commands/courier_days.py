"""onelibrary courier-days FROM_BRANCH TO_BRANCH [--on YYYY-MM-DD]

Prints the expected courier days from one branch to another for an item shipped on a
date (today by default), where the figure comes from (DAYS-1 to DAYS-5), and the legs of
the route schedule (docs/courier.md). A branch
code nobody has, or a date that is not YYYY-MM-DD, is refused with exit code 2.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from onelibrary.courier import days
from onelibrary.courier.lookup import parse_question


class Command(BaseCommand):
    help = "Expected courier days between two branches, and the legs of the trip."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("from_branch", metavar="FROM_BRANCH", help="Sending branch code.")
        parser.add_argument("to_branch", metavar="TO_BRANCH", help="Receiving branch code.")
        parser.add_argument(
            "--on", default="", metavar="YYYY-MM-DD", help="The ship date (default: today)."
        )

    def handle(self, *args: object, **options: str) -> None:
        try:
            sender, receiver, on = parse_question(
                options["from_branch"], options["to_branch"], options["on"]
            )
        except ValueError as error:
            raise CommandError(str(error), returncode=2) from error
        explained = days.explained(sender.pk, receiver.pk, on)
        answer, legs = explained.answer, explained.schedule
        write = self.stdout.write
        head = f"{sender.code} -> {receiver.code}, shipped {on:%a %Y-%m-%d}"
        source = f"{answer.source.said} ({answer.source.rule})"
        if answer.days is None:
            write(f"{head}: no route: {source}.")
            write(f"  {legs.problem}")
            return
        count = f"{answer.days:g} day{'s' * (answer.days != 1)}"
        write(f"{head}: {count}, arrives {answer.arrival:%a %Y-%m-%d}, from {source}.")
        if not legs.legs:
            write(f"  {legs.problem}" if legs.problem else "  Same branch: no trip.")
        elif answer.source != days.Source.SCHEDULE:
            write(f"  The route schedule says {legs.days} days:")
        for number, leg in enumerate(legs.legs, start=1):
            write(f"  {number}. {leg.description}")
