"""The item messages: information (17), checkout (11), checkin (09), renew (29, 65).

Each runs what the desk runs, as the machine's staff user at its branch: checkout and
checkin through `circulation.scans` (a refused scan is kept as an `UnprocessedScan`),
renewals through `circulation.actions.renew`. So the same rules, decisions and events
apply, and each event names the SIP2 account and branch (SIP-6).
"""

from __future__ import annotations

from django.db.models import Q

from onelibrary.catalog.models import Item
from onelibrary.circulation import actions, scans
from onelibrary.circulation.lookup import CirculationError, Outcome
from onelibrary.circulation.models import Loan
from onelibrary.core.refusals import Refusal
from onelibrary.holds.models import Hold
from onelibrary.patrons.lookup import find_item
from onelibrary.sip2 import codec
from onelibrary.sip2.patrons import identify
from onelibrary.sip2.session import Reply, Session

# SIP2 circulation status (18) for each copy status.
CIRCULATION_STATUS: dict[str, str] = {
    Item.Status.AVAILABLE: "03",
    Item.Status.CHECKED_OUT: "04",
    Item.Status.IN_PROCESSING: "06",
    Item.Status.ON_HOLD_SHELF: "08",
    Item.Status.IN_TRANSIT: "10",
    Item.Status.LOST: "12",
    Item.Status.MISSING: "13",
    Item.Status.DAMAGED: "01",
    Item.Status.WITHDRAWN: "01",
}


def _code(session: Session) -> str:
    assert session.account is not None
    return session.account.branch.library.code


def _due(loan: Loan | None) -> str | None:
    return f"{loan.due_date:%Y-%m-%d}" if loan is not None else None


def item_information(session: Session, request: codec.Request) -> Reply:
    """17 → 18: status, title, due date, owner, home and current branch."""
    barcode = request.get("AB").strip()
    try:
        item = find_item(barcode)
    except Refusal as refused:
        return Reply(
            "18",
            ["01", "00", "01", codec.sip_date()],
            [("AB", barcode), ("AJ", ""), ("AF", refused.message)],
        )
    loan = Loan.objects.filter(item=item, state=Loan.State.ACTIVE).first()
    queue = Hold.objects.filter(
        Q(title=item.title, item=None) | Q(item=item),
        state__in=(Hold.State.WAITING, Hold.State.ROUTED),
    ).count()
    return Reply(
        "18",
        [CIRCULATION_STATUS.get(item.status, "01"), "00", "01", codec.sip_date()],
        [
            ("CF", str(queue)),
            ("AH", _due(loan)),
            ("AB", item.barcode),
            ("AJ", item.title.title),
            ("BG", item.owning_library.code),
            ("AQ", item.home_branch.code),
            ("AP", item.current_branch.code),
            ("AF", item.get_status_display()),
        ],
    )


def checkout(session: Session, request: codec.Request) -> Reply:
    """11 → 12, through the desk's `checkout_scan` (SIP-9 for a refusal)."""
    assert session.account is not None
    barcode = request.get("AB").strip()
    found = identify(session, request)
    outcome: Outcome | None = None
    message = found.problem
    # An unknown card goes to the desk's scan too, which refuses it and keeps it (CHECKOUT-14).
    if found.may_act or found.patron is None:
        try:
            outcome = scans.checkout_scan(
                session.account.user, session.account.branch, found.card, barcode
            )
            message = outcome.message
        except CirculationError as refused:
            message = refused.message
    title = outcome.item.title.title if outcome else ""
    lent = outcome is not None
    return Reply(
        "12",
        ["1" if lent else "0", "N", "N", "Y" if lent else "N", codec.sip_date()],
        [
            ("AO", _code(session)),
            ("AA", found.card),
            ("AB", barcode),
            ("AJ", title),
            ("AH", _due(outcome.loan) if outcome else ""),
            ("AF", message or None),
        ],
    )


def checkin(session: Session, request: codec.Request) -> Reply:
    """09 → 10, through the desk's `checkin_scan`. The desk's instruction (shelve, hold
    shelf, send to X) is the sort bin (CL) and the first screen line; alert (Y) when the
    copy does not go back on this branch's shelf (SIP-11)."""
    assert session.account is not None
    barcode = request.get("AB").strip()
    try:
        outcome = scans.checkin_scan(session.account.user, session.account.branch, barcode)
    except CirculationError as refused:
        return Reply(
            "10",
            ["0", "N", "U", "Y", codec.sip_date()],
            [("AO", _code(session)), ("AB", barcode), ("AQ", ""), ("AF", refused.message)],
        )
    item = outcome.item
    stays = (
        item.status == Item.Status.AVAILABLE and item.current_branch_id == session.account.branch.pk
    )
    return Reply(
        "10",
        ["1", "Y", "U", "N" if stays else "Y", codec.sip_date()],
        [
            ("AO", _code(session)),
            ("AB", item.barcode),
            ("AQ", item.home_branch.code),
            ("AJ", item.title.title),
            ("CL", outcome.instruction),
            ("AF", outcome.instruction),
            ("AF", outcome.message),
        ],
    )


def _renew_one(session: Session, loan: Loan) -> tuple[Outcome | None, str]:
    assert session.account is not None
    try:
        outcome = actions.renew(loan, staff=session.account.user, branch=session.account.branch)
    except CirculationError as refused:
        return None, refused.message
    return outcome, outcome.message


def renew(session: Session, request: codec.Request) -> Reply:
    """29 → 30: one of the patron's loans, by item barcode (SIP-12)."""
    barcode = request.get("AB").strip()
    found = identify(session, request)
    outcome, message = None, found.problem
    if found.may_act:
        loan = (
            Loan.objects.filter(patron=found.patron, item__barcode=barcode, state=Loan.State.ACTIVE)
            .select_related("item__title")
            .first()
        )
        if loan is None:
            message = f"{barcode} is not on loan to you, so it cannot be renewed here."
        else:
            outcome, message = _renew_one(session, loan)
    renewed = outcome is not None
    return Reply(
        "30",
        ["1" if renewed else "0", "Y" if renewed else "N", "U", "N", codec.sip_date()],
        [
            ("AO", _code(session)),
            ("AA", found.card),
            ("AB", barcode),
            ("AJ", outcome.item.title.title if outcome else ""),
            ("AH", _due(outcome.loan) if outcome else ""),
            ("AF", message or None),
        ],
    )


def renew_all(session: Session, request: codec.Request) -> Reply:
    """65 → 66: every active loan of the patron; renewed (BM) and not (BN) by barcode."""
    found = identify(session, request)
    renewed: list[str] = []
    unrenewed: list[str] = []
    messages = [found.problem] if found.problem else []
    if found.may_act:
        loans = Loan.objects.filter(patron=found.patron, state=Loan.State.ACTIVE)
        for loan in loans.select_related("item__title").order_by("due_date", "pk"):
            outcome, message = _renew_one(session, loan)
            (renewed if outcome else unrenewed).append(loan.item.barcode)
            if outcome is None:
                messages.append(message)
    return Reply(
        "66",
        [
            "1" if found.may_act else "0",
            f"{len(renewed):04d}",
            f"{len(unrenewed):04d}",
            codec.sip_date(),
        ],
        [
            ("AO", _code(session)),
            *[("BM", b) for b in renewed],
            *[("BN", b) for b in unrenewed],
            *[("AF", m) for m in messages],
        ],
    )
