"""Pages for damage reports and disputes (docs/ledger.md): the list, a new report (from a
checkin line or a crate's unpacking), one report with its photos, thread and decision,
and its answers. Reads go through `disputes.visible_reports`; writes are
`ledger.disputes`' actions. Photos are streamed here, to staff who may see the report,
and from nowhere else.
"""

from __future__ import annotations

from decimal import Decimal
from typing import IO, Any

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from onelibrary.catalog.access import access_item
from onelibrary.ledger import disputes
from onelibrary.ledger.book import LedgerRefusal
from onelibrary.ledger.models import Entry
from onelibrary.ledger.report_models import DamageReport, Decision, Photo
from onelibrary.members.access import AccessError, NotFound
from onelibrary.members.models import Library

State = DamageReport.State


def uploads(request: HttpRequest) -> list[tuple[str, IO[bytes]]]:
    return [(f.name or "photo", f) for f in request.FILES.getlist("photos")]


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@login_required
def reports(request: HttpRequest) -> HttpResponse:
    found = disputes.visible_reports(request.user)
    state = request.GET.get("state", "")
    if state in State.values:
        found = found.filter(state=state)
    return render(
        request,
        "ledger/reports.html",
        {
            "reports": found[:200],
            "state": state,
            "states": State.choices,
        },
    )


@login_required
def new_report(request: HttpRequest) -> HttpResponse:
    disputes.visible_reports(request.user)  # staff only
    data: Any = request.POST if request.method == "POST" else request.GET
    where = data.get("where", DamageReport.Where.CHECKIN)
    context: dict[str, Any] = {
        "barcode": data.get("barcode", "").strip(),
        "where": where if where in DamageReport.Where.values else "checkin",
        "wheres": DamageReport.Where.choices,
        "note": data.get("note", ""),
        "back": data.get("back", ""),
        "error": "",
    }
    if request.method != "POST":
        return render(request, "ledger/report_new.html", context)
    try:
        item = access_item(request.user, context["barcode"], for_change=False)
        report = disputes.report_damage(
            _user(request), item, where, note=context["note"], photos=uploads(request)
        )
    except (LedgerRefusal, AccessError) as refusal:
        context["error"] = refusal.message
        return render(request, "ledger/report_new.html", context, status=422)
    return redirect("ledger:report", pk=report.pk)


def _report_context(request: HttpRequest, report: DamageReport, error: str = "") -> dict[str, Any]:
    central = disputes.may_decide(request.user)
    return {
        "report": report,
        "photos": report.photos.filter(message__isnull=True),
        "messages": report.messages.select_related("author", "library").prefetch_related("photos"),
        "decision": Decision.objects.filter(report=report).first(),
        "entries": Entry.objects.filter(source_kind=disputes.SOURCE, source_id=str(report.pk)),
        "may_answer": disputes.may_answer(request.user, report)
        and report.state in disputes.ANSWERABLE,
        "may_dispute": disputes.may_answer(request.user, report) and report.state == State.OPEN,
        "thread_open": report.state in disputes.THREAD_OPEN,
        "may_decide": central and report.state in (State.DISPUTED, State.ESCALATED),
        "outcomes": Decision.Outcome.choices,
        "libraries": Library.objects.order_by("name") if central else [],
        "error": error,
    }


@login_required
def report(request: HttpRequest, pk: int) -> HttpResponse:
    found = disputes.access_report(request.user, pk)
    return render(request, "ledger/report.html", _report_context(request, found))


def _refused(request: HttpRequest, found: DamageReport, refusal: LedgerRefusal) -> HttpResponse:
    found.refresh_from_db()
    context = _report_context(request, found, refusal.message)
    return render(request, "ledger/report.html", context, status=409)


@login_required
@require_POST
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    found = disputes.access_report(request.user, pk)
    try:
        disputes.accept(_user(request), found)
    except LedgerRefusal as refusal:
        return _refused(request, found, refusal)
    return redirect("ledger:report", pk=pk)


@login_required
@require_POST
def dispute(request: HttpRequest, pk: int) -> HttpResponse:
    found = disputes.access_report(request.user, pk)
    try:
        disputes.dispute(
            _user(request), found, body=request.POST.get("body", ""), photos=uploads(request)
        )
    except LedgerRefusal as refusal:
        return _refused(request, found, refusal)
    return redirect("ledger:report", pk=pk)


@login_required
@require_POST
def message(request: HttpRequest, pk: int) -> HttpResponse:
    found = disputes.access_report(request.user, pk)
    try:
        disputes.post_message(
            _user(request), found, body=request.POST.get("body", ""), photos=uploads(request)
        )
    except LedgerRefusal as refusal:
        return _refused(request, found, refusal)
    return redirect(f"/ledger/reports/{pk}/#thread")


def _library(code: str) -> Library | None:
    return Library.objects.filter(code=code).first() if code else None


@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    found = disputes.access_report(request.user, pk)
    post = request.POST
    try:
        disputes.decide(
            _user(request),
            found,
            outcome=post.get("outcome", ""),
            debtor=_library(post.get("debtor", "")),
            creditor=_library(post.get("creditor", "")),
            amount=post.get("amount", "").strip() or Decimal(0),
            reason=post.get("reason", ""),
        )
    except LedgerRefusal as refusal:
        return _refused(request, found, refusal)
    return redirect("ledger:report", pk=pk)


@login_required
def photo(request: HttpRequest, pk: int, photo_id: int) -> FileResponse:
    """A photo, to staff who may see its report; any other answers 404."""
    found = disputes.access_report(request.user, pk)
    shown = Photo.objects.filter(report=found, pk=photo_id).first()
    if shown is None:
        raise NotFound("unknown_photo", f"No photo #{photo_id} on report #{pk}.")
    response = FileResponse(shown.file.open("rb"), content_type=shown.content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
