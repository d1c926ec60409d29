"""The patron's own things, always looked up through the logged-in patron.

Every loan and hold a page or the API names by id is found with `patron=` in the same
query, so another patron's id answers exactly as an id that does not exist: 404, "You
have no loan #…" (docs/account.md, "Security"). Nothing here writes, except the audit
row `record_view` adds for each view of the account.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from onelibrary.circulation import money
from onelibrary.circulation.models import Loan
from onelibrary.holds import queries
from onelibrary.holds.models import OPEN_STATES, Hold, HoldEvent
from onelibrary.members import pickup as members_pickup
from onelibrary.members.models import Branch
from onelibrary.patrons import audit
from onelibrary.patrons.models import Patron, PatronAudit

STATUS = {
    "not_logged_in": 401,
    "bad_login": 401,
    "locked": 429,
    "unknown_loan": 404,
    "unknown_hold": 404,
    "unknown_title": 404,
    "unknown_branch": 422,
    "invalid_input": 422,
    "wrong_pin": 403,
    "card_merged": 409,
    "no_pin": 409,
}


class AccountError(Exception):
    """A refusal on the patron's side: `message` says what is wrong and what to do; `field`
    names the form field it is about. Nothing was changed."""

    def __init__(self, code: str, message: str, *, field: str | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field

    @property
    def status(self) -> int:
        return STATUS.get(self.code, 409)


def my_open_loans(patron: Patron) -> QuerySet[Loan]:
    return (
        Loan.objects.filter(patron=patron)
        .exclude(state=Loan.State.RETURNED)
        .select_related("item__title", "item__owning_library", "checkout_branch")
        .order_by("due_date", "pk")
    )


def my_loan_history(patron: Patron) -> QuerySet[Loan]:
    """Returned loans still linked to the patron: only kept when they opted in."""
    return (
        Loan.objects.filter(patron=patron, state=Loan.State.RETURNED)
        .select_related("item__title")
        .order_by("-returned_at", "-pk")
    )


def my_charges(patron: Patron) -> list[money.ChargeLine]:
    """The patron's charges, oldest first, each with what was paid, waived and refunded:
    read only, the desk takes payments."""
    return money.charge_lines(patron, everything=True)


def my_loan(patron: Patron, loan_id: int) -> Loan:
    loan = my_open_loans(patron).filter(pk=loan_id).first()
    if loan is None:
        raise AccountError(
            "unknown_loan", f"You have no loan #{loan_id} out. Your loans are listed on My account."
        )
    return loan


def my_open_holds(patron: Patron) -> list[dict[str, Any]]:
    """Open holds, oldest first, each with its queue position."""
    return queries.patron_holds(patron)


def my_hold(patron: Patron, hold_id: int) -> Hold:
    hold = queries.holds().filter(pk=hold_id, patron=patron, state__in=OPEN_STATES).first()
    if hold is None:
        raise AccountError(
            "unknown_hold",
            f"You have no open hold #{hold_id}. Your holds are listed on My account.",
        )
    return hold


SENT = ("notice_sent", "late_notice_sent")
NOTICE_KINDS = (*SENT, "notice_not_sent", "late_notice_not_sent")


@dataclass(frozen=True)
class Notice:
    at: dt.datetime
    title: str
    sent: bool
    to: str
    subject: str
    reason: str


def my_notices(patron: Patron, *, limit: int = 50) -> list[Notice]:
    """The notices sent (or not sent, and why), newest first: a copy ready on the hold
    shelf (`holds.shelf`), a hold later than we said (`holds.late`)."""
    events = (
        HoldEvent.objects.filter(hold__patron=patron, kind__in=NOTICE_KINDS)
        .select_related("hold__title")
        .order_by("-at", "-pk")[:limit]
    )
    return [
        Notice(
            at=event.at,
            title=event.hold.title.title,
            sent=event.kind in SENT,
            to=str(event.detail.get("to", "")),
            subject=str(event.detail.get("subject", "")),
            reason=str(event.detail.get("reason", "")),
        )
        for event in events
    ]


def pickup_branches() -> QuerySet[Branch]:
    """Every branch a hold may be picked up at (open, of an active member), by library
    and name."""
    return members_pickup.pickup_branches().order_by("library__name", "name")


def default_pickup(patron: Patron) -> Branch | None:
    """The patron's preferred branch, else the first open branch of their home library."""
    preferred = patron.preferred_branch
    if preferred is not None and members_pickup.may_be_pickup(preferred):
        return preferred
    return pickup_branches().filter(library_id=patron.home_library_id).first()


def find_pickup(code: str) -> Branch:
    """A branch by code, open or closed (placing a hold refuses a closed one, naming the
    nearest open ones)."""
    branch = Branch.objects.select_related("library").filter(code=code.strip().upper()).first()
    if branch is None or not code.strip():
        raise AccountError(
            "unknown_branch",
            "Choose a pickup branch from the list."
            if not code.strip()
            else f"No branch has the code {code.strip()!r}. Choose one from the list.",
            field="pickup",
        )
    return branch


VIEW_FIELDS = [
    "card",
    "first_name",
    "last_name",
    "expires_on",
    "preferred_branch",
    "keep_loan_history",
    "email",
]


def record_view(patron: Patron, *, context: str) -> PatronAudit:
    """The patron looked at their own account (a page or the API): one audit row."""
    return audit.write(
        None,
        patron,
        PatronAudit.Action.VIEW,
        via=PatronAudit.Via.SELF,
        library_id=None,
        fields=VIEW_FIELDS,
        detail={"purpose": "view", "context": context},
    )
