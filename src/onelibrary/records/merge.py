"""Merging two records of one person (an action; docs/patrons.md, 'Merging').

Everything the duplicate record has — loans, holds, charges, payments and circulation
events — moves to the record kept, in one transaction. The kept record's fields win; ones
it lacks are filled from the duplicate. The duplicate stays as a tombstone: its personal fields are
cleared, its card becomes `merged:<card>` (so the old card is answered with the new one)
and `merged_into` points at the kept record, whose audit trail includes the tombstone's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from onelibrary.circulation.models import Charge, Event, Loan, Payment
from onelibrary.holds.models import OPEN_STATES, Hold
from onelibrary.members.access import admin_library_ids, is_central_office
from onelibrary.patrons import audit
from onelibrary.patrons.access import PatronError, find_id, rights_for
from onelibrary.patrons.models import Patron, PatronAudit

# Filled on the kept record from the duplicate when the kept record has none.
FILLED = ("email", "phone", "address", "town", "postcode", "birth_date", "preferred_branch")
CLEARED = {
    "email": "",
    "phone": "",
    "address": "",
    "town": "",
    "postcode": "",
    "birth_date": None,
    "notes": "",
    "block_reason": "",
}


@dataclass(frozen=True)
class Merged:
    kept: Patron
    moved: dict[str, int]


def may_merge(staff: User, keep: Patron, away: Patron) -> bool:
    """The central office; or a library admin of the home library of both records."""
    if is_central_office(staff):
        return True
    admin_of = admin_library_ids(staff)
    return keep.home_library_id in admin_of and away.home_library_id in admin_of


def _refuse_clashing_holds(keep: Patron, away: Patron) -> None:
    kept_titles = Hold.objects.filter(patron=keep, state__in=OPEN_STATES).values("title_id")
    clashes = (
        Hold.objects.filter(patron=away, state__in=OPEN_STATES, title_id__in=kept_titles)
        .select_related("title")
        .order_by("title__title")
    )
    titles = [hold.title.title for hold in clashes]
    if titles:
        raise PatronError(
            "holds_clash",
            "Both records have an open hold on " + ", ".join(titles) + ". A patron may hold "
            "a title once: cancel one of the two holds, then merge. Nothing was changed.",
        )


@transaction.atomic
def merge_patrons(
    staff: User, keep_id: int, away_id: int, *, via: str = PatronAudit.Via.PAGE
) -> Merged:
    if keep_id == away_id:
        raise PatronError("same_patron", "Choose two different records to merge.")
    locked = Patron.objects.select_for_update().filter(pk__in=[keep_id, away_id]).order_by("pk")
    records = {p.pk: p for p in locked}
    keep, away = find_id(keep_id), find_id(away_id)  # refuses merged or erased records
    keep, away = records[keep.pk], records[away.pk]
    if not may_merge(staff, keep, away):
        raise PatronError(
            "not_permitted",
            "Only the central office, or a library admin of both records' home library, "
            "may merge patron records.",
        )
    _refuse_clashing_holds(keep, away)
    moved = {
        "loans": Loan.objects.filter(patron=away).update(patron=keep),
        "holds": Hold.objects.filter(patron=away).update(patron=keep),
        "charges": Charge.objects.filter(patron=away).update(patron=keep),
        "payments": Payment.objects.filter(patron=away).update(patron=keep),
        "events": Event.objects.filter(patron=away).update(patron=keep),
    }
    filled: dict[str, list[Any]] = {}
    for name in FILLED:
        if getattr(keep, name) in ("", None) and getattr(away, name) not in ("", None):
            filled[name] = [getattr(keep, name), getattr(away, name)]
    if away.notes.strip() and away.notes.strip() not in keep.notes:
        filled["notes"] = [keep.notes, "\n\n".join(n for n in (keep.notes, away.notes) if n)]
    if away.block_reason and not keep.block_reason:
        filled["block_reason"] = ["", away.block_reason]
    if keep.registered_at_id is None and away.registered_at_id is not None:
        keep.registered_at_id = away.registered_at_id
        filled["registered_at"] = [None, away.registered_at]
    for name, (_, new) in filled.items():
        setattr(keep, name, new)
    keep.save()

    old_card = away.card
    cleared = {n: [getattr(away, n), v] for n, v in CLEARED.items() if getattr(away, n) != v}
    for name, (_, new) in cleared.items():
        setattr(away, name, new)
    away.card = f"merged:{old_card}"
    away.merged_into = keep
    away.save()

    library_id = rights_for(staff, keep.home_library_id).library_id
    audit.write(
        staff,
        keep,
        PatronAudit.Action.MERGE,
        via=via,
        library_id=library_id,
        fields=list(filled),
        changes=filled,
        detail={"merged_id": away.pk, "merged_card": old_card, "moved": moved},
    )
    audit.write(
        staff,
        away,
        PatronAudit.Action.MERGED_AWAY,
        via=via,
        library_id=library_id,
        fields=["card", *cleared],
        changes={"card": [old_card, away.card], **cleared},
        detail={"into_id": keep.pk, "into_card": keep.card},
    )
    return Merged(keep, moved)


def merge_preview(away: Patron) -> dict[str, int]:
    """What a merge would move from the duplicate to the kept record."""
    return {
        "loans": Loan.objects.filter(patron=away).count(),
        "holds": Hold.objects.filter(patron=away).count(),
        "charges": Charge.objects.filter(patron=away).count(),
        "payments": Payment.objects.filter(patron=away).count(),
        "events": Event.objects.filter(patron=away).count(),
    }
