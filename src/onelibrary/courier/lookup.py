"""Reading a question typed by a person: two branch codes and a date (pages, command, API).
Each problem is a ValueError subclass whose text says what to type instead."""

from __future__ import annotations

import datetime as dt

from onelibrary.courier import service
from onelibrary.members.models import Branch

# Schedules say nothing about dates further away than this.
MAX_YEARS_AWAY = 10


class UnknownBranch(ValueError):
    pass


class BadDate(ValueError):
    pass


def find_branch(code: str, label: str) -> Branch:
    if not code.strip():
        raise UnknownBranch(f"Type the {label} branch's code.")
    branch = Branch.objects.filter(code=code.strip().upper()[:32]).first()
    if branch is None:
        example = example_code()
        raise UnknownBranch(
            f"No branch has the code {code.strip()[:40]!r}: type the {label} branch's code as "
            "on its page, or choose it from the list" + (f" (e.g. {example})." if example else ".")
        )
    return branch


def example_code() -> str:
    """A real branch code to show as an example: the group's first open branch."""
    codes = Branch.objects.filter(is_active=True).order_by("code").values_list("code", flat=True)
    return codes.first() or ""


def branch_choices() -> list[tuple[str, str]]:
    """(code, name) of every open branch, for the pages' lists of codes to choose from."""
    return list(Branch.objects.filter(is_active=True).order_by("code").values_list("code", "name"))


def parse_day(text: str) -> dt.date:
    if not text.strip():
        return service.today()
    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        raise BadDate(
            f"{text.strip()[:40]!r} is not a date: write it as YYYY-MM-DD (e.g. 2026-03-02)."
        ) from None
    if abs((day - service.today()).days) > MAX_YEARS_AWAY * 366:
        raise BadDate(
            f"{day:%Y-%m-%d} is more than {MAX_YEARS_AWAY} years from today: give a ship date "
            "nearer today."
        )
    return day


def parse_question(from_code: str, to_code: str, on: str) -> tuple[Branch, Branch, dt.date]:
    """The two branches and the date (today when empty), or a ValueError saying what to fix."""
    return find_branch(from_code, "sending"), find_branch(to_code, "receiving"), parse_day(on)
