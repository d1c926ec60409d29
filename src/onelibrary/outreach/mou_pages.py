"""The memorandum builder and its pages: one section per step with next and back (each
step saved as it is left, so nothing typed is lost), completeness and the wording warning
on every step, versions, signatures, the review date and the PDF (docs/outreach.md)."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from onelibrary.core.requests import AuthenticatedHttpRequest
from onelibrary.outreach import actions, mou, pdf
from onelibrary.outreach.access import access_memorandum, access_partner
from onelibrary.outreach.actions import OutreachRefusal
from onelibrary.outreach.forms import (
    MemorandumForm,
    ReviewForm,
    SectionForm,
    SignForm,
    SignOffForm,
)
from onelibrary.outreach.models import Memorandum, MemorandumVersion
from onelibrary.outreach.pages import form_page, refuse, staff_page

STEPS = len(mou.SECTIONS)


def _step_url(memo: Memorandum, step: int) -> str:
    return reverse("outreach:step", args=[memo.id, step])


@staff_page
@require_http_methods(["GET", "POST"])
def start(request: AuthenticatedHttpRequest, partner_id: int) -> HttpResponse:
    partner = access_partner(request.user, partner_id)
    form = MemorandumForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            memo = actions.start_memorandum(request.user, partner, title=form.cleaned_data["title"])
        except OutreachRefusal as refusal:
            refuse(form, refusal, "title")
        else:
            return redirect(_step_url(memo, 1))
    return form_page(
        request,
        title=f"New memorandum of understanding: {partner.name}",
        form=form,
        back=reverse("outreach:partner", args=[partner.id]),
        back_label=partner.name,
        submit="Start the builder",
        intro=f"The builder goes through the {STEPS} sections one step at a time; each "
        "step is saved as you leave it.",
        status=400 if request.method == "POST" else 200,
    )


def _steps(memo: Memorandum, current: int) -> list[dict[str, object]]:
    return [
        {
            "number": number,
            "section": section,
            "filled": mou.is_filled(memo.texts.get(section.key)),
            "current": number == current,
            "url": _step_url(memo, number),
        }
        for number, section in enumerate(mou.SECTIONS, start=1)
    ]


@staff_page
@require_http_methods(["GET", "POST"])
def step(request: AuthenticatedHttpRequest, memo_id: int, number: int) -> HttpResponse:
    memo = access_memorandum(request.user, memo_id)
    try:
        section = mou.section_at(number)
    except IndexError:
        raise Http404("No such step.") from None
    if request.method == "POST":
        form = SectionForm(request.POST)
        if form.is_valid():
            # Whatever button was pressed, what was typed is kept first.
            memo = actions.save_section(
                request.user, memo, key=section.key, text=form.cleaned_data["text"]
            )
            go = request.POST.get("go", "save")
            if go == "next":
                return redirect(
                    _step_url(memo, number + 1)
                    if number < STEPS
                    else reverse("outreach:memo", args=[memo.id])
                )
            if go == "back" and number > 1:
                return redirect(_step_url(memo, number - 1))
            if go == "overview":
                return redirect("outreach:memo", memo.id)
            if go.startswith("step-") and go[5:].isdigit() and 1 <= int(go[5:]) <= STEPS:
                return redirect(_step_url(memo, int(go[5:])))
            return redirect(_step_url(memo, number) + "?saved=1")
        status = 400
    else:
        form, status = SectionForm(initial={"text": memo.texts.get(section.key, "")}), 200
    state = mou.completeness(memo.texts)
    return render(
        request,
        "outreach/mou_step.html",
        {
            "memo": memo,
            "partner": memo.partner,
            "section": section,
            "number": number,
            "total": STEPS,
            "steps": _steps(memo, number),
            "form": form,
            "state": state,
            "warnings": mou.wording_warnings(memo.texts, title=memo.title),
            "saved": request.GET.get("saved") == "1",
        },
        status=status,
    )


def _overview(
    request: AuthenticatedHttpRequest,
    memo: Memorandum,
    *,
    sign_form: SignForm | None = None,
    review_form: ReviewForm | None = None,
    status: int = 200,
) -> HttpResponse:
    versions = list(memo.versions.prefetch_related("signatures"))
    return render(
        request,
        "outreach/mou.html",
        {
            "memo": memo,
            "partner": memo.partner,
            "sections": [(s, memo.texts.get(s.key, "")) for s in mou.SECTIONS],
            "steps": _steps(memo, 0),
            "state": mou.completeness(memo.texts),
            "warnings": mou.wording_warnings(memo.texts, title=memo.title),
            "versions": versions,
            "signed": next((v for v in versions if v.signed), None),
            "signoff_form": SignOffForm(),
            "sign_form": sign_form or SignForm(),
            "review_form": review_form or ReviewForm(initial={"review_on": memo.review_on}),
        },
        status=status,
    )


@staff_page
def memo(request: AuthenticatedHttpRequest, memo_id: int) -> HttpResponse:
    return _overview(request, access_memorandum(request.user, memo_id))


@staff_page
@require_POST
def sign_off(request: AuthenticatedHttpRequest, memo_id: int) -> HttpResponse:
    found = access_memorandum(request.user, memo_id)
    form = SignOffForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    version = actions.sign_off_draft(request.user, found, note=note)
    return redirect("outreach:version", found.id, version.number)


@staff_page
@require_POST
def sign(request: AuthenticatedHttpRequest, memo_id: int) -> HttpResponse:
    found = access_memorandum(request.user, memo_id)
    form = SignForm(request.POST)
    if form.is_valid():
        try:
            actions.mark_signed(
                request.user, found, today=timezone.localdate(), **form.cleaned_data
            )
        except OutreachRefusal as refusal:
            refuse(form, refusal)
        else:
            return redirect(reverse("outreach:memo", args=[found.id]) + "#versions")
    return _overview(request, found, sign_form=form, status=400)


@staff_page
@require_POST
def review(request: AuthenticatedHttpRequest, memo_id: int) -> HttpResponse:
    found = access_memorandum(request.user, memo_id)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            actions.set_review_date(
                request.user, found, on=form.cleaned_data["review_on"], today=timezone.localdate()
            )
        except OutreachRefusal as refusal:
            refuse(form, refusal, "review_on")
        else:
            return redirect(reverse("outreach:memo", args=[found.id]) + "#review")
    return _overview(request, found, review_form=form, status=400)


def _version(request: AuthenticatedHttpRequest, memo_id: int, number: int) -> MemorandumVersion:
    found = access_memorandum(request.user, memo_id)
    return get_object_or_404(found.versions.prefetch_related("signatures"), number=number)


@staff_page
def version(request: AuthenticatedHttpRequest, memo_id: int, number: int) -> HttpResponse:
    kept = _version(request, memo_id, number)
    return render(
        request,
        "outreach/mou_version.html",
        {
            "memo": kept.memorandum,
            "partner": kept.memorandum.partner,
            "version": kept,
            "sections": [(s, kept.texts.get(s.key, "")) for s in mou.SECTIONS],
            "state": mou.completeness(kept.texts),
        },
    )


def _pdf_response(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response


@staff_page
def memo_pdf(request: AuthenticatedHttpRequest, memo_id: int) -> HttpResponse:
    found = access_memorandum(request.user, memo_id)
    return _pdf_response(pdf.memorandum_pdf(found), f"memorandum-{found.id}-draft")


@staff_page
def version_pdf(request: AuthenticatedHttpRequest, memo_id: int, number: int) -> HttpResponse:
    kept = _version(request, memo_id, number)
    return _pdf_response(
        pdf.memorandum_pdf(kept.memorandum, kept), f"memorandum-{memo_id}-v{number}"
    )
