"""The help desk's pages: the report form (with its suggestions), the queue, a report
with its thread, the screenshot, and the known answers (docs/helpdesk.md).

Every report id goes through `access.access_report` (HELP-5); every write through
`actions`. A refused form comes back with the reason and everything typed (status 400).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from onelibrary.core.requests import AuthenticatedHttpRequest
from onelibrary.helpdesk import actions, knowledge, prefill, screenshots
from onelibrary.helpdesk.access import (
    access_report,
    branches_for,
    require_reporter,
    visible_reports,
    visible_scan,
)
from onelibrary.helpdesk.forms import ReplyForm, ReportForm, TriageForm
from onelibrary.helpdesk.models import Article, Report
from onelibrary.members.access import is_technical_staff

View = Callable[..., HttpResponseBase]
KEPT_SALT = "helpdesk.kept-screenshot"
KEPT_FOR = 2 * 24 * 3600  # seconds a refused form's screenshot may be re-used


def staff_page(view: View) -> View:
    """Logged in, and staff of a member library, technical staff or the central office."""

    @login_required
    @wraps(view)
    def wrapped(
        request: AuthenticatedHttpRequest, *args: object, **kwargs: object
    ) -> HttpResponseBase:
        require_reporter(request.user)
        return view(request, *args, **kwargs)

    return wrapped


# --- the report form -----------------------------------------------------------------------


def _known() -> list[knowledge.Known]:
    return [
        knowledge.Known(slug=a.slug, title=a.title, keywords=a.keywords, body=a.body)
        for a in Article.objects.filter(published=True)
    ]


def _kept(request: AuthenticatedHttpRequest) -> tuple[screenshots.Screenshot, str] | None:
    """A screenshot kept from this person's earlier, refused try of the same form."""
    token = request.POST.get("kept_screenshot", "")
    try:
        value = signing.loads(token, salt=KEPT_SALT, max_age=KEPT_FOR) if token else None
    except signing.BadSignature:
        return None
    if not value or value.get("user") != request.user.pk or not screenshots.is_ours(value["name"]):
        return None
    name = value["name"]
    return screenshots.Screenshot(name, screenshots.content_type_of(name)), value["filename"]


def _keep_token(
    request: AuthenticatedHttpRequest, shot: screenshots.Screenshot, filename: str
) -> str:
    return signing.dumps(
        {"user": request.user.pk, "name": shot.name, "filename": filename}, salt=KEPT_SALT
    )


def _form_page(
    request: AuthenticatedHttpRequest,
    form: ReportForm,
    *,
    symptom: str = "",
    kept: tuple[screenshots.Screenshot, str] | None = None,
    checked: bool = False,
    status: int = 200,
) -> HttpResponse:
    form.fields["symptom"].widget.attrs.update(
        {
            "hx-get": reverse("helpdesk:suggest"),
            "hx-trigger": "keyup changed delay:400ms",
            "hx-target": "#suggestions",
            "hx-swap": "innerHTML",
        }
    )
    known = form["context_message"].value() or form["context_decision"].value()
    return render(
        request,
        "helpdesk/report_form.html",
        {
            "form": form,
            "known_context": bool(known or form["context_page"].value()),
            "suggestions": knowledge.rank(symptom, _known()) if symptom else [],
            "checked": checked,
            "kept_name": kept[1] if kept else "",
            "kept_token": _keep_token(request, *kept) if kept else "",
        },
        status=status,
    )


@staff_page
@require_http_methods(["GET", "POST"])
def report(request: AuthenticatedHttpRequest) -> HttpResponse:
    branches = branches_for(request.user)
    if request.method == "GET":
        form = ReportForm(initial=prefill.initial(request, request.user), branches=branches)
        return _form_page(request, form)

    form = ReportForm(request.POST, request.FILES, branches=branches)
    symptom = request.POST.get("symptom", "")
    kept = _kept(request)
    upload = request.FILES.get("screenshot")
    if upload is not None:
        try:
            shot = screenshots.keep(upload)
        except screenshots.ScreenshotRefused as refused:
            form.is_valid()
            form.add_error("screenshot", f"{refused.message} ({refused.decision})")
            return _form_page(request, form, symptom=symptom, kept=kept, status=400)
        kept = (shot, upload.name or "screenshot")
    if "check" in request.POST:  # "Check for known answers", without JavaScript
        # Not a try at sending: show what was typed again, without calling anything missing.
        typed = {k: v for k, v in request.POST.items() if k in ReportForm.base_fields}
        form = ReportForm(initial=typed, branches=branches)
        return _form_page(request, form, symptom=symptom, kept=kept, checked=True)
    if not form.is_valid():
        return _form_page(request, form, symptom=symptom, kept=kept, status=400)
    data = form.cleaned_data
    problem = actions.Problem(
        symptom=data["symptom"],
        branch=data["branch"],
        doing=data["doing"],
        message_seen=data["message_seen"],
        started=data["started"],
        tried=data["tried"],
        device=data["device"],
        affects=data["affects"],
    )
    scan = data["context_scan"]
    if scan is not None and visible_scan(request.user, scan) is None:
        scan = None  # HELP-8: a scan id typed into the address is only kept if it is theirs
    context = actions.Context(
        page=data["context_page"],
        decision=data["context_decision"],
        message=data["context_message"],
        at=data["context_at"],
        scan=scan,
    )
    try:
        filed = actions.file_report(
            request.user,
            problem,
            screenshot=kept[0] if kept else None,
            context=context,
            site=request.build_absolute_uri("/").rstrip("/"),
        )
    except actions.HelpRefused as refused:
        field = "branch" if refused.decision == "HELP-4" else "symptom"
        form.add_error(field, f"{refused.message} ({refused.decision})")
        return _form_page(request, form, symptom=symptom, kept=kept, status=400)
    by_email = (
        "You will get their replies by email, and can read them here."
        if request.user.email
        else "Their replies will appear on this page (your account has no email address, so "
        "none can be emailed to you)."
    )
    messages.success(
        request,
        f"Thank you — your report is filed as {filed.number}. Technical staff have been told "
        f"and will look at it. {by_email} There is nothing else you need to do unless they ask.",
    )
    return redirect("helpdesk:report_detail", pk=filed.pk)


