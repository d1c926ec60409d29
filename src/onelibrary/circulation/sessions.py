"""The desk pages' session data naming a patron: forgotten when the patron is erased.

A desk keeps its current patron and its last result lines ("… is checked out to …") in
the staff member's session (views.py), and sessions last two weeks. Erasure removes the
patron and every line that names them from every stored session (docs/patrons.md,
"Privacy").
"""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.models import Session

from onelibrary.circulation.views import SESSION_LINES, SESSION_PATRON, SESSION_RENEWALS
from onelibrary.patrons.models import Patron

LINE_KEYS = (*SESSION_LINES.values(), SESSION_RENEWALS)


def forget_patron(patron: Patron) -> int:
    """Remove the patron from every desk session; the number of sessions changed."""
    words = _naming(patron)
    changed = 0
    for session in Session.objects.all().iterator():
        data = session.get_decoded()
        kept = _without(data, patron.pk, words)
        if kept != data:
            Session.objects.save(session.session_key, kept, session.expire_date)
            changed += 1
    return changed


def _naming(patron: Patron) -> list[str]:
    """What a line says when it names the patron: the card (or its last four digits after
    '…', as the hold lines show it) and the name."""
    words = [patron.card, f"…{patron.card[-4:]}", patron.last_name]
    if patron.first_name and patron.last_name:
        words.append(f"{patron.first_name} {patron.last_name}")
    return [w for w in words if len(w) >= 3]


def _without(data: dict[str, Any], patron_pk: int, words: list[str]) -> dict[str, Any]:
    kept = dict(data)
    if kept.get(SESSION_PATRON) == patron_pk:
        kept.pop(SESSION_PATRON)
    for key in LINE_KEYS:
        if key in kept:
            kept[key] = [line for line in kept[key] if not any(w in str(line) for w in words)]
    return kept
