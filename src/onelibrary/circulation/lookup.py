"""Finding what a desk scan names, who is scanning, and why a patron may not borrow.

Used by the circulation actions; `CirculationError` is how every refusal is reported: it
says what is wrong and what to do, and nothing has been changed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import connection

from onelibrary.catalog.models import Item
from onelibrary.circulation.models import Charge, Loan
from onelibrary.members import access
from onelibrary.members.models import Branch, StaffRole
from onelibrary.patrons.models import Patron
from onelibrary.policy.resolve import ResolvedPolicy

OVERRIDE_ROLES = frozenset({StaffRole.Role.LIBRARY_ADMIN, StaffRole.Role.CENTRAL_OFFICE})


class CirculationError(Exception):
    """A refusal: `message` says what is wrong and what to do. Nothing was changed."""

    def __init__(self, code: str, message: str, *, decision: str = "", overridable: bool = False):
        super().__init__(message)
        self.code = code
        self.message = message
        self.decision = decision
        self.overridable = overridable


@dataclass(frozen=True)
class Outcome:
    decision: str  # the decision-table id, e.g. "CHECKIN-2"
    instruction: str  # what to do with the item, in a few large words
    message: str
    item: Item
    loan: Loan | None = None
    repeated: bool = False  # a repeat of a scan just made: nothing was done again


# --- who and what -------------------------------------------------------------------


def role_at(staff: User, branch: Branch) -> str:
    """The staff member's role at this branch's library (members.access); refuses staff
    of other libraries in the desk's terms (CHECKOUT-15)."""
    role = access.role_at(staff, branch.library_id)
    if role is not None:
        return role
    raise CirculationError(
        "not_your_branch",
        f"You do not work for {branch.library.name}, so you cannot work its desk at "
        f"{branch.name}. Choose one of your own library's branches.",
        decision="CHECKOUT-15",
    )


def find_item(barcode: str) -> Item:
    barcode = barcode.strip()
    if not barcode:
        raise CirculationError("empty", "No barcode was scanned. Scan the item's barcode.")
    # Barcodes are unique: no ORDER BY, which costs the ORM more to build than it saves.
    found = list(
        Item.objects.select_related("title", "owning_library", "home_branch", "current_branch")
        .defer("title__marc")
        .filter(barcode=barcode)
        .order_by()[:1]
    )
    if found:
        return found[0]
    if Patron.objects.filter(card=barcode).exists():
        raise CirculationError(
            "patron_card_as_item",
            f"{barcode} is a patron's library card, not an item. Scan the barcode on the item.",
        )
    raise CirculationError(
        "unknown_item",
        f"No item in the group has the barcode {barcode}. Check it for a typing error; if the "
        "barcode is right, set the item aside for cataloguing.",
    )


def find_patron(card: str) -> Patron:
    """The active patron record with this card: merged and erased records are refused,
    a merged card names the card to use, a mistyped card is named as such."""
    from onelibrary.patrons.access import PatronError, find_card

    try:
        return find_card(card)
    except PatronError as error:
        raise CirculationError(error.code, error.message) from error


def served_view(staff: User, card: str, *, via: str = "page", context: str = ""):
    """The patron as `staff` may see them, read through `patrons.access` (audited, and
    refused where the permission table says so), refusals as `CirculationError`."""
    from onelibrary.patrons.access import PatronError, access_patron

    try:
        return access_patron(staff, card, via=via, context=context)
    except PatronError as error:
        raise CirculationError(error.code, error.message) from error


def served_patron(staff: User, card: str, *, via: str = "page", context: str = "") -> Patron:
    """The patron staff act for outside the checkout desk (holds, rule questions): the
    audited `served_view`, then the model for the action functions."""
    view = served_view(staff, card, via=via, context=context)
    return Patron.objects.select_related("home_library", "preferred_branch").get(pk=view.pk)


def may_override(role: str) -> bool:
    return role in OVERRIDE_ROLES


CENT = Decimal("0.01")


def out_and_owed(patron: Patron) -> tuple[int, Decimal]:
    """How many loans the patron has out, and what they owe: one statement, since every
    checkout asks both (CHECKOUT-7, CHECKOUT-8)."""
    loans, charges = Loan._meta.db_table, Charge._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT COUNT(*) FROM {loans} WHERE patron_id = %s AND state = %s), "  # noqa: S608
            f"(SELECT SUM(amount) FROM {charges} WHERE patron_id = %s AND settled_at IS NULL)",
            [patron.pk, Loan.State.ACTIVE.value, patron.pk],
        )
        out, owed = cursor.fetchone()
    # SQLite sums money as a float: back to cents, as the charges were written.
    return out, Decimal(str(owed or 0)).quantize(CENT)


@dataclass(frozen=True)
class Block:
    decision: str
    code: str
    message: str


def blocks_for(patron: Patron, policy: ResolvedPolicy, today: dt.date) -> list[Block]:
    """Why this patron may not borrow now (CHECKOUT-6, -7, -8); empty when nothing blocks."""
    found = []
    if patron.expires_on < today:
        found.append(
            Block(
                "CHECKOUT-6",
                "card_expired",
                f"{patron.first_name}'s card expired on {patron.expires_on:%d %b %Y}. "
                "Renew the card before lending.",
            )
        )
    if patron.block_reason:
        found.append(
            Block(
                "CHECKOUT-17",
                "staff_block",
                # The reason itself is shown only where the permission table allows.
                f"{patron.first_name}'s record is blocked by staff. Read the reason on the "
                "patron's record, or ask their home library, before lending.",
            )
        )
    out, owed = out_and_owed(patron)
    limit = int(policy.values["max_items_out"])  # type: ignore[call-overload]
    if out >= limit:
        found.append(
            Block(
                "CHECKOUT-7",
                "too_many_items",
                f"{patron.first_name} has {out} items out; the limit is {limit}. "
                "Check one in first.",
            )
        )
    threshold = policy.values["fine_block_threshold"]
    if threshold is not None and owed > Decimal(str(threshold)):
        found.append(
            Block(
                "CHECKOUT-8",
                "fines_over_threshold",
                f"{patron.first_name} owes ${owed:.2f}, more than the "
                f"${Decimal(str(threshold)):.2f} that blocks borrowing. Take a payment first.",
            )
        )
    return found
