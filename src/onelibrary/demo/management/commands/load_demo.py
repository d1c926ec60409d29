"""`onelibrary load-demo`: load the demo sharing group into an empty database."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser

from onelibrary.demo import console
from onelibrary.demo.generator import SIZES


class Command(BaseCommand):
    help = (
        "Load the demo sharing group (Big Sky Partners) into a migrated database that has "
        "no sharing group yet. The same --seed always gives the same group."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--size", choices=list(SIZES), default="small")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--titles", type=int, help="generated titles (default: by size); fewer loads faster"
        )
        parser.add_argument("--patrons", type=int, help="patrons (default: by size)")
        parser.add_argument(
            "--no-marc", action="store_true", help="skip Evergreen's sample MARC files"
        )

    def handle(
        self,
        *args: object,
        size: str,
        seed: int,
        titles: int | None,
        patrons: int | None,
        no_marc: bool,
        **options: object,
    ) -> None:
        console.require_migrated()
        console.load(
            self.stdout, size=size, seed=seed, titles=titles, patrons=patrons, with_marc=not no_marc
        )
