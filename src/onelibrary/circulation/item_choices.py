"""The desk's actions on one copy as the item page and the API offer them: their
addresses, labels, decision ids, whether they need a note or a confirmation, and which the
copy's state allows now (docs/circulation/item-desk.md). `item_desk` takes them."""

from __future__ import annotations

from dataclasses import dataclass

from onelibrary.catalog import itemstate
from onelibrary.catalog.models import Item
from onelibrary.circulation.models import Loan

S = Item.Status
OPEN = (Loan.State.ACTIVE, Loan.State.CLAIMS_RETURNED, Loan.State.LOST)


@dataclass(frozen=True)
class Action:
    """One desk action as the item page and the API offer it."""

    slug: str  # its address: /items/<barcode>/<slug>/, /api/v1/circulation/items/<barcode>/<slug>
    label: str
    decision: str  # the case it applies when it succeeds
    refusal: str  # the case that refuses it
    note_required: bool
    confirm: bool  # destructive: the page asks to confirm first
    says: str  # what happens, in one sentence for the form


ACTIONS: dict[str, Action] = {
    a.slug: a
    for a in (
        Action(
            "found",
            "Found: check it in here",
            "FOUND-1",
            "FOUND-2",
            note_required=False,
            confirm=False,
            says="The copy is checked in at this desk: shelved, sent home or given to a hold, "
            "and an unpaid lost-item charge is cancelled.",
        ),
        Action(
            "damaged",
            "Mark damaged",
            "DAMAGED-1",
            "DAMAGED-2",
            note_required=True,
            confirm=False,
            says="The copy is set aside for its library's review; the note describes the damage.",
        ),
        Action(
            "back-on-shelf",
            "Back on the shelf",
            "DAMAGED-4",
            "DAMAGED-4",
            note_required=False,
            confirm=False,
            says="The repaired or processed copy is available again.",
        ),
        Action(
            "missing",
            "Mark missing",
            "MISSING-1",
            "MISSING-2",
            note_required=True,
            confirm=True,
            says="The copy is not where it should be. A hold routed to it gets another copy.",
        ),
        Action(
            "claims-returned",
            "Claims returned",
            "CLAIMS-1",
            "CLAIMS-2",
            note_required=True,
            confirm=True,
            says="The patron says they returned it: the loan is set aside and the copy is "
            "missing until it is found.",
        ),
        Action(
            "lost",
            "Mark lost",
            "LOST-1",
            "LOST-3",
            note_required=False,
            confirm=True,
            says="On loan: the loan is lost and its patron owes the copy's price to its "
            "library. Missing and not on loan: the copy is written off as lost.",
        ),
        Action(
            "withdraw",
            "Withdraw",
            "WITHDRAW-1",
            "WITHDRAW-3",
            note_required=True,
            confirm=True,
            says="The copy leaves the collection. Only its library's admin may do this.",
        ),
        Action(
            "reinstate",
            "Reinstate",
            "WITHDRAW-2",
            "WITHDRAW-3",
            note_required=False,
            confirm=True,
            says="The withdrawn copy is back in the collection, available.",
        ),
    )
}


def open_loan(item: Item) -> Loan | None:
    return (
        Loan.objects.filter(item_id=item.pk, state__in=OPEN)
        .select_related("checkout_branch")
        .first()
    )


def offered(item: Item, loan: Loan | None) -> list[Action]:
    """The actions the copy's state allows now (who may is checked when one is taken)."""
    status = item.status
    slugs: list[str] = []
    if status in (S.MISSING, S.LOST):
        slugs.append("found")
    if status in (S.AVAILABLE, S.IN_PROCESSING):
        slugs += ["damaged", "missing"]
    if status in (S.DAMAGED, S.IN_PROCESSING):
        slugs.append("back-on-shelf")
    if loan is not None and loan.state == Loan.State.ACTIVE:
        slugs.append("claims-returned")
    if (loan is not None and loan.state != Loan.State.LOST) or (
        loan is None and status == S.MISSING
    ):
        slugs.append("lost")
    if (loan is None or loan.state == Loan.State.LOST) and itemstate.TABLE.find(
        status, "withdraw"
    ) is not None:
        slugs.append("withdraw")
    if status == S.WITHDRAWN:
        slugs.append("reinstate")
    return [ACTIONS[slug] for slug in slugs]
