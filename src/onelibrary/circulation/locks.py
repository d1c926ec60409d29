"""The statements that start every checkout and checkin, written as SQL.

A desk scan locks the item's row and asks, in the same statement, whether it is on loan
and whether a hold waits on it or may claim it; a checkin then locks the loan. Built
through the ORM (select_related, subqueries, annotations) these statements cost 3 to 4
ms of Python each to compile on our machines, several times what the database takes to
run them, so they are written here once, plainly. `Model.objects.raw` still gives model
instances; the extra columns become attributes. The holds conditions come from the
holds app, which tests them against its ORM form.

On SQLite there is no FOR UPDATE: the action's transaction (BEGIN IMMEDIATE) already
holds the write lock, and its reads see everything committed before it.

On PostgreSQL a statement that waits for another desk's lock on the item gets the item's
new row when that desk commits, but its subqueries still answer from before the wait: the
loan just returned would look open. So the statement also reads the row's version (its
`xmin`) both ways; when they differ, the item changed while we waited, and the statement
runs again, now holding the lock, so that every answer is current. This relies on what
every action that locks an item does: one that opens or closes a loan, or gives the copy
to a hold, also writes the item's row (its status or branch). A test makes a checkin wait
for a checkout of the same copy and checks the loan is returned.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict, cast

from django.db import connection

from onelibrary.catalog.models import Item
from onelibrary.circulation.models import Loan
from onelibrary.holds.models import may_claim_sql, waits_on_copy_sql
from onelibrary.patrons.models import Patron


class ItemLockColumns(TypedDict):
    """The columns lock_item's statement adds to the item's own."""

    locked_version: str
    seen_version: str
    open_loan_id: int | None
    hold_waits: bool
    claimable: bool


class LoanLockColumns(TypedDict):
    keeps_history: bool


if TYPE_CHECKING:  # django-stubs' way to name a model instance with extra columns
    from django_stubs_ext import WithAnnotations

    LockedItem = WithAnnotations[Item, ItemLockColumns]
    LockedLoan = WithAnnotations[Loan, LoanLockColumns]


def _for_update(*aliases: str) -> str:
    if not connection.features.has_select_for_update:
        return ""
    return " FOR UPDATE OF " + ", ".join(aliases)


def lock_item(item_id: int) -> LockedItem:
    """The item's row, locked, with `open_loan_id` (its loan not yet returned, or None),
    `hold_waits` (`holds.models.waits_on_copy_sql`) and `claimable` (`may_claim`)."""
    postgres = connection.vendor == "postgresql"
    versions = (
        "i.xmin::text AS locked_version, "
        f"(SELECT x.xmin::text FROM {Item._meta.db_table} x WHERE x.id = i.id) AS seen_version, "
        if postgres
        else "'' AS locked_version, '' AS seen_version, "
    )
    sql = (
        f"SELECT i.*, {versions}"  # noqa: S608
        f"(SELECT l.id FROM {Loan._meta.db_table} l WHERE l.item_id = i.id "
        f"AND l.state <> '{Loan.State.RETURNED}') AS open_loan_id, "
        f"{waits_on_copy_sql('i')} AS hold_waits, {may_claim_sql('i')} AS claimable "
        f"FROM {Item._meta.db_table} i WHERE i.id = %s{_for_update('i')}"
    )
    for _ in range(2):  # a second time only after waiting for another desk (see above)
        found = list(Item.objects.raw(sql, [item_id]))
        if not found:
            raise Item.DoesNotExist(f"No item has the id {item_id}.")
        item = cast("LockedItem", found[0])  # raw() sets the statement's extra columns
        if item.locked_version == item.seen_version:
            break
    item.hold_waits, item.claimable = bool(item.hold_waits), bool(item.claimable)
    return item


def lock_loan(loan_id: int) -> LockedLoan | None:
    """The loan's row, locked, with `keeps_history`: whether its patron (if any still)
    has opted in to loan history. None if it has been returned meanwhile."""
    sql = (
        f"SELECT l.*, p.keep_loan_history AS keeps_history "  # noqa: S608
        f"FROM {Loan._meta.db_table} l LEFT JOIN {Patron._meta.db_table} p "
        f"ON p.id = l.patron_id WHERE l.id = %s AND l.state <> '{Loan.State.RETURNED}'"
        f"{_for_update('l')}"
    )
    loan = cast("LockedLoan | None", next(iter(Loan.objects.raw(sql, [loan_id])), None))
    if loan is not None:
        loan.keeps_history = bool(loan.keeps_history)
    return loan
