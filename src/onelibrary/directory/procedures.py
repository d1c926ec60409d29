"""Procedure (SOP) pages: each edit is a new version, who and when; any version can be
read and compared with the one before it (docs/directory.md, "Procedures").

The central office writes procedures: they are the group's, not one member's (SOP-1).
Staff of every member read them; the public does not.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from onelibrary.core.refusals import Refusal
from onelibrary.directory.models import Procedure, ProcedureVersion
from onelibrary.members.access import Staff, scope_of

MAX_BODY = 100_000
KEY = re.compile(r"^[a-z]+:[a-z_-]+$")  # as models.key_validator


class ProcedureRefused(Refusal):
    """A procedure edit refused; nothing was written."""


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "add", "remove", "same", "hunk"
    text: str


def may_edit(staff: Staff) -> bool:
    return scope_of(staff).central


def may_read(staff: Staff) -> bool:
    return scope_of(staff).is_staff


def _check_keys(applies_to: str) -> str:
    keys = applies_to.split()
    for key in keys:
        if not KEY.match(key):
            raise ProcedureRefused(
                "bad_key",
                f"{key!r} is not a page key. Use two words joined by a colon, e.g. "
                "desk:checkin, separated by spaces.",
                decision="SOP-3",
            )
    return " ".join(dict.fromkeys(keys))


def save_procedure(
    staff: Staff,
    *,
    slug: str,
    title: str,
    body: str,
    applies_to: str = "",
    note: str = "",
) -> ProcedureVersion:
    """Create the procedure `slug`, or add a new version of it. Nothing is overwritten:
    the old text stays as the version before."""
    if not may_edit(staff):
        raise ProcedureRefused(
            "not_central_office",
            "Procedures are the group's: only the central office edits them. Suggest a "
            "change in a ticket to the central office.",
            decision="SOP-1",
        )
    title, body = title.strip(), body.strip()
    if not title or not body:
        raise ProcedureRefused(
            "empty",
            "A procedure needs a title and some text. Write what staff should do, step by step.",
            decision="SOP-2",
        )
    if len(body) > MAX_BODY:
        raise ProcedureRefused(
            "too_long", f"The text is over {MAX_BODY} characters: split it.", decision="SOP-2"
        )
    keys = _check_keys(applies_to)
    assert staff.is_authenticated  # the central office is signed in
    with transaction.atomic():
        procedure, _ = Procedure.objects.select_for_update().get_or_create(
            slug=slug, defaults={"title": title, "applies_to": keys}
        )
        latest = procedure.versions.aggregate(n=Max("number"))["n"] or 0
        Procedure.objects.filter(pk=procedure.pk).update(title=title, applies_to=keys)
        return ProcedureVersion.objects.create(
            procedure=procedure,
            number=latest + 1,
            title=title,
            body=body,
            note=note.strip()[:200],
            edited_by=staff,
            edited_at=timezone.now(),
        )


def current(procedure: Procedure) -> ProcedureVersion | None:
    return procedure.versions.order_by("-number").select_related("edited_by").first()


def diff(before: ProcedureVersion | None, after: ProcedureVersion) -> list[DiffLine]:
    """The lines changed from `before` to `after` (the first version: all added)."""
    old = before.body.splitlines() if before else []
    lines = []
    for line in difflib.unified_diff(old, after.body.splitlines(), lineterm="", n=2):
        if line.startswith(("---", "+++")):
            continue
        kind = {"@": "hunk", "+": "add", "-": "remove"}.get(line[:1], "same")
        lines.append(DiffLine(kind, line[1:] if kind != "hunk" else line))
    return lines


def for_page(key: str) -> list[Procedure]:
    """The procedures that apply to the page with this key (e.g. desk:checkin)."""
    candidates = Procedure.objects.filter(applies_to__contains=key).order_by("title")
    return [p for p in candidates if key in p.keys]
