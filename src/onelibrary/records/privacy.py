"""A patron's own data on request: export it as JSON, or erase it (actions; docs/patrons.md,
'Privacy').

Export gives everything the group holds about the patron and nobody else. Erasure is
refused, with the reasons, while loans are out, holds open or money owed. When done it
anonymises the personal fields, cuts the link from loans and circulation events (the rows
stay for statistics), and keeps the anonymised record — with its home library and category
— because closed holds and settled charges must point at a record.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from onelibrary.circulation import money, scans, sessions
from onelibrary.circulation.models import Charge, Event, Loan
from onelibrary.circulation.scans import scans_holding_card
from onelibrary.holds import retention
from onelibrary.holds.models import OPEN_STATES, Hold
from onelibrary.members import lockout
from onelibrary.members.models import SharingGroup
from onelibrary.patrons import audit
from onelibrary.patrons.access import PatronError, find_id, may_erase, rights_for
from onelibrary.patrons.audit import audit_value
from onelibrary.patrons.fields import EDITABLE_FIELDS
from onelibrary.patrons.models import Patron, PatronAudit
from onelibrary.patrons.signals import erasing, exporting
from onelibrary.records.merge import CLEARED

EXPORT_FORMAT = "onelibrary-patron-export/1"
# What erasure leaves of the personal fields: what a merge clears on the duplicate, and
# the name, the preferred branch and the history opt-in too.
ERASED = {
    "first_name": "Erased",
    **CLEARED,
    "preferred_branch": None,
    "keep_loan_history": False,
}


# --- export -------------------------------------------------------------------------------


@transaction.atomic
def export_patron(staff: User, pk: int, *, via: str = PatronAudit.Via.PAGE) -> dict[str, Any]:
    """Everything held about the patron, for the patron. Only staff who may see every field
    of the record may export it (by default: its home library and the central office)."""
    patron = find_id(pk)
    rights = rights_for(staff, patron.home_library_id)
    if not rights.grant.sees_everything:
        raise PatronError(
            "not_permitted",
            "An export holds every field of the record, and you may not see them all. "
            f"Ask {patron.home_library.name} or the central office.",
        )
    data = export_data(patron)
    audit.write(
        staff,
        patron,
        PatronAudit.Action.EXPORT,
        via=via,
        library_id=rights.library_id,
        fields=["card", *EDITABLE_FIELDS],
        detail={"loans": len(data["loans"]), "holds": len(data["holds"])},
    )
    return data


def export_data(patron: Patron) -> dict[str, Any]:
    """The export itself, with no check and no audit row: the callers (staff above, the
    patron online in `account.actions`) do both."""

    data: dict[str, Any] = {
        "format": EXPORT_FORMAT,
        "exported_at": timezone.now().isoformat(),
        "group": getattr(SharingGroup.current(), "name", ""),
        "patron": {
            "card": patron.card,
            "home_library": patron.home_library.name,
            "registered_at": patron.registered_at.name if patron.registered_at else None,
            "created_at": patron.created_at.isoformat(),
            **{name: audit_value(getattr(patron, name)) for name in EDITABLE_FIELDS},
        },
        "loans": [
            {
                "item": loan.item.barcode,
                "title": loan.item.title.title,
                "state": loan.state,
                "checked_out_at": loan.checked_out_at.isoformat(),
                "checkout_branch": loan.checkout_branch.name,
                "due_date": loan.due_date.isoformat(),
                "returned_at": loan.returned_at.isoformat() if loan.returned_at else None,
                "renewals": loan.renewals,
            }
            for loan in Loan.objects.filter(patron=patron)
            .select_related("item__title", "checkout_branch")
            .order_by("checked_out_at", "pk")
        ],
        "holds": [
            {
                "title": hold.title.title,
                "state": hold.state,
                "pickup_branch": hold.pickup_branch.name,
                "placed_at": hold.placed_at.isoformat(),
                "closed_at": hold.closed_at.isoformat() if hold.closed_at else None,
            }
            for hold in Hold.objects.filter(patron=patron)
            .select_related("title", "pickup_branch")
            .order_by("placed_at", "pk")
        ],
        "charges": [
            {
                "kind": charge.kind,
                "amount": str(charge.amount),
                "owed_to": charge.library.name,
                "created_at": charge.created_at.isoformat(),
                "settled_at": charge.settled_at.isoformat() if charge.settled_at else None,
                "note": charge.note,
                "history": [
                    {
                        "kind": entry.kind,
                        "amount": str(entry.amount),
                        "at": entry.at.isoformat(),
                        "method": entry.method or (entry.payment.method if entry.payment else ""),
                    }
                    for entry in charge.entries.select_related("payment").order_by("at", "pk")
                ],
            }
            for charge in Charge.objects.filter(patron=patron)
            .select_related("library")
            .order_by("created_at", "pk")
        ],
        "unprocessed_scans": scans_holding_card(patron.card),
        "record_access": [
            {
                "at": row.at.isoformat(),
                "action": row.action,
                "library": row.library.name
                if row.library
                else ("Central office" if row.staff_id else "You, online"),
                "fields": row.fields,
            }
            for row in PatronAudit.objects.filter(patron=patron)
            .select_related("library")
            .order_by("at", "pk")
        ],
    }
    # The parts above this one add what they keep (the account: login attempts).
    # A response is whatever the receiver returns (here a dict); django-stubs says str | None.
    parts: list[tuple[Any, Any]] = exporting.send(sender=Patron, patron=patron)
    for _receiver, part in parts:
        data.update(part)
    return data


# --- erasure ------------------------------------------------------------------------------


def owed(patron: Patron) -> Decimal:
    """What is still owed: charges less what was paid, waived or cancelled (money.md)."""
    return money.owed(patron)


def erasure_blockers(patron: Patron) -> list[str]:
    """Why the record cannot be erased yet; empty when it can."""
    reasons = []
    out = Loan.objects.filter(patron=patron).exclude(state=Loan.State.RETURNED).count()
    if out:
        reasons.append(
            f"{out} item{'s are' if out != 1 else ' is'} still out on loan (or claimed "
            "returned or lost): they must be returned or resolved first."
        )
    holds = Hold.objects.filter(patron=patron, state__in=OPEN_STATES).count()
    if holds:
        reasons.append(
            f"{holds} hold{'s are' if holds != 1 else ' is'} open: cancel "
            f"{'them' if holds != 1 else 'it'} first."
        )
    money = owed(patron)
    if money > 0:
        reasons.append(f"${money:.2f} is owed: it must be paid or waived first.")
    return reasons


@transaction.atomic
def erase_patron(staff: User, pk: int, *, via: str = PatronAudit.Via.PAGE) -> Patron:
    patron = Patron.objects.select_for_update().get(pk=find_id(pk).pk)
    if not may_erase(staff, patron):
        raise PatronError(
            "not_permitted",
            f"Only the central office or a library admin of {patron.home_library.name} may "
            "erase this record.",
        )
    reasons = erasure_blockers(patron)
    if reasons:
        raise PatronError(
            "erasure_refused",
            "The record cannot be erased yet: " + " ".join(reasons),
            detail=[{"reason": r} for r in reasons],
        )
    unlinked = {
        "loans": Loan.objects.filter(patron=patron).update(patron=None),
        "events": Event.objects.filter(patron=patron).update(patron=None),
    }
    # The online login goes too: the PIN's hash and the record of tries with the card.
    erasing.send(sender=Patron, patron=patron)
    # Every other place that names the patron: each owner forgets its own.
    unlinked["holds"] = retention.forget_patron(patron)
    scans.forget_card(patron.card)
    sessions.forget_patron(patron)
    lockout.forget_username(patron.card)
    audit.forget_values(patron)
    erased = [n for n, v in ERASED.items() if getattr(patron, n) != v]
    for name, value in ERASED.items():
        setattr(patron, name, value)
    patron.last_name = f"patron #{patron.pk}"
    patron.card = f"erased:{patron.pk}"
    patron.erased_at = timezone.now()
    patron.save()
    rights = rights_for(staff, patron.home_library_id)
    # The row names the fields erased but keeps none of their values.
    audit.write(
        staff,
        patron,
        PatronAudit.Action.ERASE,
        via=via,
        library_id=rights.library_id,
        fields=["card", "last_name", *erased],
        detail={"unlinked": unlinked},
    )
    return patron
