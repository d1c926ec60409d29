"""Checkout and checkin as decisions: facts in, the decision-table case and its changes out.

Pure Python with no database and no Django: `circulation.actions` gathers the facts (the
copy as locked, its loan, whether a hold may claim it, its transit, where floating or
home sends it, the patron's blocks), calls `decide_checkout` / `decide_checkin`, and
applies the answer. The cases are the tables in docs/circulation/checkout.md and
checkin.md, which librarians review; `tests/circulation/test_decide.py` has a test of
each id here with no database.

The cases decided elsewhere are named where they are: a barcode or card that is not one
(CHECKOUT-2, -3, -14; CHECKIN-12, -13) by the lookup before any facts exist; staff of
another library (CHECKOUT-15) by the access module; two desks at once (CHECKIN-14) by
the conditional update that closes the loan; the due date (CHECKOUT-13) by
`core.duedates`; and where holds take the copy (CHECKIN-17, -18, -19) by holds'
routing, whose answer `after_capture` folds in.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

# Item statuses, as catalog's Item.Status spells them (a test holds the two together).
AVAILABLE = "available"
CHECKED_OUT = "checked_out"
IN_TRANSIT = "in_transit"
ON_HOLD_SHELF = "on_hold_shelf"
IN_PROCESSING = "in_processing"
MISSING = "missing"
LOST = "lost"
DAMAGED = "damaged"
WITHDRAWN = "withdrawn"
NOT_LENDABLE = (LOST, MISSING, WITHDRAWN, DAMAGED, IN_PROCESSING)

# Loan states, as circulation's Loan.State spells them.
LOAN_LOST = "lost"
LOAN_CLAIMS_RETURNED = "claims_returned"

# Where a copy in transit stands, for checkout (CHECKOUT-12, CHECKOUT-18).
GONE = "gone"  # shipped, or travelling from another branch
WAITING = "waiting"  # at this branch, not yet shipped, not for a hold
WAITING_FOR_HOLD = "waiting_for_hold"  # at this branch, for a hold still open


@dataclass(frozen=True)
class Copy:
    title: str
    barcode: str
    status: str
    status_label: str
    here: bool  # its current branch is this desk's branch

    @property
    def named(self) -> str:
        return f"{self.title} ({self.barcode})"


@dataclass(frozen=True)
class Block:
    """Why a patron may not borrow now (CHECKOUT-6, -7, -8, -17)."""

    decision: str
    code: str
    message: str


@dataclass(frozen=True)
class Refused:
    code: str
    message: str
    decision: str
    overridable: bool = False


# --- checkout --------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckoutFacts:
    copy: Copy
    patron_name: str  # the first name, as the desk says it
    loan: str = ""  # "": none open; "this_patron"; "another"
    loan_due: str = ""  # the open loan's due date, in words
    on_shelf_for_patron: bool = False  # on the hold shelf for this patron's hold
    transit: str = GONE  # for a copy in transit: GONE, WAITING or WAITING_FOR_HOLD
    transit_to: str = ""  # for WAITING_FOR_HOLD: where it goes, and its crate
    blocks: tuple[Block, ...] | None = None  # None: not asked yet (the copy may refuse first)
    override_reason: str = ""
    may_override: bool = False
    may_override_fines: bool = False  # desk staff, where their library allows (MONEY-11)


@dataclass(frozen=True)
class CheckoutDecision:
    decision: str
    refused: Refused | None = None
    needs_blocks: bool = False  # the copy may be lent: ask the patron's blocks, decide again
    repeated: bool = False  # CHECKOUT-4: nothing to do
    release_transit: bool = False  # CHECKOUT-18: cancel the transit before lending
    fills_hold: bool = False  # CHECKOUT-16
    overridden: tuple[str, ...] = ()

    @property
    def lends(self) -> bool:
        return self.refused is None and not self.repeated and not self.needs_blocks


def _refuse(decision: str, code: str, message: str, overridable: bool = False) -> CheckoutDecision:
    return CheckoutDecision(decision, refused=Refused(code, message, decision, overridable))


def decide_checkout(f: CheckoutFacts) -> CheckoutDecision:
    copy = f.copy
    if f.loan == "this_patron":
        return CheckoutDecision("CHECKOUT-4", repeated=True)  # the scanner fired twice
    if f.loan == "another":
        return _refuse(
            "CHECKOUT-5",
            "checked_out_to_another",
            f"{copy.named} is checked out to another patron. Check it in first, then check "
            "it out again.",
        )
    release = fills = False
    if copy.status == ON_HOLD_SHELF:
        if not f.on_shelf_for_patron:
            return _refuse(
                "CHECKOUT-11",
                "on_hold_shelf",
                f"{copy.named} is on the hold shelf for another patron. Put it back on the "
                "hold shelf.",
            )
        fills = True  # CHECKOUT-16
    elif copy.status == IN_TRANSIT:
        if f.transit == WAITING_FOR_HOLD:
            return _refuse(
                "CHECKOUT-12",
                "in_transit_for_hold",
                f"{copy.named} is on its way to fill a hold at {f.transit_to}. Put it back "
                "with the items to send; do not lend it.",
            )
        if f.transit != WAITING:
            return _refuse(
                "CHECKOUT-12",
                "in_transit",
                f"{copy.named} is in transit. Check it in first to receive it here, then "
                "check it out.",
            )
        release = True  # CHECKOUT-18: it had not left this branch yet
    elif copy.status in NOT_LENDABLE:
        return _refuse(
            "CHECKOUT-10",
            "not_lendable",
            f"{copy.named} is marked {copy.status_label.lower()}. Check it in first so its "
            "record is corrected, then lend it.",
        )
    if f.blocks is None:
        return CheckoutDecision("", needs_blocks=True)
    # MONEY-11: desk staff may override a block for fines alone, where their library allows.
    by_desk = not f.may_override and f.may_override_fines and _fines_only(f.blocks)
    if f.blocks and not f.override_reason.strip():
        first = f.blocks[0]
        return _refuse(
            first.decision,
            first.code,
            " ".join(b.message for b in f.blocks),
            overridable=f.may_override or by_desk,
        )
    if f.blocks and not (f.may_override or by_desk):
        return _refuse(
            "CHECKOUT-9",
            "override_not_allowed",
            "Only a library admin or the central office may override a block. Ask one of "
            "them to check this out.",
        )
    overridden = "MONEY-11" if by_desk else "CHECKOUT-9"
    decision = overridden if f.blocks else "CHECKOUT-16" if fills else "CHECKOUT-1"
    return CheckoutDecision(
        decision,
        release_transit=release,
        fills_hold=fills,
        overridden=tuple(b.code for b in f.blocks),
    )


def _fines_only(blocks: tuple[Block, ...]) -> bool:
    return bool(blocks) and all(b.decision == "CHECKOUT-8" for b in blocks)


# --- checkin ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """Where a returned copy goes from this desk: floating's answer, else home's.

    CHECKIN-1 (shelve at home), -2 (send home), -3 (floats here), -20 (outside its float
    group: home), -21 (float balance), -22 (over capacity, stays)."""

    decision: str
    instruction: str


@dataclass(frozen=True)
class CheckinFacts:
    copy: Copy
    place: Place
    loan_state: str = ""  # "": no open loan; else the loan's state before checkin
    claimable: bool = False  # a hold may claim the copy (holds answered with the lock)
    days_late: int = 0
    fine: Decimal = Decimal("0")
    recently_here: bool = False  # a checkin of it here within the repeat-scan window


@dataclass(frozen=True)
class CheckinDecision:
    decision: str
    instruction: str
    message: str
    notes: tuple[str, ...] = ()
    closes_loan: bool = False
    moves: bool = False  # the copy takes `place` (shelved, sent, floats)
    offer_to_holds: bool = False  # ask holds whether a hold claims the copy
    holds_first: bool = False  # ask them before the copy takes its place (no loan)
    fine: Decimal = Decimal("0")
    days_late: int = 0
    settle_lost: bool = False  # refund and cancel the lost-item charge (CHECKIN-7, MONEY-10)
    repeated: bool = False


def overdue_fine(rule: dict, days_late: int) -> Decimal:
    """CHECKIN-11: days late × the rule's daily fine, up to its cap; none without a fine."""
    per_day = (rule.get("fine_per_day") or {}).get("value")
    if not days_late or per_day in (None, "", "0", "0.00"):
        return Decimal("0")
    fine = Decimal(str(per_day)) * days_late
    cap = (rule.get("fine_cap") or {}).get("value")
    if cap not in (None, ""):
        fine = min(fine, Decimal(str(cap)))
    return fine.quantize(Decimal("0.01"))


