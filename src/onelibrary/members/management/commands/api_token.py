"""Issue a staff member an API token (the key is printed once), or revoke one."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser

from onelibrary.members import tokens


class Command(BaseCommand):
    help = (
        "Issue an API token: `api_token USERNAME --name NAME` prints the new key once. "
        "Revoke one: `api_token --revoke ID`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", nargs="?", help="The staff account the token acts as.")
        parser.add_argument("--name", default="", help="What will use it, e.g. 'self-check 2'.")
        parser.add_argument("--revoke", type=int, metavar="ID", help="Revoke token number ID.")

    def handle(
        self, *args: object, username: str | None, name: str, revoke: int | None, **options: object
    ) -> None:
        try:
            if revoke is not None:
                token = tokens.revoke_token(revoke)
                self.stdout.write(f"Revoked API token #{token.pk} '{token.name}' of {token.user}.")
                return
            if not username:
                raise CommandError("Give a USERNAME to issue a token for, or --revoke ID.")
            user = User.objects.filter(username=username).first()
            if user is None:
                raise CommandError(f"There is no account named {username}.")
            issued = tokens.issue_token(user, name=name)
        except tokens.TokenRefused as error:
            raise CommandError(error.message) from error
        self.stderr.write(
            f"API token #{issued.token.pk} '{issued.token.name}' for {user.username}. "
            "The key is shown only now; keep it secret:"
        )
        self.stdout.write(issued.key)
