"""The staff desk: choose a branch, check items out and in, renew, deal with refused scans.

Views are plain functions. They find nothing and change nothing themselves: every scan
goes through `circulation.scans`, every renewal through `circulation.actions.renew`, and
the page shows the Outcome or the refusal. Each scan screen works as a plain form POST
(post, redirect, show) and, with JavaScript, as htmx requests that return one result line.
The desk's state — branch, patron, result lines — lives in the session.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from onelibrary.circulation import actions, money_pages, printing, scans
from onelibrary.circulation.lookup import (
    CirculationError,
    Outcome,
    blocks_for,
    out_and_owed,
)
from onelibrary.circulation.models import Loan, UnprocessedScan
from onelibrary.core.requests import AuthenticatedHttpRequest, HtmxHttpRequest
from onelibrary.members.access import scope_of
from onelibrary.members.desk import (
    SESSION_LINES,
    SESSION_PATRON,
    SESSION_RENEWALS,
    desk_page,
    forbidden,
    go,
)
from onelibrary.members.desk_forms import ItemScanForm, PatronScanForm, RenewForm, scan_error
from onelibrary.members.models import Branch
from onelibrary.patrons.access import PatronError, find_card, open_patron
from onelibrary.patrons.models import Patron
from onelibrary.policy.lookup import load_rules
from onelibrary.policy.resolve import NoRuleError, Situation, resolve

MAX_LINES = 40  # result lines kept on a screen; older ones drop off the bottom
# A refused card, shown once by the page the refusal redirects to (post, redirect, get).
SESSION_PATRON_ERROR = "desk_patron_error"


# --- result lines kept in the session ---------------------------------------------


def _lines(request: HttpRequest, screen: str) -> list[dict[str, Any]]:
    return list(request.session.get(SESSION_LINES[screen], []))


def _keep_line(request: HttpRequest, screen: str, line: dict[str, Any], replaces: str) -> None:
    """Add a line at the top, or put it in place of the line an override re-submitted."""
    lines = _lines(request, screen)
    at = next((i for i, old in enumerate(lines) if replaces and old["id"] == replaces), None)
    if at is None:
        lines.insert(0, line)
    else:
        lines[at] = line
    request.session[SESSION_LINES[screen]] = lines[:MAX_LINES]


def _line(kind: str, label: str, instruction: str, message: str, barcode: str) -> dict[str, Any]:
    return {
        "id": secrets.token_hex(6),
        "kind": kind,
        "label": label,
        "instruction": instruction,
        "message": message,
        "barcode": barcode,
        "title": "",
        "overridable": False,
        "decision": "",
        "at": timezone.localtime().strftime("%H:%M:%S"),
    }


def _outcome_line(outcome: Outcome, kind: str, label: str) -> dict[str, Any]:
    line = _line(kind, label, outcome.instruction, outcome.message, outcome.item.barcode)
    line.update(title=outcome.item.title.title, decision=outcome.decision)
    return line


def _refusal_line(error: CirculationError, barcode: str, instruction: str) -> dict[str, Any]:
    line = _line("error", "Refused", instruction, error.message, barcode)
    line.update(overridable=error.overridable, decision=error.decision)
    if error.decision in ("CHECKOUT-6", "CHECKOUT-7", "CHECKOUT-8") and not error.overridable:
        line["message"] += " Only a library admin or the central office may override a block."
    return line


# --- checkout ----------------------------------------------------------------------


def _desk_patron(request: HttpRequest) -> Patron | None:
    patron_id = request.session.get(SESSION_PATRON)
    if patron_id is None:
        return None
    active = Patron.objects.filter(merged_into=None, erased_at=None)  # not merged or erased since
    patron = active.select_related("home_library").filter(pk=patron_id).first()
    if patron is None:
        request.session.pop(SESSION_PATRON, None)
    return patron


def patron_summary(patron: Patron, branch: Branch, staff: User) -> dict[str, Any]:
    """What the desk sees when a card is scanned.

    The blocks shown use the rules that govern this patron at this library in general;
    the checkout of each item applies the rules for that item and says so if it is blocked.
    The record itself is shown through `patrons.access` (only permitted fields; audited).
    """
    today = timezone.localdate()
    situation = Situation(
        library=branch.library.code, patron_category=patron.category, item_type="", collection=""
    )
    try:
        blocks = [b.message for b in blocks_for(patron, resolve(load_rules(), situation), today)]
    except NoRuleError:
        blocks = ["The group has no default circulation rule yet, so nothing can be lent."]
    items_out, owed = out_and_owed(patron)
    return {
        "patron": open_patron(staff, patron, via="desk", library=branch.library),
        "expired": patron.expires_on < today,
        "items_out": items_out,
        "owed": owed,
        "blocks": blocks,
    }


@desk_page()
def checkout(request: AuthenticatedHttpRequest, branch: Branch) -> HttpResponse:
    patron = _desk_patron(request)
    return render(
        request,
        "circulation/checkout.html",
        {
            "branch": branch,
            "summary": patron_summary(patron, branch, request.user) if patron else None,
            "patron_form": PatronScanForm(),
            "patron_error": request.session.pop(SESSION_PATRON_ERROR, ""),
            "item_form": ItemScanForm(),
            "lines": _lines(request, "checkout") if patron else [],
        },
    )


@require_POST
@desk_page()
def checkout_patron(request: AuthenticatedHttpRequest, branch: Branch) -> HttpResponse:
    """A patron's card scanned: start a checkout for them, or say why not.

    A refused card comes back with an empty field, ready for the next scan. Either way
    the answer is a redirect: reloading the page shows it again and records no second
    unprocessed scan.
    """
    form = PatronScanForm(request.POST)
    if not form.is_valid():
        if not request.POST.get("card", "").strip():
            return redirect("desk:checkout")
        error = scan_error(form, "card")
    else:
        try:
            patron = scans.patron_scan(request.user, branch, form.cleaned_data["card"])
        except CirculationError as refusal:
            error = refusal.message
        else:
            request.session[SESSION_PATRON] = patron.pk
            request.session[SESSION_LINES["checkout"]] = []
            return redirect("desk:checkout")
    request.session[SESSION_PATRON_ERROR] = error
    return redirect("desk:checkout")


@require_POST
@desk_page()
def checkout_item(request: AuthenticatedHttpRequest, branch: Branch) -> HttpResponse:
    """An item scanned for the patron at the desk: lend it, or say why not and what to do."""
    patron = _desk_patron(request)
    if patron is None:
        return go(request, reverse("desk:checkout"))
    form = ItemScanForm(request.POST)
    if not form.is_valid():
        if "barcode" in form.errors and not request.POST.get("barcode", "").strip():
            return _nothing_scanned(request, "desk:checkout")
        line = _line("error", "Refused", "NOT CHECKED OUT", scan_error(form, "barcode"), "")
        replaces = ""
    else:
        barcode = form.cleaned_data["barcode"].strip()
        replaces = form.cleaned_data["line"]
        try:
            outcome = scans.checkout_scan(
                request.user,
                branch,
                patron.card,
                barcode,
                override_reason=form.cleaned_data["override_reason"],
            )
        except CirculationError as error:
            line = _refusal_line(error, barcode, "NOT CHECKED OUT")
            line.update(money_pages.clears(error.decision, patron.card))  # MONEY-12
        else:
            if outcome.repeated:
                line = _outcome_line(outcome, "repeat", "Already out")
            elif outcome.decision in ("CHECKOUT-9", "MONEY-11"):
                line = _outcome_line(outcome, "ok", "Checked out (block overridden)")
            else:
                line = _outcome_line(outcome, "ok", "Checked out")
    _keep_line(request, "checkout", line, replaces)
    if not request.htmx:
        return redirect("desk:checkout")
    return render(
        request,
        "circulation/checkout_result.html",
        {
            "line": line,
            "summary": patron_summary(patron, branch, request.user),
        },
    )


def _nothing_scanned(request: HtmxHttpRequest, back: str) -> HttpResponse:
    """Enter pressed on an empty field: nothing to do, nothing to keep."""
    if request.htmx:
        return HttpResponse(status=204)
    return redirect(back)


@require_POST
@desk_page()
def checkout_done(request: AuthenticatedHttpRequest, branch: Branch) -> HttpResponse:
    """Finished with this patron: clear the screen for the next one."""
    request.session.pop(SESSION_PATRON, None)
    request.session.pop(SESSION_LINES["checkout"], None)
    return redirect("desk:checkout")


# --- checkin -----------------------------------------------------------------------

CHECKIN_KINDS = (  # instruction starts with -> (colour class, text label)
    ("SHELVE", "shelve", "Shelve"),
    ("SEND TO", "send", "Send"),
    ("HOLD SHELF", "hold", "Hold shelf"),
    ("SET ASIDE", "aside", "Set aside"),
)


def checkin_line(outcome: Outcome) -> dict[str, Any]:
    kind, label = next(
        (
            (kind, label)
            for start, kind, label in CHECKIN_KINDS
            if outcome.instruction.startswith(start)
        ),
        ("send", "Check"),
    )
    if outcome.repeated:
        label += " (repeat scan)"
    return _outcome_line(outcome, kind, label)


CAPTURED = ("CHECKIN-16", "CHECKIN-17", "CHECKIN-18", "CHECKIN-19")  # a hold has the copy


def slip_url(staff: User, outcome: Outcome) -> str:
    """The hold slip's address when the checkin gave the copy to a hold and this staff
    member works for its pickup branch's library (who may print it: circulation.printing)."""
    if outcome.decision not in CAPTURED:
        return ""
    return printing.slip_url(staff, outcome.item)


