"""Loan history: kept only while the patron opts in (docs/patrons.md, privacy)."""

from __future__ import annotations

from typing import Any

from onelibrary.circulation.models import Event, Loan
from onelibrary.patrons.models import Patron


def forget_loan_history(patron: Patron) -> int:
    """Cut the link between the patron and their returned loans and those loans' events, as
    check-in would have without the opt-in. The loans and events stay, for the counts."""
    returned = Loan.objects.filter(patron=patron, state=Loan.State.RETURNED)
    Event.objects.filter(patron=patron, loan__in=returned).update(patron=None)
    return returned.update(patron=None)


def forget_on_withdrawal(sender: Any, *, patron: Patron, **_: Any) -> int:
    return forget_loan_history(patron)
