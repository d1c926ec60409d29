"""Booking: the one way entries are written (docs/ledger.md).

`post` books one debt, once per fact: the fact is named by a source key (its kind and
id), unique with the entry kind, so a poster that runs twice, two workers at once, or a
second claim for the same loss write nothing and say so (LEDGER-13). `claim` is `post`
for a person, for whom a second claim is a refusal. `reverse` corrects an entry with its
mirror image: the parties swapped, the same amount, a reason, at most once (LEDGER-10).
Every refusal is a `LedgerRefusal` raised before anything is written.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import QuerySet, Sum
from django.utils import timezone

from onelibrary.catalog.models import Item
from onelibrary.circulation.models import Loan
from onelibrary.core.refusals import Refusal
from onelibrary.ledger.models import Entry
from onelibrary.members.models import Library

# The largest single entry the ledger accepts. A replacement, a repair or a crate's loss
# above this is a typing error, not a debt between libraries; a real one is split.
CEILING = Decimal("10000.00")
CENT = Decimal("0.01")
REASON_MAX = 500
Party = Library | None  # None: the group (the courier, or a loss the group carries)


class LedgerRefusal(Refusal):
    """The ledger says no: nothing was written."""


@dataclass(frozen=True)
class Posted:
    entry: Entry
    created: bool
    message: str


def money(amount: Decimal) -> str:
    return f"${amount:,.2f}"


def party_name(party: Party) -> str:
    return party.name if party is not None else "the group"


def checked_amount(amount: Decimal | str | int) -> Decimal:
    """A positive amount in cents, at most the ceiling (LEDGER-11)."""
    try:
        value = Decimal(str(amount))
    except InvalidOperation:
        raise LedgerRefusal(
            "bad_amount", f"'{amount}' is not an amount: write it like 12.50.", decision="LEDGER-11"
        ) from None
    if not value.is_finite() or value != value.quantize(CENT):
        raise LedgerRefusal(
            "bad_amount",
            f"{amount} is not an amount in cents: write it like 12.50.",
            decision="LEDGER-11",
        )
    if value <= 0:
        raise LedgerRefusal(
            "bad_amount",
            f"{amount} is not more than zero. An entry books a debt; to undo one, reverse it.",
            decision="LEDGER-11",
        )
    if value > CEILING:
        raise LedgerRefusal(
            "too_large",
            f"{money(value)} is above the ledger's ceiling of {money(CEILING)} for one entry. "
            "Check the amount; a larger debt is booked as several entries with reasons.",
            decision="LEDGER-11",
        )
    return value.quantize(CENT)


def _checked_reason(reason: str, decision: str) -> str:
    reason = reason.strip()
    if not reason:
        raise LedgerRefusal(
            "reason_required", "Write a reason: it is kept with the entry.", decision=decision
        )
    if len(reason) > REASON_MAX:
        raise LedgerRefusal(
            "reason_too_long",
            f"Keep the reason under {REASON_MAX} characters; it has {len(reason)}.",
            decision=decision,
        )
    return reason


def post(
    *,
    kind: str,
    debtor: Party,
    creditor: Party,
    amount: Decimal | str,
    source: tuple[str, str | int],
    reason: str,
    decision: str,
    item: Item | None = None,
    loan: Loan | None = None,
    policy: dict[str, Any] | None = None,
    by: User | None = None,
    occurred_at: dt.datetime | None = None,
    claim_days: int | None = None,
    claimed_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> Posted:
    """Book that `debtor` owes `creditor` `amount`, for the fact `source`, once.

    `claim_days` is the policy's deadline to claim: a claim made (`claimed_at`, default
    now) more than that many days after the fact (`occurred_at`) is refused (LEDGER-12).
    The same (source, kind) a second time returns the entry already booked, writing
    nothing (LEDGER-13)."""
    now = now or timezone.now()
    occurred_at = occurred_at or now
    if kind not in Entry.Kind.values or kind == Entry.Kind.REVERSAL:
        raise LedgerRefusal(
            "bad_kind",
            f"'{kind}' is not a kind of entry that can be posted; reversals are made by "
            "reversing the entry.",
            decision="LEDGER-16",
        )
    value = checked_amount(amount)
    if debtor == creditor:
        raise LedgerRefusal(
            "same_party",
            f"{party_name(debtor)} cannot owe itself: name two different parties.",
            decision="LEDGER-16",
        )
    reason = _checked_reason(reason, "LEDGER-16")
    if claim_days is not None:
        late = ((claimed_at or now) - occurred_at).days
        if late > claim_days:
            raise LedgerRefusal(
                "claim_too_late",
                f"This claim comes {late} days after the fact on {occurred_at:%d %b %Y}; the "
                f"policy gives {claim_days} days to claim. Ask the central office for a "
                "decision instead.",
                decision="LEDGER-12",
            )
    source_kind, source_id = source[0], str(source[1])
    already = _booked(source_kind, source_id, kind)
    if already is not None:
        return already
    fields = dict(
        kind=kind,
        debtor=debtor,
        creditor=creditor,
        amount=value,
        item=item,
        loan=loan,
        source_kind=source_kind,
        source_id=source_id,
        decision=decision,
        policy=policy or {},
        reason=reason,
        created_by=by,
        booked_at=now,
        occurred_at=occurred_at,
    )
    try:
        with transaction.atomic():
            entry = Entry.objects.create(**fields)
    except IntegrityError:
        # Another worker booked the same fact between our look and our write.
        booked = _booked(source_kind, source_id, kind)
        if booked is None:
            raise
        return booked
    return Posted(
        entry,
        True,
        f"{party_name(debtor)} owes {party_name(creditor)} {money(value)}: {reason}",
    )


def _booked(source_kind: str, source_id: str, kind: str) -> Posted | None:
    entry = Entry.objects.filter(source_kind=source_kind, source_id=source_id, kind=kind).first()
    if entry is None:
        return None
    return Posted(
        entry,
        False,
        f"Already booked as entry #{entry.pk} on {timezone.localtime(entry.booked_at):%d %b %Y}"
        ": nothing was written.",
    )


def claim(**fields: Any) -> Entry:
    """`post` for a person claiming by hand: a second claim for the same fact is refused
    (LEDGER-13) instead of returning the first."""
    posted = post(**fields)
    if not posted.created:
        raise LedgerRefusal("already_claimed", posted.message, decision="LEDGER-13")
    return posted.entry


@transaction.atomic
def reverse(entry: Entry, reason: str, by: User | None, *, now: dt.datetime | None = None) -> Entry:
    """LEDGER-10: cancel `entry` by its mirror image, with a reason; once (LEDGER-14)."""
    reason = _checked_reason(reason, "LEDGER-14")
    original = Entry.objects.select_for_update().get(pk=entry.pk)
    if original.kind == Entry.Kind.REVERSAL:
        raise LedgerRefusal(
            "reversal_of_reversal",
            f"Entry #{original.pk} is itself a reversal. To book the debt again, post it anew.",
            decision="LEDGER-14",
        )
    if Entry.objects.filter(reverses=original).exists():
        raise LedgerRefusal(
            "already_reversed",
            f"Entry #{original.pk} is already reversed; an entry is reversed once.",
            decision="LEDGER-14",
        )
    return Entry.objects.create(
        kind=Entry.Kind.REVERSAL,
        debtor_id=original.creditor_id,
        creditor_id=original.debtor_id,
        amount=original.amount,
        item_id=original.item_id,
        loan_id=original.loan_id,
        source_kind="ledger.entry",
        source_id=str(original.pk),
        decision="LEDGER-10",
        policy=original.policy,
        reason=reason,
        created_by=by,
        reverses=original,
        booked_at=now or timezone.now(),
        occurred_at=now or timezone.now(),
    )


def balances(entries: QuerySet[Entry]) -> dict[int | None, Decimal]:
    """Each party's balance over `entries`: what it is owed less what it owes. Positive:
    the others owe it. Keys are library ids; None is the group. Two grouped sums."""
    totals: dict[int | None, Decimal] = {}
    for side, sign in (("creditor_id", 1), ("debtor_id", -1)):
        for party, total in entries.order_by().values_list(side).annotate(total=Sum("amount")):
            totals[party] = totals.get(party, Decimal(0)) + sign * total
    return {party: total.quantize(CENT) for party, total in totals.items()}
