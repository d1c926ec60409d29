"""Money at the desk: take a payment, waive, refund, and settle a lost item that is found.

The only code that writes payments and charge entries and sets `Charge.settled_at`. Each
action checks what it is given, locks the charges it touches, writes its rows and an
`Event` in one transaction, and names its decision id (docs/circulation/money.md). A
refusal raises `Refusal` and writes nothing. What a charge owes and whether it is
settled come from `ledger.Balance`, the one definition.

A form (or API call) may carry a one-time `token`: submitted again, the action finds
what the first submit wrote and returns it marked `repeated` instead of writing it twice
(MONEY-5).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from onelibrary.catalog.models import Item
from onelibrary.circulation import ledger
from onelibrary.circulation.ledger import ZERO, Balance, money
from onelibrary.circulation.models import Charge, ChargeEntry, Event, Payment
from onelibrary.circulation.money_models import Method
from onelibrary.core.refusals import Refusal
from onelibrary.members import access
from onelibrary.members.access import NotFound, Staff
from onelibrary.members.models import Branch
from onelibrary.patrons.models import Patron

Kind = ChargeEntry.Kind
MAX_REASON = 300
MAX_REFERENCE = 100


# --- reading balances ------------------------------------------------------------------


def balances(charges: Iterable[Charge]) -> dict[int, Balance]:
    """Each charge's balance from its entries: one query for all of them."""
    charges = list(charges)
    sums: dict[int, dict[str, Decimal]] = defaultdict(dict)
    rows = (
        ChargeEntry.objects.filter(charge__in=[c.pk for c in charges])
        .values_list("charge_id", "kind")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for charge_id, kind, total in rows:
        # SQLite sums money as a float: back to cents, as the entries were written.
        sums[charge_id][kind] = Decimal(str(total)).quantize(ledger.CENT)
    return {
        c.pk: Balance(
            amount=c.amount,
            paid=sums[c.pk].get(Kind.PAYMENT, ZERO),
            waived=sums[c.pk].get(Kind.WAIVER, ZERO),
            refunded=sums[c.pk].get(Kind.REFUND, ZERO),
            cancelled=sums[c.pk].get(Kind.CANCEL, ZERO),
        )
        for c in charges
    }


@dataclass(frozen=True)
class ChargeLine:
    charge: Charge
    balance: Balance
    payable_here: bool  # the staff member acts for the library owed
    entries: Sequence[ChargeEntry] = field(default=())


def charge_lines(
    patron: Patron, staff: Staff | None = None, *, everything: bool = False
) -> list[ChargeLine]:
    """The patron's charges, oldest first, with balances and histories: the open ones,
    or `everything`. `staff` says which they may take payment for."""
    charges = Charge.objects.filter(patron=patron).select_related("item__title", "library")
    if not everything:
        charges = charges.filter(settled_at__isnull=True)
    found = list(charges.order_by("created_at", "pk"))
    sums = balances(found)
    history: dict[int, list[ChargeEntry]] = defaultdict(list)
    for entry in ChargeEntry.objects.filter(charge__in=found).select_related("payment"):
        history[entry.charge_id].append(entry)
    scope = access.scope_of(staff) if staff is not None else access.NOBODY
    return [ChargeLine(c, sums[c.pk], scope.acts_for(c.library_id), history[c.pk]) for c in found]


def owed(patron: Patron) -> Decimal:
    """What the patron owes in all, every library's charges together."""
    return sum((line.balance.owed for line in charge_lines(patron)), ZERO)


# --- who may ---------------------------------------------------------------------------


def _desk_role(staff: User, branch: Branch, decision: str) -> str:
    return access.role_at_branch(staff, branch, decision=decision)


def access_payment(staff: Staff, pk: int) -> Payment:
    """A payment (for its receipt) as staff may see it: the central office, staff of the
    library where it was taken, or of a library whose charge it paid. Others, and ids
    that do not exist, get the same 404."""
    payment = Payment.objects.select_related("patron__home_library", "branch__library", "staff")
    found = payment.filter(pk=pk).first()
    scope = access.scope_of(staff)
    if found is not None:
        libraries: set[int | None] = {found.branch.library_id}
        libraries |= set(found.entries.values_list("charge__library_id", flat=True))
        if scope.acts_for_any(libraries):
            return found
    raise NotFound("unknown_payment", f"There is no payment #{pk}, or it is not yours to see.")


# --- take a payment --------------------------------------------------------------------


@dataclass(frozen=True)
class Taken:
    payment: Payment
    repeated: bool = False  # the same form again: nothing new was taken (MONEY-5)


def _method(method: str) -> str:
    if method not in Method.values:
        raise Refusal(
            "invalid_input",
            f"'{method[:20]}' is not a way to pay here. Choose cash, card or other.",
            decision="MONEY-2",
        )
    return method


def _locked_open_charges(patron: Patron) -> list[Charge]:
    return list(
        Charge.objects.select_for_update(of=("self",))
        .select_related("library", "item__title")
        .filter(patron=patron, settled_at__isnull=True)
        .order_by("created_at", "pk")
    )


def _chosen(
    open_charges: list[Charge], charge_ids: Sequence[int] | None, patron: Patron, staff: User
) -> list[Charge]:
    """The charges a payment goes to: those chosen, else every open one staff act for.
    MONEY-4 for a charge owed to a library the staff member does not work for."""
    scope = access.scope_of(staff)
    if charge_ids:
        by_id = {c.pk: c for c in open_charges}
        missing = [pk for pk in charge_ids if pk not in by_id]
        if missing:
            raise Refusal(
                "unknown_charge",
                f"Charge #{missing[0]} is not one of {patron.first_name}'s open charges. "
                "Reload the page and choose again.",
                decision="MONEY-3",
            )
        chosen = [by_id[pk] for pk in sorted(set(charge_ids), key=list(by_id).index)]
        for charge in chosen:
            if not scope.acts_for(charge.library_id):
                raise _not_yours(charge)
        return chosen
    chosen = [c for c in open_charges if scope.acts_for(c.library_id)]
    if not chosen and open_charges:
        raise _not_yours(open_charges[0])
    return chosen


def _not_yours(charge: Charge) -> Refusal:
    return Refusal(
        "not_your_library",
        f"That charge is owed to {charge.library.name}, and you do not work for it: take "
        f"the payment at one of {charge.library.name}'s desks, or ask the central office.",
        decision="MONEY-4",
    )


@transaction.atomic
def take_payment(
    staff: User,
    branch: Branch,
    patron: Patron,
    amount: object,
    method: str,
    *,
    charge_ids: Sequence[int] | None = None,
    reference: str = "",
    token: str | None = None,
    now: dt.datetime | None = None,
) -> Taken:
    """Take a payment, whole or partial, and split it over the charges oldest first or
    over those chosen (MONEY-1); each charge it pays off is settled (MONEY-13)."""
    now = now or timezone.now()
    _desk_role(staff, branch, "MONEY-4")
    open_charges = _locked_open_charges(patron)  # one payment at a time per patron
    if token:
        earlier = Payment.objects.filter(token=token).first()
        if earlier is not None:
            return Taken(earlier, repeated=True)  # MONEY-5
    method = _method(method)
    reference = reference.strip()
    if len(reference) > MAX_REFERENCE:
        raise Refusal(
            "invalid_input",
            f"The reference is {len(reference)} characters; keep it to {MAX_REFERENCE}.",
            decision="MONEY-2",
        )
    value = ledger.parse_amount(amount)
    if not open_charges:
        raise Refusal(
            "nothing_owed",
            f"{patron.first_name} owes nothing, so there is nothing to pay.",
            decision="MONEY-3",
        )
    chosen = _chosen(open_charges, charge_ids, patron, staff)
    sums = balances(chosen)
    split = ledger.allocate(value, [(c.pk, sums[c.pk].owed) for c in chosen])
    by_id = {c.pk: c for c in chosen}
    payment = Payment.objects.create(
        patron=patron,
        amount=value,
        method=method,
        reference=reference,
        staff=staff,
        branch=branch,
        at=now,
        owed_after=ZERO,
        token=token or None,
    )
    for charge_id, part in split:
        _enter(
            by_id[charge_id],
            sums[charge_id],
            Kind.PAYMENT,
            part,
            "MONEY-1",
            staff,
            branch,
            now,
            payment=payment,
        )
    payment.owed_after = owed(patron)
    payment.save(update_fields=["owed_after"])
    Event.objects.create(
        kind="payment",
        decision="MONEY-1",
        staff=staff,
        branch=branch,
        patron=patron,
        at=now,
        detail={
            "payment": payment.pk,
            "amount": str(value),
            "method": method,
            "charges": {str(pk): str(part) for pk, part in split},
        },
    )
    return Taken(payment)


def _enter(
    charge: Charge,
    balance: Balance,
    kind: str,
    amount: Decimal,
    decision: str,
    staff: User | None,
    branch: Branch | None,
    now: dt.datetime,
    *,
    payment: Payment | None = None,
    method: str = "",
    reason: str = "",
    token: str | None = None,
) -> tuple[ChargeEntry, Balance]:
    """Write one entry and settle the charge, or reopen it, as its balance says (MONEY-13)."""
    after = balance.after(kind, amount)
    entry = ChargeEntry.objects.create(
        charge=charge,
        kind=kind,
        amount=amount,
        payment=payment,
        method=method,
        reason=reason,
        decision=decision,
        staff=staff,
        branch=branch,
        at=now,
        owed_after=after.owed,
        token=token or None,
    )
    settled_at = (charge.settled_at or now) if after.settled else None
    if settled_at != charge.settled_at:
        charge.settled_at = settled_at
        charge.save(update_fields=["settled_at"])
    return entry, after


# --- waive and refund --------------------------------------------------------------------


@dataclass(frozen=True)
class Entered:
    entry: ChargeEntry
    repeated: bool = False  # the same form again: nothing new was written (MONEY-5)


def _reason(reason: str, what: str) -> str:
    reason = reason.strip()
    if not reason:
        raise Refusal(
            "reason_required",
            f"Give a reason for the {what}: it is kept with the charge for the library owed.",
            decision="MONEY-8",
        )
    if len(reason) > MAX_REASON:
        raise Refusal(
            "invalid_input",
            f"The reason is {len(reason)} characters; keep it to {MAX_REASON}.",
            decision="MONEY-2",
        )
    return reason


def _locked_charge(charge: Charge) -> tuple[Charge, Balance]:
    locked = (
        Charge.objects.select_for_update(of=("self",))
        .select_related("library", "item__title", "patron")
        .get(pk=charge.pk)
    )
    return locked, balances([locked])[locked.pk]


def _repeat(token: str | None) -> Entered | None:
    if token:
        earlier = ChargeEntry.objects.filter(token=token).first()
        if earlier is not None:
            return Entered(earlier, repeated=True)
    return None


@transaction.atomic
def waive(
    staff: User,
    branch: Branch,
    charge: Charge,
    amount: object,
    reason: str,
    *,
    token: str | None = None,
    now: dt.datetime | None = None,
) -> Entered:
    """Waive some or all of a charge, with a reason: a library admin of the library owed
    (or the central office) any amount (MONEY-6); desk staff up to that library's desk
    waiver limit for the charge (MONEY-7)."""
    now = now or timezone.now()
    _desk_role(staff, branch, "MONEY-4")
    charge, balance = _locked_charge(charge)
    repeated = _repeat(token)
    if repeated is not None:
        return repeated
    reason = _reason(reason, "waiver")
    value = ledger.parse_amount(amount)
    desk_waived = ChargeEntry.objects.filter(
        charge=charge, kind=Kind.WAIVER, decision="MONEY-7"
    ).aggregate(total=Sum("amount"))["total"]
    decision = ledger.decide_waiver(
        ledger.WaiverAsk(
            amount=value,
            owed=balance.owed,
            role=access.role_at(staff, charge.library_id),
            library=charge.library.name,
            desk_limit=charge.library.desk_waiver_limit,
            desk_waived=Decimal(str(desk_waived or 0)).quantize(ledger.CENT),
        )
    )
    entry, _ = _enter(
        charge,
        balance,
        Kind.WAIVER,
        value,
        decision,
        staff,
        branch,
        now,
        reason=reason,
        token=token,
    )
    _event("waiver", entry, charge, staff, branch, now, reason=reason)
    return Entered(entry)


@transaction.atomic
def refund(
    staff: User,
    branch: Branch,
    charge: Charge,
    amount: object,
    method: str,
    reason: str,
    *,
    token: str | None = None,
    now: dt.datetime | None = None,
) -> Entered:
    """Hand back money paid towards a charge (MONEY-9): up to what was paid and not yet
    refunded, by staff of the library owed. What it covered is owed again."""
    now = now or timezone.now()
    _desk_role(staff, branch, "MONEY-4")
    charge, balance = _locked_charge(charge)
    repeated = _repeat(token)
    if repeated is not None:
        return repeated
    if not access.scope_of(staff).acts_for(charge.library_id):
        raise _not_yours(charge)
    method = _method(method)
    reason = _reason(reason, "refund")
    value = ledger.parse_amount(amount)
    if value > balance.kept:
        raise Refusal(
            "more_than_paid",
            f"{money(value)} is more than the {money(balance.kept)} paid towards this charge "
            "and not yet refunded. Refund that or less.",
            decision="MONEY-9",
        )
    entry, _ = _enter(
        charge,
        balance,
        Kind.REFUND,
        value,
        "MONEY-9",
        staff,
        branch,
        now,
        method=method,
        reason=reason,
        token=token,
    )
    _event("refund", entry, charge, staff, branch, now, reason=reason, method=method)
    return Entered(entry)


def _event(
    kind: str,
    entry: ChargeEntry,
    charge: Charge,
    staff: User | None,
    branch: Branch | None,
    now: dt.datetime,
    **detail: str,
) -> None:
    Event.objects.create(
        kind=kind,
        decision=entry.decision,
        staff=staff,
        branch=branch,
        item_id=charge.item_id,
        patron_id=charge.patron_id,
        loan_id=charge.loan_id,
        at=now,
        detail={"charge": charge.pk, "entry": entry.pk, "amount": str(entry.amount), **detail},
    )


# --- a lost item found ---------------------------------------------------------------------


@dataclass(frozen=True)
class FoundSettlement:
    """What `settle_found_lost` did to one lost-item charge (MONEY-10)."""

    charge: Charge
    unpaid_cancelled: Decimal  # what was still owed, now not owed
    refunded: Decimal  # what had been paid, handed back
    refunds: tuple[ChargeEntry, ...]  # one per way it was paid (cash, card, other)

    @property
    def message(self) -> str:
        said = []
        if self.refunded:
            ways = ", ".join(
                f"{money(r.amount)} by {r.get_method_display().lower()}" for r in self.refunds
            )
            said.append(f"refund {money(self.refunded)} to the patron ({ways})")
        if self.unpaid_cancelled:
            said.append(f"the unpaid {money(self.unpaid_cancelled)} is cancelled")
        return "Lost-item charge: " + ("; ".join(said) or "nothing was owed or paid") + "."


FOUND = "The lost item was found."


@transaction.atomic
def settle_found_lost(
    item: Item, staff: User | None, branch: Branch | None, *, now: dt.datetime | None = None
) -> list[FoundSettlement]:
    """For an item that was lost and is now found: refund what was paid towards its
    lost-item charges, each way it was paid, and cancel the rest, so nothing is owed or
    kept (MONEY-10). Charges already cancelled are left alone; returns what it did."""
    now = now or timezone.now()
    charges = list(
        Charge.objects.select_for_update(of=("self",))
        .filter(item=item, kind=Charge.Kind.LOST)
        .exclude(entries__kind=Kind.CANCEL)
        .select_related("library")
        .order_by("created_at", "pk")
    )
    sums = balances(charges)
    done = []
    for charge in charges:
        balance = sums[charge.pk]
        if balance.owed == ZERO and balance.kept == ZERO:
            continue  # waived in full: nothing to hand back or cancel
        unpaid = balance.owed
        refunds = []
        for method, part in _paid_by_method(charge, balance.kept):
            entry, balance = _enter(
                charge,
                balance,
                Kind.REFUND,
                part,
                "MONEY-10",
                staff,
                branch,
                now,
                method=method,
                reason=FOUND,
            )
            _event("refund", entry, charge, staff, branch, now, reason=FOUND, method=method)
            refunds.append(entry)
        if balance.owed > ZERO:
            entry, balance = _enter(
                charge,
                balance,
                Kind.CANCEL,
                balance.owed,
                "MONEY-10",
                staff,
                branch,
                now,
                reason=FOUND,
            )
            _event("charge_cancelled", entry, charge, staff, branch, now, reason=FOUND)
        done.append(
            FoundSettlement(charge, unpaid, sum((r.amount for r in refunds), ZERO), tuple(refunds))
        )
    return done


def _paid_by_method(charge: Charge, kept: Decimal) -> list[tuple[str, Decimal]]:
    """`kept` split by the way it was paid, the latest payments first: money goes back
    the way it came."""
    left = kept
    parts: dict[str, Decimal] = {}
    paid = charge.entries.filter(kind=Kind.PAYMENT).select_related("payment").order_by("-at", "-pk")
    for entry in paid:
        if left == ZERO:
            break
        part = min(left, entry.amount)
        method = entry.payment.method if entry.payment else Method.OTHER
        parts[method] = parts.get(method, ZERO) + part
        left -= part
    if left > ZERO:  # paid by no payment row: cannot happen, but never lose a cent
        parts[Method.OTHER] = parts.get(Method.OTHER, ZERO) + left
    return list(parts.items())


def access_charge(staff: Staff, pk: int) -> Charge:
    """A charge by id for staff: the central office, staff of the library owed or of the
    patron's home library. Others, and ids that do not exist, get the same 404."""
    found = Charge.objects.select_related("library", "patron", "item__title").filter(pk=pk).first()
    if found is not None and access.scope_of(staff).acts_for_any(
        {found.library_id, found.patron.home_library_id}
    ):
        return found
    raise NotFound("unknown_charge", f"There is no charge #{pk}, or it is not yours to see.")