@desk_page()
def checkin(request: AuthenticatedHttpRequest, branch: Branch) -> HttpResponse:
    return render(
        request,
        "circulation/checkin.html",
        {"branch": branch, "item_form": ItemScanForm(), "lines": _lines(request, "checkin")},
    )


@require_POST
@desk_page()
def checkin_item(request: AuthenticatedHttpRequest, branch: Branch) -> HttpResponse:
    form = ItemScanForm(request.POST)
    if not form.is_valid():
        if not request.POST.get("barcode", "").strip():
            return _nothing_scanned(request, "desk:checkin")
        line = _line("error", "Refused", "NOT CHECKED IN", scan_error(form, "barcode"), "")
    else:
        barcode = form.cleaned_data["barcode"].strip()
        try:
            outcome = scans.checkin_scan(request.user, branch, barcode)
        except CirculationError as error:
            line = _refusal_line(error, barcode, "NOT CHECKED IN")
        else:
            line = checkin_line(outcome)
            line["slip"] = slip_url(request.user, outcome)
    _keep_line(request, "checkin", line, "")
    if not request.htmx:
        return redirect("desk:checkin")
    return render(request, "circulation/checkin_result.html", {"line": line})


@require_POST
@desk_page()
def checkin_clear(request: AuthenticatedHttpRequest, branch: Branch) -> HttpResponse:
    request.session.pop(SESSION_LINES["checkin"], None)
    return redirect("desk:checkin")


