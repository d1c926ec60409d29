"""A leaving member's reconciliation: what must be settled before it leaves (MEMBER-9).

Five lists, each with what to do: its copies out at other members (on loan to their
patrons, or sitting at their branches), other members' copies it holds, open holds for
pickup at its branches or waiting on its copies (re-route or cancel), its patrons (whose
home library must change), and its balance with the group (the ledger's; see
`ledger_balance`). The member may leave only when every list is empty.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from onelibrary.catalog.models import Item
from onelibrary.circulation.models import Loan
from onelibrary.holds.models import OPEN_STATES, Hold
from onelibrary.ledger import book, posting, settlement
from onelibrary.members.models import Library
from onelibrary.patrons.models import Patron

GONE = (Item.Status.LOST, Item.Status.MISSING, Item.Status.WITHDRAWN)


@dataclass(frozen=True)
class Balance:
    """The member's balance with the group, from the ledger: what it owes (positive) or
    is owed (negative). `known` False: the ledger gave no answer."""

    amount: Decimal
    known: bool


def ledger_balance(library: Library, today: dt.date | None = None) -> Balance:
    """What the member owes the others (positive) or is owed (negative) in the period not
    yet settled: this month's entries between members. Earlier months were settled by
    their settlement statements (docs/ledger.md, "Settlement"), whose payments are made
    outside OneLibrary; a member leaving mid-month settles this month's sum first."""
    today = today or timezone.localdate()
    posting.catch_up()
    month = settlement.period(f"{today:%Y-%m}")
    owed_to_it = book.balances(settlement.entries_in(month)).get(library.pk, Decimal("0"))
    return Balance(-owed_to_it, known=True)


@dataclass(frozen=True)
class Reconciliation:
    library: Library
    out_at_others: list[Item]  # its copies on loan to others' patrons or at others' branches
    others_here: list[Item]  # others' copies at its branches or on loan to its patrons
    holds_here: list[Hold]  # open holds for pickup at its branches
    holds_on_its_copies: list[Hold]  # open holds whose copy is one of its own
    patrons: list[Patron]  # whose home library must change
    balance: Balance

    @property
    def cleared(self) -> bool:
        return not (
            self.out_at_others
            or self.others_here
            or self.holds_here
            or self.holds_on_its_copies
            or self.patrons
            or (self.balance.known and self.balance.amount != 0)
        )

    def what_remains(self) -> list[str]:
        """The lists not yet empty, in words: the refusal to leave names them."""
        parts = [
            (len(self.out_at_others), "of its copies out at other members"),
            (len(self.others_here), "other members' copies at its branches or with its patrons"),
            (len(self.holds_here), "open holds for pickup at its branches"),
            (len(self.holds_on_its_copies), "open holds on its copies"),
            (len(self.patrons), "patrons whose home library must change"),
        ]
        said = [f"{n} {what}" for n, what in parts if n]
        if self.balance.known and self.balance.amount != 0:
            said.append(f"a balance of ${self.balance.amount:.2f} with the group")
        return said


def reconcile(library: Library) -> Reconciliation:
    its_branches = Q(current_branch__library=library)
    lent_out = Loan.objects.filter(state=Loan.State.ACTIVE).exclude(patron__home_library=library)
    out_at_others = (
        Item.objects.filter(owning_library=library)
        .exclude(status__in=GONE)
        .filter(
            Q(pk__in=lent_out.values("item_id"))
            | (~its_branches & ~Q(status=Item.Status.CHECKED_OUT))
        )
    )
    borrowed = Loan.objects.filter(state=Loan.State.ACTIVE, patron__home_library=library)
    others_here = (
        Item.objects.exclude(owning_library=library)
        .exclude(status__in=GONE)
        .filter(
            Q(pk__in=borrowed.values("item_id"))
            | (its_branches & ~Q(status=Item.Status.CHECKED_OUT))
        )
    )
    open_holds = Hold.objects.filter(state__in=OPEN_STATES).select_related(
        "title", "pickup_branch", "assigned_item"
    )
    return Reconciliation(
        library=library,
        out_at_others=list(
            out_at_others.select_related("title", "current_branch").order_by("barcode")
        ),
        others_here=list(
            others_here.select_related("title", "owning_library", "current_branch").order_by(
                "barcode"
            )
        ),
        holds_here=list(open_holds.filter(pickup_branch__library=library).order_by("pk")),
        holds_on_its_copies=list(
            open_holds.filter(assigned_item__owning_library=library)
            .exclude(pickup_branch__library=library)
            .order_by("pk")
        ),
        patrons=list(
            Patron.objects.filter(home_library=library, merged_into=None, erased_at=None).order_by(
                "last_name", "pk"
            )
        ),
        balance=ledger_balance(library),
    )