def already_here(copy: Copy, place: Place) -> bool:
    """CHECKIN-4's test: on this shelf where it belongs, or waiting to leave from here."""
    return copy.here and (
        (copy.status == AVAILABLE and place.decision != "CHECKIN-2")
        or (copy.status == IN_TRANSIT and place.decision == "CHECKIN-2")
    )


def decide_checkin(f: CheckinFacts) -> CheckinDecision:
    return _with_loan(f) if f.loan_state else _without_loan(f)


def _with_loan(f: CheckinFacts) -> CheckinDecision:
    notes: list[str] = []
    decision = f.place.decision  # CHECKIN-1, -2, -3, -20, -21, -22
    if f.fine:
        notes.append(f"Returned {f.days_late} days late: a fine of ${f.fine:.2f} was added.")
        decision = "CHECKIN-11"
    if f.loan_state == LOAN_LOST:
        decision = "CHECKIN-7"
    elif f.loan_state == LOAN_CLAIMS_RETURNED:
        notes.append("The patron's claim that this was returned is now resolved.")
        decision = "CHECKIN-8"
    return CheckinDecision(
        decision,
        f.place.instruction,
        f"{f.copy.title} is checked in.",
        notes=tuple(notes),
        closes_loan=True,
        moves=True,
        offer_to_holds=f.claimable,
        fine=f.fine,
        days_late=f.days_late,
        settle_lost=f.loan_state == LOAN_LOST,
    )


