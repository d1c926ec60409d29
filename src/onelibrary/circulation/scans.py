"""What the desk pages and the API call: a typed scan in, an Outcome or a kept refusal out.

Every refused scan is kept as an `UnprocessedScan` for staff to deal with: none is lost.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from onelibrary.circulation.actions import check_in, check_out
from onelibrary.circulation.lookup import (
    CirculationError,
    Outcome,
    role_at,
)
from onelibrary.circulation.models import Event, UnprocessedScan
from onelibrary.core.duedates import NoOpenDayError
from onelibrary.members.access import can_act_for_library, is_central_office
from onelibrary.members.models import Branch
from onelibrary.patrons.access import PatronError, find_card
from onelibrary.patrons.lookup import find_item, find_patron
from onelibrary.patrons.models import Patron
from onelibrary.policy.resolve import NoRuleError

# Errors in the group's set-up rather than in the scan: still refused, kept and explained.
SETUP_ERRORS = {NoRuleError: "policy_incomplete", NoOpenDayError: "no_open_day"}


def _keep_failed_scan(
    staff: User,
    branch: Branch | None,
    screen: str,
    error: CirculationError,
    *,
    barcode: str = "",
    card: str = "",
) -> None:
    UnprocessedScan.objects.create(
        staff=staff,
        branch=branch,
        screen=screen,
        barcode=barcode,
        patron_card=card,
        code=error.code,
        message=error.message,
    )


def checkout_scan(
    staff: User, branch: Branch, card: str, barcode: str, *, override_reason: str = ""
) -> Outcome:
    try:
        patron = find_patron(card)
        item = find_item(barcode)
        return check_out(staff, branch, patron, item, override_reason=override_reason)
    except (CirculationError, NoRuleError, NoOpenDayError) as raised:
        error = as_refusal(raised)
        _keep_failed_scan(staff, branch, "checkout", error, barcode=barcode, card=card)
        raise error from raised


def checkin_scan(staff: User, branch: Branch, barcode: str) -> Outcome:
    try:
        return check_in(staff, branch, find_item(barcode))
    except (CirculationError, NoRuleError, NoOpenDayError) as raised:
        error = as_refusal(raised)
        _keep_failed_scan(staff, branch, "checkin", error, barcode=barcode)
        raise error from raised


def as_refusal(raised: CirculationError | NoRuleError | NoOpenDayError) -> CirculationError:
    if isinstance(raised, CirculationError):
        return raised
    return CirculationError(
        SETUP_ERRORS[type(raised)],
        f"{raised} Ask the central office to fix the group's set-up; the scan is kept.",
    )


# --- desk pages (added with the desk screens) ---------------------------------------


def patron_scan(staff: User, branch: Branch, card: str) -> Patron:
    """The patron a checkout starts with; an unknown card is refused and kept (CHECKOUT-14).

    The card is found by `patrons.access` (a merged card is answered with the new one, a
    mistyped one named as such); the desk's patron panel shows the record through it too.
    """
    try:
        role_at(staff, branch)  # CHECKOUT-15
        try:
            return find_card(card)
        except PatronError as refused:
            raise CirculationError(refused.code, refused.message) from refused
    except CirculationError as error:
        _keep_failed_scan(staff, branch, "checkout", error, card=card)
        raise


@transaction.atomic
def resolve_unprocessed_scan(staff: User, scan: UnprocessedScan) -> bool:
    """Mark a kept scan dealt with. False when someone else already had: nothing changes.

    Only staff of the branch's library (or the central office) may; a scan kept without a
    branch is the central office's.
    """
    library_id = scan.branch.library_id if scan.branch else None
    allowed = (
        can_act_for_library(staff, library_id)
        if library_id is not None
        else is_central_office(staff)
    )
    if not allowed:
        raise CirculationError(
            "not_your_library",
            "This scan was made at another library's desk; its own staff deal with it.",
        )
    now = timezone.now()
    updated = UnprocessedScan.objects.filter(pk=scan.pk, resolved_at__isnull=True).update(
        resolved_at=now, resolved_by=staff
    )
    if updated:
        Event.objects.create(
            kind="scan_resolved",
            staff=staff,
            branch=scan.branch,
            at=now,
            detail={"scan_id": scan.pk, "screen": scan.screen, "code": scan.code},
        )
    return updated == 1


# --- a patron's own data: export and erasure (records/privacy.py) ----------------------

ERASED_CARD = "(erased card)"


def scans_holding_card(card: str) -> list[dict[str, object]]:
    """The refused scans that hold this card (typed as a card, or scanned as an item)."""
    scans = UnprocessedScan.objects.filter(_holding(card)).select_related("branch")
    return [
        {
            "at": scan.at.isoformat(),
            "screen": scan.screen,
            "branch": scan.branch.name if scan.branch else None,
            "code": scan.code,
            "message": scan.message,
        }
        for scan in scans.order_by("at", "pk")
    ]


def forget_card(card: str) -> int:
    """Blank the card in the refused scans that hold it; the scans themselves stay (a
    refused scan is never dropped: staff still see that something was refused)."""
    if not card:
        return 0
    changed = []
    for scan in UnprocessedScan.objects.filter(_holding(card)):
        scan.barcode = ERASED_CARD if scan.barcode == card else scan.barcode
        scan.patron_card = ERASED_CARD if scan.patron_card == card else scan.patron_card
        scan.message = scan.message.replace(card, ERASED_CARD)
        changed.append(scan)
    return UnprocessedScan.objects.bulk_update(changed, ["barcode", "patron_card", "message"])


def _holding(card: str) -> Q:
    return Q(patron_card=card) | Q(barcode=card) | Q(message__contains=card)
