"""onelibrary courier-days FROM_BRANCH TO_BRANCH [--on YYYY-MM-DD]

Prints the expected courier days from one branch to another for an item shipped on a
date (today by default), and the legs the answer is made of (docs/courier.md). A branch
code nobody has, or a date that is not YYYY-MM-DD, is refused with exit code 2.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from onelibrary.courier import service
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
        answer = service.explain(sender.pk, receiver.pk, on)
        write = self.stdout.write
        head = f"{sender.code} -> {receiver.code}, shipped {on:%a %Y-%m-%d}"
        if not answer.reachable:
            write(f"{head}: no route.")
            write(f"  {answer.problem}")
            return
        days = answer.days
        write(f"{head}: {days} day{'s' * (days != 1)}, arrives {answer.arrival:%a %Y-%m-%d}.")
        if not answer.legs:
            write("  Same branch: no trip.")
        for number, leg in enumerate(answer.legs, start=1):
            write(f"  {number}. {leg.description}")
