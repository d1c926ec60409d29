"""`onelibrary members`: the member libraries and their branches, as a table or JSON."""

from __future__ import annotations

from decimal import Decimal
from json import dumps

from django.core.management.base import BaseCommand, CommandParser
from django.db.models import Prefetch

from onelibrary.members.models import Branch, Library


def _libraries() -> list[Library]:
    branches = Branch.objects.order_by("code")
    return list(
        Library.objects.order_by("code").prefetch_related(Prefetch("branches", queryset=branches))
    )


def _coordinate(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def members_data() -> list[dict[str, object]]:
    """Every member library with its branches, ordered by code."""
    return [
        {
            "code": lib.code,
            "name": lib.name,
            "size_class": lib.size_class,
            "status": lib.status,
            "branches": [
                {
                    "code": b.code,
                    "name": b.name,
                    "town": b.town,
                    "latitude": _coordinate(b.latitude),
                    "longitude": _coordinate(b.longitude),
                    "open_days": b.open_days,
                    "courier_stop": b.courier_stop,
                    "is_active": b.is_active,
                }
                for b in lib.branches.all()
            ],
        }
        for lib in _libraries()
    ]


def _days(open_days: str) -> str:
    """'1111100' -> 'MTWTF--'."""
    return "".join(
        letter if flag == "1" else "-" for letter, flag in zip("MTWTFSS", open_days, strict=False)
    )


def _where(branch: Branch) -> str:
    if branch.latitude is None or branch.longitude is None:
        return "no coordinates"
    return f"{branch.latitude:.5f}, {branch.longitude:.5f}"


class Command(BaseCommand):
    help = "List the member libraries and their branches (--json for a machine-readable list)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="print a JSON list of libraries")

    def handle(self, *args: object, json: bool, **options: object) -> None:
        if json:
            self.stdout.write(dumps(members_data(), indent=2, ensure_ascii=False))
            return
        libraries = _libraries()
        if not libraries:
            self.stdout.write(
                "No member libraries yet: `onelibrary load-demo` loads a demo group, "
                "or add them in /admin/."
            )
            return
        for lib in libraries:
            branches = list(lib.branches.all())
            plural = "branch" if len(branches) == 1 else "branches"
            self.stdout.write(
                f"{lib.code:<10} {lib.name}  "
                f"[{lib.get_size_class_display()}, {lib.get_status_display()}, "
                f"{len(branches)} {plural}]"
            )
            for b in branches:
                self.stdout.write(
                    f"  {b.code:<14} {b.name:<36} {b.town:<18} {_days(b.open_days)}  {_where(b)}"
                )
        total = sum(len(lib.branches.all()) for lib in libraries)
        self.stdout.write(f"{len(libraries)} member libraries, {total} branches.")
