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
from onelibrary.circulation.decide import Block
from onelibrary.circulation.models import Charge, ChargeEntry, Loan
from onelibrary.core.refusals import Refusal
from onelibrary.members import access
from onelibrary.members.models import Branch, StaffRole
from onelibrary.patrons.models import Patron
from onelibrary.policy.resolve import ResolvedPolicy

OVERRIDE_ROLES = frozenset({StaffRole.Role.LIBRARY_ADMIN, StaffRole.Role.CENTRAL_OFFICE})


# Every refusal at the desk is a `Refusal`; the name stays for circulation's own code.
CirculationError = Refusal


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
    """The staff member's role at this branch's library (CHECKOUT-15 when none)."""
    return access.role_at_branch(staff, branch, decision="CHECKOUT-15")


def may_override(role: str) -> bool:
    return role in OVERRIDE_ROLES


CENT = Decimal("0.01")


def out_and_owed(patron: Patron) -> tuple[int, Decimal]:
    """How many loans the patron has out, and what they owe: one statement, since every
    checkout asks both (CHECKOUT-7, CHECKOUT-8). What is owed is each open charge's
    amount less its entries, as `ledger.Balance.owed` says (a refund adds back);
    tests/circulation/test_money_property.py holds the two together."""
    loans, charges = Loan._meta.db_table, Charge._meta.db_table
    entries = ChargeEntry._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT COUNT(*) FROM {loans} WHERE patron_id = %s AND state = %s), "  # noqa: S608
            f"(SELECT SUM(amount) FROM {charges} WHERE patron_id = %s AND settled_at IS NULL), "
            f"(SELECT SUM(CASE WHEN e.kind = 'refund' THEN -e.amount ELSE e.amount END) "
            f"FROM {entries} e JOIN {charges} c ON c.id = e.charge_id "
            "WHERE c.patron_id = %s AND c.settled_at IS NULL)",
            [patron.pk, Loan.State.ACTIVE.value, patron.pk, patron.pk],
        )
        out, charged, covered = cursor.fetchone()
    # SQLite sums money as a float: back to cents, as the charges were written.
    return out, (Decimal(str(charged or 0)) - Decimal(str(covered or 0))).quantize(CENT)


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
    limit = policy.count("max_items_out")
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
