"""Fee paid (37 → 38): the desk's payment action, `circulation.money.take_payment` (SIP-10).

The payment is taken as the machine's staff user at its branch, so the desk's rules hold:
the amount must be money (MONEY-2) and no more than is owed (MONEY-3), and it goes only
to charges owed to the machine's library (MONEY-4). The machine's transaction id (BK)
is the payment's one-time token: a machine that sends the same payment again, not having
seen our answer, pays once (MONEY-5).
"""

from __future__ import annotations

import hashlib

from onelibrary.circulation.money import take_payment
from onelibrary.core.refusals import Refusal
from onelibrary.sip2 import codec
from onelibrary.sip2.patrons import identify, money
from onelibrary.sip2.session import Reply, Session

# SIP2 payment types: 00 cash, 01 VISA, 02 credit card; anything else is "other".
METHODS = {"00": "cash", "01": "card", "02": "card"}
CURRENCIES = {"USD", "   "}  # a blank currency: the library's own


def _token(login: str, transaction: str) -> str | None:
    if not transaction:
        return None
    digest = hashlib.sha256(f"{login}\0{transaction}".encode()).hexdigest()
    return f"sip2:{digest[:59]}"  # Payment.token holds 64 characters


def _charge_ids(fee_id: str) -> list[int] | None:
    """CG names one charge by the number 64 shows before it (`#17 0.75 …`)."""
    fee_id = fee_id.strip().lstrip("#")
    if not fee_id:
        return None
    if not fee_id.isdigit():
        raise Refusal(
            "invalid_input",
            f"The fee identifier {fee_id[:20]!r} is not a charge number. Leave it out to pay "
            "the oldest charges first.",
            decision="MONEY-3",
        )
    return [int(fee_id)]


def fee_paid(session: Session, request: codec.Request) -> Reply:
    """37 → 38: Y when the desk's payment action took it (or had taken it: MONEY-5)."""
    assert session.account is not None
    account = session.account
    found = identify(session, request)
    transaction = request.get("BK").strip()
    accepted, message = False, found.problem
    if found.may_act and found.patron is not None:
        try:
            if request.fixed["currency"] not in CURRENCIES:
                raise Refusal(
                    "invalid_input",
                    f"This library takes payments in USD, not {request.fixed['currency']}.",
                    decision="MONEY-2",
                )
            taken = take_payment(
                account.user,
                account.branch,
                found.patron,
                request.get("BV"),
                METHODS.get(request.fixed["payment_type"], "other"),
                charge_ids=_charge_ids(request.get("CG")),
                reference=f"SIP2 {account.login} {transaction}".strip()[:100],
                token=_token(account.login, transaction),
            )
        except Refusal as refused:
            message = refused.message
        else:
            accepted = True
            payment = taken.payment
            message = (
                f"Paid {money(payment.amount)}. Still owed: {money(payment.owed_after)}. "
                f"Receipt number {payment.pk}."
            )
    return Reply(
        "38",
        ["Y" if accepted else "N", codec.sip_date()],
        [
            ("AO", account.branch.library.code),
            ("AA", found.card),
            ("BK", transaction or None),
            ("AF", message or None),
        ],
    )
