"""The `onelibrary` command: Django's manage.py plus OneLibrary's own commands."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onelibrary.settings")
    from django.core.management import execute_from_command_line

    args = list(argv if argv is not None else sys.argv[1:])
    if args and not args[0].startswith("-"):
        # Our commands are spelled with dashes (load-demo); Django's files use underscores.
        args[0] = args[0].replace("-", "_")
    execute_from_command_line(["onelibrary", *args])


if __name__ == "__main__":
    main()
