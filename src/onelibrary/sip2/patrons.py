"""The patron messages: status (23), information (63), end session (35).

A patron is found by card as at the desk (`patrons.lookup.find_patron`: a merged card
names the card to use) and their PIN (AD) is checked by the patron login of
`account.actions.log_in`, with its rate limits (SIP-7). Their record is read through
`patrons.access.open_patron` as the machine's staff user: audited like a desk read.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from onelibrary.account.access import AccountError
from onelibrary.account.actions import log_in
from onelibrary.circulation.lookup import out_and_owed
from onelibrary.circulation.models import Loan
from onelibrary.circulation.money import charge_lines
from onelibrary.core.refusals import Refusal
from onelibrary.holds.models import Hold
from onelibrary.patrons.access import PatronError, open_patron
from onelibrary.patrons.lookup import find_patron
from onelibrary.patrons.models import Patron, PatronAudit
from onelibrary.sip2 import codec
from onelibrary.sip2.session import Reply, Session

OPEN_HOLDS = (Hold.State.WAITING, Hold.State.ROUTED, Hold.State.IN_TRANSIT)
CURRENCY = "USD"


@dataclass(frozen=True)
class Identified:
    """Who a message names, and whether it may act for them."""

    card: str
    patron: Patron | None
    pin: str  # CQ: "Y" right, "N" wrong or refused, "" none given
    problem: str = ""  # what the machine shows the patron when it may not act

    @property
    def may_act(self) -> bool:
        return self.patron is not None and not self.problem


def _pin_key(card: str, pin: str) -> str:
    return salted_hmac("onelibrary.sip2.pin", f"{card}\0{pin}", algorithm="sha256").hexdigest()


def identify(session: Session, request: codec.Request) -> Identified:
    """The patron of `AA`, with their PIN of `AD` checked (SIP-7, SIP-8)."""
    assert session.account is not None
    card = request.get("AA").strip()
    try:
        patron = find_patron(card)
    except Refusal as refused:
        return Identified(card, None, "", refused.message)
    pin = request.get("AD")
    if not pin:
        missing = "Type your PIN." if session.account.require_pin else ""
        return Identified(card, patron, "", missing)
    verified = session.verified
    if verified and verified[0] == card and constant_time_compare(verified[1], _pin_key(card, pin)):
        return Identified(card, patron, "Y")  # SIP-8
    try:
        log_in(card, pin, address=session.pin_address)
    except AccountError as refused:
        session.verified = None
        return Identified(card, patron, "N", refused.message)
    session.verified = (card, _pin_key(card, pin))
    return Identified(card, patron, "Y")


def status_flags(patron: Patron, today: dt.date) -> str:
    """The 14 patron-status positions: 0 charge and 1 renewal privileges denied (an
    expired card or a staff block), 3 hold privileges denied (a staff block)."""
    flags = [" "] * 14
    if patron.expires_on < today or patron.block_reason:
        flags[0] = flags[1] = "Y"
    if patron.block_reason:
        flags[3] = "Y"
    return "".join(flags)


def _name(session: Session, patron: Patron, what: str) -> str:
    """The patron's name as the machine's staff user may see it; the read is audited."""
    assert session.account is not None
    try:
        view = open_patron(
            session.account.user,
            patron,
            via=PatronAudit.Via.DESK,
            context=f"SIP2 {what}, account {session.account.login} at "
            f"{session.account.branch.code}",
        )
    except PatronError:
        return ""
    return " ".join(v for v in (view.values.get("first_name"), view.values.get("last_name")) if v)


def _head(request: codec.Request, found: Identified) -> tuple[str, str, str]:
    """Patron status, language, date: the start of 24 and 64."""
    flags = status_flags(found.patron, timezone.localdate()) if found.patron else "Y" * 14
    return flags, request.fixed.get("language", "000"), codec.sip_date()


def money(amount: object) -> str:
    return f"{amount:.2f}"


def patron_status(session: Session, request: codec.Request) -> Reply:
    """23 → 24."""
    assert session.account is not None
    found = identify(session, request)
    patron = found.patron if found.may_act else None
    owed = out_and_owed(patron)[1] if patron else None
    return Reply(
        "24",
        list(_head(request, found)),
        [
            ("AO", session.account.branch.library.code),
            ("AA", found.card),
            ("AE", _name(session, patron, "patron status") if patron else ""),
            ("BL", "Y" if found.patron else "N"),
            ("CQ", found.pin or None),
            ("BH", CURRENCY if owed is not None else None),
            ("BV", money(owed) if owed is not None else None),
            ("AF", found.problem or None),
        ],
    )


def _window(request: codec.Request) -> slice:
    """BP..BQ, 1-based and inclusive (the items the machine asked to see)."""
    try:
        start = max(1, int(request.get("BP", "1")))
        end = max(start, int(request.get("BQ", str(start + 49))))
    except ValueError:
        start, end = 1, 50
    return slice(start - 1, end)


def patron_information(session: Session, request: codec.Request) -> Reply:
    """63 → 64: counts always; the items of the one summary position asked for."""
    assert session.account is not None
    found = identify(session, request)
    patron = found.patron if found.may_act else None
    lists: dict[str, list[str]] = {k: [] for k in ("AS", "AT", "AU", "AV", "BU", "CD")}
    owed = None
    if patron is not None:
        today = timezone.localdate()
        loans = list(
            Loan.objects.filter(patron=patron, state=Loan.State.ACTIVE)
            .select_related("item")
            .order_by("due_date", "pk")
        )
        holds = Hold.objects.filter(patron=patron).select_related("title", "item")
        lists["AS"] = [h.title.title for h in holds.filter(state=Hold.State.ON_SHELF)]
        lists["AT"] = [loan.item.barcode for loan in loans if loan.due_date < today]
        lists["AU"] = [loan.item.barcode for loan in loans]
        # What each open charge still owes (the desk's one definition), with its number
        # for fee paid's CG.
        lists["AV"] = [
            f"#{line.charge.pk} {money(line.balance.owed)} {line.charge.get_kind_display()}: "
            f"{line.charge.item.title.title} ({line.charge.item.barcode})"
            for line in charge_lines(patron)
        ]
        lists["CD"] = [h.title.title for h in holds.filter(state__in=OPEN_HOLDS)]
        owed = out_and_owed(patron)[1]
    counts = [f"{len(lists[k]):04d}" for k in ("AS", "AT", "AU", "AV", "BU", "CD")]
    summary = request.fixed.get("summary", "")
    asked = summary.find("Y")
    shown: list[tuple[str, str | None]] = []
    if patron is not None and 0 <= asked < 6:
        key = ("AS", "AT", "AU", "AV", "BU", "CD")[asked]
        shown = [(key, value) for value in lists[key][_window(request)]]
    return Reply(
        "64",
        [*_head(request, found), *counts],
        [
            ("AO", session.account.branch.library.code),
            ("AA", found.card),
            ("AE", _name(session, patron, "patron information") if patron else ""),
            ("BL", "Y" if found.patron else "N"),
            ("CQ", found.pin or None),
            ("BH", CURRENCY if owed is not None else None),
            ("BV", money(owed) if owed is not None else None),
            *shown,
            ("AF", found.problem or None),
        ],
    )


def end_session(session: Session, request: codec.Request) -> Reply:
    """35 → 36: the patron is done; the PIN checked for them is forgotten."""
    assert session.account is not None
    session.verified = None
    return Reply(
        "36",
        ["Y", codec.sip_date()],
        [("AO", session.account.branch.library.code), ("AA", request.get("AA"))],
    )