def _without_loan(f: CheckinFacts) -> CheckinDecision:
    copy, place = f.copy, f.place
    if copy.status in (DAMAGED, WITHDRAWN):
        label = copy.status_label.upper()
        return CheckinDecision(
            "CHECKIN-10",
            f"SET ASIDE: {label}",
            f"{copy.title} is marked {label.lower()}. Set it aside for its library.",
        )
    holds_first = f.claimable and copy.status != ON_HOLD_SHELF
    if already_here(copy, place):
        message = (
            f"{copy.title} was just checked in here; the repeated scan was not counted again."
            if f.recently_here
            else f"{copy.title} was already checked in here; nothing changed."
        )
        return CheckinDecision(
            "CHECKIN-4",
            place.instruction,
            message,
            offer_to_holds=holds_first,
            holds_first=holds_first,
            repeated=f.recently_here,
        )
    if copy.status == ON_HOLD_SHELF:
        return CheckinDecision(
            "CHECKIN-16",
            "HOLD SHELF",
            f"{copy.title} is waiting on the hold shelf for a patron. Put it back on the "
            "hold shelf.",
        )
    if copy.status == IN_TRANSIT:
        # CHECKIN-5 (arrived home), CHECKIN-6 (arrived elsewhere: send it on).
        home = place.decision != "CHECKIN-2"
        decision = "CHECKIN-5" if home else "CHECKIN-6"
        message = (
            f"{copy.title} has arrived home." if home else f"{copy.title} is not for this branch."
        )
    elif copy.status in (LOST, MISSING):
        decision = "CHECKIN-9"
        message = f"{copy.title} was marked {copy.status.replace('_', ' ')} and has been found."
    else:
        decision = "CHECKIN-15"
        message = f"{copy.title} was not on loan and was out of place."
    return CheckinDecision(
        decision,
        place.instruction,
        message,
        moves=True,
        offer_to_holds=holds_first,
        holds_first=holds_first,
    )


@dataclass(frozen=True)
class Captured:
    """Holds' answer: a hold claimed the copy (CHECKIN-17, -18, -19), in its words."""

    decision: str
    instruction: str
    message: str


def after_capture(d: CheckinDecision, captured: Captured) -> CheckinDecision:
    """A hold claimed the copy: its case and instruction replace where the copy would have
    gone. Without a loan that is the whole answer; with one, the loan's own cases (a fine,
    lost, claimed returned) still name the checkin, and the hold's words join the notes."""
    if not d.closes_loan:
        return CheckinDecision(
            captured.decision, captured.instruction, captured.message, moves=False
        )
    keeps_own = d.decision in ("CHECKIN-7", "CHECKIN-8", "CHECKIN-11")
    return CheckinDecision(
        d.decision if keeps_own else captured.decision,
        captured.instruction,
        d.message,
        notes=(captured.message, *d.notes),
        closes_loan=True,
        moves=d.moves,
        fine=d.fine,
        days_late=d.days_late,
        settle_lost=d.settle_lost,
    )