# --- a patron's loans --------------------------------------------------------------


def _open_loans(patron: Patron) -> QuerySet[Loan]:
    return (
        Loan.objects.filter(patron=patron)
        .exclude(state=Loan.State.RETURNED)
        .select_related("item__title", "checkout_branch")
        .order_by("due_date", "pk")
    )


@desk_page()
def patron_loans(request: AuthenticatedHttpRequest, branch: Branch, card: str) -> HttpResponse:
    try:
        patron = find_card(card)
    except PatronError as error:
        raise Http404(error.message) from error
    today = timezone.localdate()
    rows = [
        {
            "loan": loan,
            "overdue": loan.state == Loan.State.ACTIVE and loan.due_date < today,
            "allowed": int((loan.rule.get("renewals_allowed") or {}).get("value") or 0),
        }
        for loan in _open_loans(patron)
    ]
    results = request.session.pop(SESSION_RENEWALS, [])
    return render(
        request,
        "circulation/loans.html",
        {
            "branch": branch,
            "summary": patron_summary(patron, branch, request.user),
            "rows": rows,
            "results": results,
            "today": today,
        },
    )


@require_POST
@desk_page()
def renew_loans(request: AuthenticatedHttpRequest, branch: Branch, card: str) -> HttpResponse:
    """Renew one loan (`loan`) or all the patron's active loans (no `loan`)."""
    patron = get_object_or_404(Patron, card=card)
    form = RenewForm(request.POST)
    if not form.is_valid():
        raise Http404("No such loan.")
    if form.cleaned_data["loan"] is not None:
        loans = [get_object_or_404(_open_loans(patron), pk=form.cleaned_data["loan"])]
    else:
        loans = list(_open_loans(patron).filter(state=Loan.State.ACTIVE))
    results = []
    for loan in loans:
        try:
            outcome = actions.renew(
                loan,
                staff=request.user,
                branch=branch,
                override_reason=form.cleaned_data["override_reason"].strip(),
            )
        except CirculationError as error:
            results.append(
                {
                    "kind": "error",
                    "loan": loan.pk,
                    "title": loan.item.title.title,
                    "message": error.message,
                    "overridable": error.overridable,
                }
            )
        else:
            results.append(
                {
                    "kind": "ok",
                    "loan": loan.pk,
                    "title": loan.item.title.title,
                    "instruction": outcome.instruction,
                    "message": outcome.message,
                }
            )
    if not loans:
        results.append({"kind": "error", "message": "Nothing to renew: no loans are on loan."})
    request.session[SESSION_RENEWALS] = results
    return redirect("desk:patron_loans", card=patron.card)


# --- unprocessed scans -------------------------------------------------------------


def _unprocessed_for(user: User) -> QuerySet[UnprocessedScan]:
    scans_ = UnprocessedScan.objects.filter(resolved_at__isnull=True).select_related(
        "branch", "staff"
    )
    scope = scope_of(user)
    return scans_ if scope.central else scans_.filter(branch__library_id__in=scope.libraries)


@desk_page()
def unprocessed(request: AuthenticatedHttpRequest, branch: Branch) -> HttpResponse:
    waiting = _unprocessed_for(request.user)
    return render(
        request,
        "circulation/unprocessed.html",
        {"branch": branch, "scans": waiting[:200], "count": waiting.count()},
    )


@require_POST
@desk_page()
def resolve_unprocessed(request: AuthenticatedHttpRequest, branch: Branch, pk: int) -> HttpResponse:
    scan = get_object_or_404(UnprocessedScan.objects.select_related("branch"), pk=pk)
    try:
        scans.resolve_unprocessed_scan(request.user, scan)
    except CirculationError as error:
        return forbidden(request, error.message)
    return redirect("desk:unprocessed")
