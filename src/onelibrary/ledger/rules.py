"""The replacement policy's decisions, as plain Python (docs/ledger.md, LEDGER-1 … 9).

A `Loss` (a copy lost or damaged, by a patron or in transit) and the policy's `Terms`
for its case give the `Debt`s to book: who owes whom, how much, of what kind, and the
snapshot that explains it. `refund` says what the owner hands back when a copy it was
paid for is found. No ORM here: posting (`posting.py`) feeds it facts read from the
database, and the comparison of policies (`compare.py`) feeds it a year of them.
Parties are library codes; `GROUP` (None) is the group, which also stands for the courier.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from decimal import Decimal

GROUP = None
ZERO = Decimal("0.00")

LOST_BY_PATRON = "lost_by_patron"
DAMAGED_BY_PATRON = "damaged_by_patron"
LOST_IN_TRANSIT = "lost_in_transit"
DAMAGED_IN_TRANSIT = "damaged_in_transit"
FOUND_AFTER_PAYMENT = "found_after_payment"
CLAIMS_RETURNED = "claims_returned"
CASES = (
    LOST_BY_PATRON,
    DAMAGED_BY_PATRON,
    LOST_IN_TRANSIT,
    DAMAGED_IN_TRANSIT,
    FOUND_AFTER_PAYMENT,
    CLAIMS_RETURNED,
)
DECISION = {
    LOST_BY_PATRON: "LEDGER-1",
    DAMAGED_BY_PATRON: "LEDGER-2",
    LOST_IN_TRANSIT: "LEDGER-3",
    DAMAGED_IN_TRANSIT: "LEDGER-4",
    FOUND_AFTER_PAYMENT: "LEDGER-5",
    CLAIMS_RETURNED: "LEDGER-6",
}
TRANSIT_CASES = (LOST_IN_TRANSIT, DAMAGED_IN_TRANSIT)


@dataclass(frozen=True)
class Terms:
    """One case of a policy (the fields of `PolicyCase`)."""

    case: str
    payer: str  # borrower, sender, receiver, courier, group, owner
    basis: str = "price"  # price, flat, lower
    processing_fee: Decimal = ZERO
    repair_instead: bool = False
    repair_cost: Decimal | None = None
    claim_days: int = 90
    dispute_days: int = 30
    owes_when_unpaid: bool = True
    after_days: int = 0
    keep_fee_when_found: bool = True


@dataclass(frozen=True)
class Policy:
    name: str
    version: int
    cases: Mapping[str, Terms]
    flat_amounts: Mapping[str, Decimal] = field(default_factory=dict)

    def flat_for(self, item_type: str) -> Decimal | None:
        return self.flat_amounts.get(item_type, self.flat_amounts.get(""))


@dataclass(frozen=True)
class Loss:
    """A copy lost or damaged. `borrower` for a patron's loan; `sender` and `receiver`
    (library codes) for a transit. `price` is the copy's price when it happened."""

    case: str
    owner: str
    price: Decimal | None
    item_type: str = ""
    borrower: str | None = None
    sender: str | None = None
    receiver: str | None = None


@dataclass(frozen=True)
class Debt:
    kind: str
    debtor: str | None
    creditor: str | None
    amount: Decimal
    decision: str
    words: str
    snapshot: dict[str, object]


@dataclass(frozen=True)
class Decided:
    debts: tuple[Debt, ...]
    decision: str
    words: str
    # The patron's payments are passed on as they come instead (owes_when_unpaid off).
    pass_on_payments: bool = False


def snapshot(policy: Policy, terms: Terms, loss: Loss | None = None) -> dict[str, object]:
    """What decided an entry, kept with it as JSON: the policy, the case, its terms and
    the copy's price at the moment of the loss."""
    found: dict[str, object] = {
        "policy": policy.name,
        "version": policy.version,
        "case": terms.case,
        "terms": {k: str(v) if isinstance(v, Decimal) else v for k, v in asdict(terms).items()},
    }
    if loss is not None:
        found["price_at_loss"] = str(loss.price) if loss.price is not None else None
        found["item_type"] = loss.item_type
    return found


def payer_of(terms: Terms, loss: Loss) -> tuple[bool, str | None]:
    """(whether anyone owes, and who): the owner carrying its own loss owes nobody."""
    if terms.payer == "owner":
        return False, None
    if terms.payer in ("courier", "group"):
        return True, GROUP
    who = {"borrower": loss.borrower, "sender": loss.sender, "receiver": loss.receiver}
    party = who.get(terms.payer)
    return party is not None, party


def amount_of(policy: Policy, terms: Terms, loss: Loss) -> tuple[Decimal | None, str]:
    """The amount owed for the copy and the words for its basis (no fee)."""
    damaged = loss.case in (DAMAGED_BY_PATRON, DAMAGED_IN_TRANSIT)
    if damaged and terms.repair_instead and terms.repair_cost:
        return terms.repair_cost, "the repair cost"
    flat = policy.flat_for(loss.item_type)
    price = loss.price if loss.price else None
    if terms.basis == "flat" or price is None:
        return flat, "the flat amount for its type"
    if terms.basis == "lower" and flat is not None and flat < price:
        return flat, "the flat amount for its type, lower than its price"
    return price, "its price when it was lost"


