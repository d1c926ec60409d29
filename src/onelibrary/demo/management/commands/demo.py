"""`onelibrary demo`: migrate, load the demo group the first time, print logins, serve."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from onelibrary.demo import console
from onelibrary.demo.generator import SIZES
from onelibrary.members.models import SharingGroup


class Command(BaseCommand):
    help = (
        "Run OneLibrary with the demo group on this machine: migrate, load the demo group "
        "if the database has no sharing group, print the logins, and serve on 127.0.0.1."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--size", choices=list(SIZES), help="demo size (default: small)")
        parser.add_argument("--seed", type=int, help="demo seed (default: 1)")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--no-serve", action="store_true", help="migrate, load and print, then exit"
        )

    def handle(
        self,
        *args: object,
        size: str | None,
        seed: int | None,
        port: int,
        no_serve: bool,
        **options: object,
    ) -> None:
        if not 1 <= port <= 65535:
            raise CommandError(f"--port must be between 1 and 65535, not {port}.")
        self.stdout.write("Migrating the database…")
        call_command("migrate", interactive=False, verbosity=0)
        group = SharingGroup.current()
        if group is None:
            console.load(self.stdout, size=size or "small", seed=1 if seed is None else seed)
        else:
            self.stdout.write(f'"{group}" is already loaded: using it as it is.')
            if size is not None or seed is not None:
                self.stdout.write(
                    "--size and --seed apply only to a fresh database. "
                    + console.start_afresh_hint()
                )
        console.print_logins(self.stdout, f"http://127.0.0.1:{port}/")
        if no_serve:
            return
        # WhiteNoise serves static files from the apps (WHITENOISE_USE_FINDERS) and warns
        # when STATIC_ROOT is missing; the demo never runs collectstatic.
        Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
        self.stdout.write("Press Ctrl-C to stop.\n")
        call_command("runserver", f"127.0.0.1:{port}", use_reloader=False)
