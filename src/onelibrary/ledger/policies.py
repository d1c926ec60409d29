"""The replacement policy as data: the version in force, new versions, and its words.

A `ReplacementPolicy` with its `PolicyCase` rows is read into the pure `rules.Policy`.
One version is in force for the group (a unique constraint); adopting another takes the
first out of force in the same transaction. A version once adopted is not edited: a
change is `new_version`, so every entry's snapshot names words that still hold.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from onelibrary.ledger import rules
from onelibrary.ledger.book import money
from onelibrary.ledger.models import PolicyCase, ReplacementPolicy


def as_rules(policy: ReplacementPolicy) -> rules.Policy:
    cases = {
        row.case: rules.Terms(
            case=row.case,
            payer=row.payer,
            basis=row.basis,
            processing_fee=row.processing_fee,
            repair_instead=row.repair_instead,
            repair_cost=row.repair_cost,
            claim_days=row.claim_days,
            dispute_days=row.dispute_days,
            owes_when_unpaid=row.owes_when_unpaid,
            after_days=row.after_days,
            keep_fee_when_found=row.keep_fee_when_found,
        )
        for row in policy.cases.all()
    }
    flat = {kind: Decimal(str(amount)) for kind, amount in policy.flat_amounts.items()}
    return rules.Policy(policy.name, policy.version, cases, flat)


def in_force() -> ReplacementPolicy | None:
    return ReplacementPolicy.objects.filter(in_force=True).first()


def in_force_rules() -> rules.Policy | None:
    policy = in_force()
    return as_rules(policy) if policy is not None else None


def in_force_share() -> int:
    """The overdue fines' share passed to the owner, in percent (LEDGER-18)."""
    policy = in_force()
    return policy.overdue_share_percent if policy is not None else 0


@transaction.atomic
def create(
    name: str,
    terms: list[rules.Terms],
    *,
    flat_amounts: dict[str, Decimal] | None = None,
    adopt: bool = False,
    note: str = "",
    overdue_share_percent: int = 0,
) -> ReplacementPolicy:
    """A new version of the policy `name` (the next number) with these cases."""
    last = ReplacementPolicy.objects.filter(name=name).order_by("-version").first()
    policy = ReplacementPolicy.objects.create(
        name=name,
        version=(last.version + 1) if last else 1,
        flat_amounts={k: str(v) for k, v in (flat_amounts or {}).items()},
        note=note,
        overdue_share_percent=overdue_share_percent,
    )
    PolicyCase.objects.bulk_create(
        PolicyCase(
            policy=policy,
            case=t.case,
            payer=t.payer,
            basis=t.basis,
            processing_fee=t.processing_fee,
            repair_instead=t.repair_instead,
            repair_cost=t.repair_cost,
            claim_days=t.claim_days,
            dispute_days=t.dispute_days,
            owes_when_unpaid=t.owes_when_unpaid,
            after_days=t.after_days,
            keep_fee_when_found=t.keep_fee_when_found,
        )
        for t in terms
    )
    if adopt:
        put_in_force(policy)
    return policy


@transaction.atomic
def put_in_force(policy: ReplacementPolicy) -> None:
    ReplacementPolicy.objects.filter(in_force=True).exclude(pk=policy.pk).update(in_force=False)
    ReplacementPolicy.objects.filter(pk=policy.pk).update(in_force=True, adopted_at=timezone.now())


def usual_terms() -> list[rules.Terms]:
    """A common consortium policy: the borrowing member pays price plus $5 whether or not
    its patron has; the group carries courier losses; the owner refunds all but the fee."""
    fee = Decimal("5.00")
    return [
        rules.Terms(rules.LOST_BY_PATRON, "borrower", processing_fee=fee),
        rules.Terms(rules.DAMAGED_BY_PATRON, "borrower", processing_fee=fee),
        rules.Terms(rules.LOST_IN_TRANSIT, "courier"),
        rules.Terms(rules.DAMAGED_IN_TRANSIT, "sender"),
        rules.Terms(rules.FOUND_AFTER_PAYMENT, "owner"),
        rules.Terms(rules.CLAIMS_RETURNED, "borrower", processing_fee=fee, after_days=60),
    ]


# --- the policy in plain words -----------------------------------------------------------

WHO_LOSES = {
    rules.LOST_BY_PATRON: "When a patron of {b} loses a {t} owned by {o}",
    rules.DAMAGED_BY_PATRON: "When a patron of {b} damages a {t} owned by {o}",
    rules.LOST_IN_TRANSIT: "When a {t} owned by {o} is lost in transit from {s} to {r}",
    rules.DAMAGED_IN_TRANSIT: "When a {t} owned by {o} arrives damaged from {s} at {r}",
    rules.CLAIMS_RETURNED: "When a patron of {b} says a {t} owned by {o} was returned",
}


def words(
    policy: rules.Policy, terms: rules.Terms, owner: str, borrower: str, third: str = ""
) -> str:
    """One case in a sentence, with example members: "When a patron of Elk Falls loses a
    book owned by Riverside, Elk Falls owes Riverside the book's price when it was lost,
    plus a $5.00 processing fee, whether or not the patron has paid." """
    t = "book"
    if terms.case == rules.FOUND_AFTER_PAYMENT:
        fee = "" if not terms.keep_fee_when_found else ", keeping the processing fee"
        return (
            f"When a {t} owned by {owner} that {borrower} has paid for is found, {owner} "
            f"hands back to {borrower} what it was paid{fee}."
        )
    sender, receiver = borrower, third or owner
    start = WHO_LOSES[terms.case].format(b=borrower, o=owner, t=t, s=sender, r=receiver)
    if terms.case == rules.CLAIMS_RETURNED:
        start += f" and it is still missing {terms.after_days} days later"
    payer = {
        "borrower": borrower,
        "sender": sender,
        "receiver": receiver,
        "courier": "the group (for the courier)",
        "group": "the group",
    }.get(terms.payer)
    if payer is None or payer == owner:
        return f"{start}, {owner} carries the loss: nobody owes it anything."
    loss = rules.Loss(terms.case, owner, Decimal("1"), "book")
    _, basis = rules.amount_of(policy, terms, loss)
    basis = {
        "its price when it was lost": f"the {t}'s price when it was lost",
        "the repair cost": f"the repair cost, {money(terms.repair_cost or Decimal(0))}",
    }.get(basis, basis)
    if terms.basis == "flat":
        basis = f"a flat amount for its type ({_flats(policy)})"
    elif terms.basis == "lower":
        basis = (
            f"the lower of the {t}'s price when it was lost and the flat amount for its "
            f"type ({_flats(policy)})"
        )
    sentence = f"{start}, {payer} owes {owner} {basis}"
    if terms.processing_fee > 0:
        sentence += f", plus a {money(terms.processing_fee)} processing fee"
    if terms.case not in rules.TRANSIT_CASES:
        sentence += (
            ", whether or not the patron has paid"
            if terms.owes_when_unpaid
            else ", as far as the patron pays it, passed on as it is paid"
        )
    return (
        f"{sentence}. {owner} claims within {terms.claim_days} days; "
        f"{payer} may dispute within {terms.dispute_days} days."
    )


def _flats(policy: rules.Policy) -> str:
    if not policy.flat_amounts:
        return "none set"
    return ", ".join(
        f"{kind or 'any other'} {money(amount)}"
        for kind, amount in sorted(policy.flat_amounts.items())
    )