def decide(policy: Policy, loss: Loss) -> Decided:
    """LEDGER-1 … 4 and 6: the debts a loss books under `policy`; LEDGER-8 and 9 none."""
    terms = policy.cases.get(loss.case)
    decision = DECISION[loss.case]
    if terms is None:
        return Decided((), "LEDGER-8", f"The policy has no '{loss.case}' case: nobody owes.")
    anyone, debtor = payer_of(terms, loss)
    if not anyone or debtor == loss.owner:
        # LEDGER-8: the owner carries it (its own patron, its own end of a transit).
        return Decided(
            (), "LEDGER-8", f"{loss.owner} carries its own loss: nothing between members."
        )
    amount, basis = amount_of(policy, terms, loss)
    if not amount:
        return Decided(
            (),
            "LEDGER-9",
            "The copy has no price and the policy no flat amount for its type: the owner "
            "claims it by hand.",
        )
    if loss.case not in TRANSIT_CASES and not terms.owes_when_unpaid:
        return Decided(
            (),
            decision,
            "The member owes what its patron pays, as it is paid.",
            pass_on_payments=True,
        )
    shot = snapshot(policy, terms, loss)
    kind = _kind(loss, basis)
    debts = [Debt(kind, debtor, loss.owner, amount, decision, basis, shot)]
    if terms.processing_fee > 0:
        fee = terms.processing_fee
        debts.append(
            Debt("processing_fee", debtor, loss.owner, fee, decision, "processing fee", shot)
        )
    return Decided(tuple(debts), decision, basis)


def _kind(loss: Loss, basis: str) -> str:
    if loss.case in TRANSIT_CASES:
        return "transit_loss"
    return "repair" if basis == "the repair cost" else "replacement"


# What the owner hands back when a copy is found: the member's own payment for it. A
# patron's payment passed on comes back through the patron's refund (`passed_on`).
REFUNDED_KINDS = ("replacement", "repair")


def refund(
    policy: Policy, booked: Iterable[tuple[str, Decimal]], owner: str, borrower: str
) -> Debt | None:
    """LEDGER-5: a copy found after the borrowing member paid for it. `booked` is what the
    borrower owes the owner for that loss now, as (kind, amount), net of reversals and of
    earlier refunds (kind "refund", negative). The owner hands back the replacement or
    repair, and the fee unless the policy keeps it."""
    terms = policy.cases.get(FOUND_AFTER_PAYMENT) or Terms(FOUND_AFTER_PAYMENT, "owner")
    kinds = REFUNDED_KINDS if terms.keep_fee_when_found else (*REFUNDED_KINDS, "processing_fee")
    total = sum((amount for kind, amount in booked if kind in kinds or kind == "refund"), ZERO)
    if total <= 0:
        return None
    return Debt(
        "refund",
        owner,
        borrower,
        total,
        "LEDGER-5",
        "found after payment: the payment handed back",
        snapshot(policy, terms),
    )


@dataclass(frozen=True)
class Money:
    """A patron's payment (or a refund to the patron) on a charge, taken at `taker`'s desk.
    `case` is the loss the charge is for (None: an overdue fine)."""

    case: str | None
    owner: str
    borrower: str | None
    taker: str
    amount: Decimal
    refund: bool = False


def passed_on(policy: Policy, paid: Money, overdue_share_percent: int = 0) -> Debt | None:
    """LEDGER-7: who holds a patron's money and who should. When the borrowing member owes
    whether or not its patron pays, the member has paid the owner, so the patron's money is
    the member's; otherwise it is the owner's. A payment taken elsewhere is passed on to
    whom it belongs; a refund given elsewhere is made good by whom it belonged to.
    LEDGER-18: an overdue fine on another member's copy: the group's share to the owner."""
    if paid.case is None:
        share = (paid.amount * overdue_share_percent / 100).quantize(Decimal("0.01"))
        if paid.refund or paid.taker == paid.owner or share <= 0:
            return None
        words = f"{overdue_share_percent}% of an overdue fine collected on its copy"
        return Debt("overdue_share", paid.taker, paid.owner, share, "LEDGER-18", words, {})
    terms = policy.cases.get(paid.case)
    members_own = terms is not None and terms.owes_when_unpaid and paid.borrower is not None
    rightful = paid.borrower if members_own else paid.owner
    if rightful is None or rightful == paid.taker:
        return None
    shot = snapshot(policy, terms) if terms else {}
    if paid.refund:
        words = "the patron's refund given at its desk, made good"
        return Debt("refund", rightful, paid.taker, paid.amount, "LEDGER-7", words, shot)
    words = "the patron's payment taken at its desk, passed on"
    return Debt("patron_payment", paid.taker, rightful, paid.amount, "LEDGER-7", words, shot)
