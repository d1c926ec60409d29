"""Who had a copy last, as far as the record keeps it once the loan is returned.

A returned loan loses its patron unless the patron keeps their history (privacy), but it
keeps `borrower_library`, the patron's home library at checkout. Damage found at or after
the checkin names that library (DAMAGED-3), so the owning library knows whose patron to
ask, without the record keeping who the patron was.
"""

from __future__ import annotations

from typing import TypedDict

from onelibrary.catalog.models import Item
from onelibrary.circulation.models import Loan


class LastBorrower(TypedDict, total=False):
    last_loan: int
    last_borrower_library: str
    last_returned_at: str | None
    last_checkin_branch: str


def last_borrower(item: Item) -> LastBorrower:
    """The copy's last loan, for a damage event's detail: empty when it was never lent."""
    loan = (
        Loan.objects.filter(item_id=item.pk)
        .select_related("borrower_library", "checkin_branch")
        .order_by("-checked_out_at", "-pk")
        .first()
    )
    if loan is None:
        return LastBorrower()
    library = loan.borrower_library
    return {
        "last_loan": loan.pk,
        "last_borrower_library": library.code if library else "",
        "last_returned_at": loan.returned_at.isoformat() if loan.returned_at else None,
        "last_checkin_branch": loan.checkin_branch.code if loan.checkin_branch else "",
    }
