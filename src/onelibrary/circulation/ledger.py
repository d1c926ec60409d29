"""What a charge still owes, from its history: the one definition of "settled". Pure Python.

Each charge has an amount and a history of entries (`ChargeEntry`): paid (from a
payment), waived, refunded, cancelled. Money is `Decimal` in the group's currency, two
places, never float. docs/circulation/money.md has the rules; the ids are named below.

    kept    = paid − refunded                      the money the library holds for it
    owed    = amount − kept − waived − cancelled   what the patron still owes
    settled = owed is 0                            (MONEY-13)

A refund hands money back, so what it covered is owed again unless it is cancelled too
(a lost item found: MONEY-10 refunds, then cancels all that is left). No entry may make
`owed` negative or refund more than was paid: `Balance.after` refuses both, and the
database holds `owed_after >= 0` on every entry.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation

from onelibrary.core.refusals import Refusal

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
# The largest amount a charge may hold (max_digits 8): more is a typing error.
LARGEST = Decimal("99999.99")

PAYMENT, WAIVER, REFUND, CANCEL = "payment", "waiver", "refund", "cancel"
KINDS = (PAYMENT, WAIVER, REFUND, CANCEL)


def money(amount: Decimal) -> str:
    """An amount as the desk says it: the group's currency sign and two places."""
    return f"${amount:,.2f}"


@dataclass(frozen=True)
class Balance:
    amount: Decimal
    paid: Decimal = ZERO
    waived: Decimal = ZERO
    refunded: Decimal = ZERO
    cancelled: Decimal = ZERO

    @property
    def kept(self) -> Decimal:
        return self.paid - self.refunded

    @property
    def owed(self) -> Decimal:
        return self.amount - self.kept - self.waived - self.cancelled

    @property
    def settled(self) -> bool:
        """MONEY-13: nothing is owed. The charge's `settled_at` is set exactly then."""
        return self.owed == ZERO

    def after(self, kind: str, amount: Decimal) -> Balance:
        """The balance once an entry of `kind` for `amount` is added; a ValueError for
        one the rules forbid (the actions refuse those first, in words)."""
        if amount <= ZERO:
            raise ValueError(f"an entry is a positive amount, not {amount}")
        if kind == REFUND:
            if amount > self.kept:
                raise ValueError(f"refunds {amount}, but only {self.kept} is held")
            return replace(self, refunded=self.refunded + amount)
        if amount > self.owed:
            raise ValueError(f"{kind} of {amount} is more than the {self.owed} owed")
        field = {PAYMENT: "paid", WAIVER: "waived", CANCEL: "cancelled"}[kind]
        return replace(self, **{field: getattr(self, field) + amount})


def parse_amount(text: object, *, what: str = "The amount") -> Decimal:
    """A typed amount as money, or refused in words (MONEY-2): not a number, zero or
    less, more than two decimal places, or too large to be a charge."""
    raw = str(text).strip().lstrip("$").replace(",", "") if text is not None else ""
    try:
        amount = Decimal(raw)
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite():
        raise Refusal(
            "invalid_input",
            f"{what} must be a number of dollars and cents, like 12.50; "
            f"'{str(text)[:20]}' is not one.",
            decision="MONEY-2",
        )
    if amount <= ZERO:
        raise Refusal(
            "invalid_input",
            f"{what} must be more than $0.00. Type what the patron hands over, like 5.00.",
            decision="MONEY-2",
        )
    if amount != amount.quantize(CENT):
        raise Refusal(
            "invalid_input",
            f"{what} has more than two decimal places ({raw}). Type dollars and cents, like 12.50.",
            decision="MONEY-2",
        )
    if amount > LARGEST:
        raise Refusal(
            "invalid_input",
            f"{what}, {money(amount)}, is more than any charge can be. Check what was typed.",
            decision="MONEY-2",
        )
    return amount.quantize(CENT)


def allocate(amount: Decimal, owed: Sequence[tuple[int, Decimal]]) -> list[tuple[int, Decimal]]:
    """Split a payment over charges in the order given (oldest first, MONEY-1): each is
    paid off before the next. `owed` is (charge id, what it owes). Refused when the
    amount is more than all of them owe (MONEY-3)."""
    total = sum((due for _, due in owed), ZERO)
    if amount > total:
        raise Refusal(
            "more_than_owed",
            f"{money(amount)} is more than the {money(total)} owed on the charges being "
            f"paid. Take {money(total)} or less.",
            decision="MONEY-3",
        )
    split: list[tuple[int, Decimal]] = []
    left = amount
    for charge_id, due in owed:
        if left == ZERO:
            break
        part = min(left, due)
        if part > ZERO:
            split.append((charge_id, part))
            left -= part
    return split


@dataclass(frozen=True)
class WaiverAsk:
    """Who asks to waive how much of which charge."""

    amount: Decimal
    owed: Decimal  # what the charge owes now
    role: str | None  # the asker's role at the library owed (members.access.role_at)
    library: str  # the library owed, by name
    desk_limit: Decimal  # that library's desk waiver limit
    desk_waived: Decimal  # what desk staff have already waived of this charge


def decide_waiver(ask: WaiverAsk) -> str:
    """The decision id for a waiver that may be made (MONEY-6, MONEY-7), else refused
    saying who can (MONEY-3, MONEY-4, MONEY-7)."""
    if ask.role is None:
        raise Refusal(
            "not_your_library",
            f"This charge is owed to {ask.library}, and you do not work for it. Only its "
            "staff or the central office may waive it.",
            decision="MONEY-4",
        )
    if ask.amount > ask.owed:
        raise Refusal(
            "more_than_owed",
            f"{money(ask.amount)} is more than the {money(ask.owed)} still owed on this "
            "charge. Waive that or less.",
            decision="MONEY-3",
        )
    if ask.role in ("central_office", "library_admin"):
        return "MONEY-6"
    room = max(ask.desk_limit - ask.desk_waived, ZERO)
    if ask.amount > room:
        already = f" ({money(ask.desk_waived)} of it already used)" if ask.desk_waived else ""
        raise Refusal(
            "over_waiver_limit",
            f"Desk staff may waive up to {money(ask.desk_limit)} of a charge owed to "
            f"{ask.library}{already}; {money(ask.amount)} is more. Ask a library admin of "
            f"{ask.library}, or the central office, to waive it.",
            decision="MONEY-7",
        )
    return "MONEY-7"