@staff_page
@require_GET
def suggest(request: AuthenticatedHttpRequest) -> HttpResponse:
    """HELP-10: the known answers for what has been typed so far (htmx, on each pause)."""
    symptom = request.GET.get("symptom", "")[:2000]
    found = knowledge.rank(symptom, _known()) if symptom.strip() else []
    return render(
        request, "helpdesk/_suggestions.html", {"suggestions": found, "checked": bool(symptom)}
    )


# --- the queue and a report ----------------------------------------------------------------

OPEN = (Report.Status.NEW, Report.Status.IN_PROGRESS, Report.Status.WAITING)


@staff_page
@require_GET
def queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    technical = is_technical_staff(request.user)
    reports = visible_reports(request.user)
    show = request.GET.get("show", "open")
    if show == "open":
        reports = reports.filter(status__in=OPEN)
    elif show == "mine" and technical:
        reports = reports.filter(assignee=request.user).exclude(status=Report.Status.RESOLVED)
    elif show == "resolved":
        reports = reports.filter(status=Report.Status.RESOLVED)
    category = request.GET.get("category", "")
    if category in Report.Category.values:
        reports = reports.filter(category=category)
    return render(
        request,
        "helpdesk/queue.html",
        {
            "reports": reports[:200],
            "technical": technical,
            "show": show,
            "category": category,
            "categories": Report.Category.choices,
        },
    )


def _detail(
    request: AuthenticatedHttpRequest,
    report: Report,
    *,
    reply_form: ReplyForm | None = None,
    triage_form: TriageForm | None = None,
    status: int = 200,
) -> HttpResponse:
    technical = is_technical_staff(request.user)
    if technical and triage_form is None:
        triage_form = TriageForm(
            initial={
                "category": report.category,
                "priority": report.priority,
                "status": report.status,
                "assignee": report.assignee_id,
            }
        )
    return render(
        request,
        "helpdesk/report.html",
        {
            "report": report,
            "thread": report.messages.select_related("author"),
            "reply_form": reply_form or ReplyForm(),
            "triage_form": triage_form if technical else None,
            "next_step": actions.NEXT[Report.Status(report.status)],
        },
        status=status,
    )


@staff_page
@require_GET
def report_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _detail(request, access_report(request.user, pk))


def _link(request: AuthenticatedHttpRequest, report: Report) -> str:
    return request.build_absolute_uri(reverse("helpdesk:report_detail", kwargs={"pk": report.pk}))


@staff_page
@require_POST
def reply(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    report = access_report(request.user, pk)  # HELP-5: 404 before anything is read
    form = ReplyForm(request.POST)
    form.is_valid()
    try:
        message = actions.reply(
            request.user, report, form.cleaned_data.get("text", ""), link=_link(request, report)
        )
    except actions.HelpRefused as refused:
        form.add_error("text", f"{refused.message} ({refused.decision})")
        return _detail(request, report, reply_form=form, status=400)
    to = ", ".join(message.emailed_to.splitlines())
    sent = f" It was emailed to {to}." if to else ""
    messages.success(request, f"Thank you, your reply is in the thread.{sent}")
    return redirect("helpdesk:report_detail", pk=report.pk)


@staff_page
@require_POST
def triage(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    report = access_report(request.user, pk)
    if not is_technical_staff(request.user):
        raise PermissionDenied("Only technical staff sort reports; you can add a reply instead.")
    form = TriageForm(request.POST)
    if not form.is_valid():
        return _detail(request, report, triage_form=form, status=400)
    change = actions.Triage(**form.cleaned_data)
    try:
        said = actions.triage(request.user, report, change, link=_link(request, report))
    except actions.HelpRefused as refused:
        form.add_error(None, f"{refused.message} ({refused.decision})")
        return _detail(request, report, triage_form=form, status=400)
    messages.success(request, ("Saved: " + "; ".join(said) + ".") if said else "Nothing changed.")
    return redirect("helpdesk:report_detail", pk=report.pk)


@staff_page
@require_GET
def screenshot(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    """The report's screenshot, for those who may see the report (HELP-5) — never a
    public file."""
    report = access_report(request.user, pk)
    if not report.screenshot or not default_storage.exists(report.screenshot):
        raise Http404("This report has no screenshot.")
    response = FileResponse(
        default_storage.open(report.screenshot, "rb"), content_type=report.screenshot_type
    )
    response["Content-Disposition"] = f'inline; filename="report-{report.pk}-screenshot"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- known answers -------------------------------------------------------------------------


@staff_page
@require_GET
def answers(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request, "helpdesk/answers.html", {"articles": Article.objects.filter(published=True)}
    )


@staff_page
@require_GET
def answer(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    article = get_object_or_404(Article, slug=slug, published=True)
    html = knowledge.as_html(article.body)
    return render(request, "helpdesk/answer.html", {"article": article, "html": html})
