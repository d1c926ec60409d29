"""Who sees which accounts (LEDGER-17): a member's staff see the entries where their
library is a party and their own row of a settlement; the central office sees all.
Roles are read through `members.access`, the one reader of staff roles."""

from __future__ import annotations

from django.db.models import QuerySet

from onelibrary.ledger.models import Entry
from onelibrary.ledger.settlement import Settlement, party_q
from onelibrary.members.access import NotAllowed, NotFound, Scope, Staff, scope_of
from onelibrary.members.models import Library


def ledger_scope(staff: Staff) -> Scope:
    scope = scope_of(staff)
    if not scope.is_staff:
        raise NotAllowed("not_staff", "The accounts between members are for library staff.")
    return scope


def visible_entries(staff: Staff) -> QuerySet[Entry]:
    scope = ledger_scope(staff)
    if scope.central:
        return Entry.objects.all()
    return Entry.objects.filter(party_q(scope.libraries))


def access_entry(staff: Staff, pk: int) -> Entry:
    """An entry this staff member may see; one of other members answers as unknown."""
    entry = (
        visible_entries(staff)
        .select_related("debtor", "creditor", "item__title", "created_by", "reverses")
        .filter(pk=pk)
        .first()
    )
    if entry is None:
        raise NotFound("unknown_entry", f"No entry #{pk} among your library's accounts.")
    return entry


def visible_settlement(staff: Staff, settlement: Settlement) -> Settlement:
    scope = ledger_scope(staff)
    if scope.central:
        return settlement
    codes = set(Library.objects.filter(pk__in=scope.libraries).values_list("code", flat=True))
    return settlement.only(codes)


def may_reverse(staff: Staff) -> bool:
    """Reversals are the central office's: a correction between two members is decided
    by neither of them alone."""
    return scope_of(staff).central
