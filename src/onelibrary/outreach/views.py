"""The outreach pages for partners, their contacts, interactions, assessment, projects
and indicators; the partnership page with its history and evaluation.

Every id goes through `outreach.access`; every write through `outreach.actions`. A
refused form comes back with the reason and what was typed (status 400).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from onelibrary.core.requests import AuthenticatedHttpRequest
from onelibrary.outreach import actions, chart, mou, results
from onelibrary.outreach.access import (
    access_indicator,
    access_partner,
    access_project,
    libraries_for,
    visible_partners,
)
from onelibrary.outreach.actions import OutreachRefusal
from onelibrary.outreach.forms import (
    AssessmentForm,
    ContactForm,
    IndicatorForm,
    InteractionForm,
    MemorandumForm,
    PartnerForm,
    ProjectForm,
    ValueForm,
)
from onelibrary.outreach.models import NeedsAssessment, Partner, PartnerKind
from onelibrary.outreach.pages import form_page, refuse, staff_page

PARTNER_FIELDS = (
    "website",
    "about",
    "partner_offers",
    "partner_needs",
    "library_offers",
    "library_needs",
)


@staff_page
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    partners = visible_partners(request.user).prefetch_related("libraries")
    kind = PartnerKind.objects.filter(id=request.GET.get("kind") or 0).first()
    if kind:
        partners = partners.filter(kind=kind)
    return render(
        request,
        "outreach/home.html",
        {"partners": partners, "kinds": PartnerKind.objects.all(), "kind": kind},
    )


def _partner_form_page(
    request: AuthenticatedHttpRequest, form: PartnerForm, partner: Partner | None, status: int
) -> HttpResponse:
    back = reverse("outreach:partner", args=[partner.id]) if partner else reverse("outreach:home")
    return form_page(
        request,
        title=f"Edit {partner.name}" if partner else "New partner",
        form=form,
        back=back,
        back_label=partner.name if partner else "Outreach",
        submit="Save the partner",
        intro="A community organisation one or more member libraries work with.",
        status=status,
    )


@staff_page
@require_http_methods(["GET", "POST"])
def partner_edit(request: AuthenticatedHttpRequest, partner_id: int | None = None) -> HttpResponse:
    partner = access_partner(request.user, partner_id) if partner_id else None
    libraries = libraries_for(request.user)
    if request.method == "GET":
        initial: dict[str, object] = {"libraries": list(libraries)[:1]}
        if partner:
            initial = {f: getattr(partner, f) for f in ("name", "kind", *PARTNER_FIELDS)}
            initial["libraries"] = list(partner.libraries.all())
        form = PartnerForm(initial=initial, libraries=libraries)
        return _partner_form_page(request, form, partner, 200)
    form = PartnerForm(request.POST, libraries=libraries)
    if not form.is_valid():
        return _partner_form_page(request, form, partner, 400)
    data = form.cleaned_data
    fields = {f: data[f] for f in PARTNER_FIELDS}
    try:
        if partner:
            actions.update_partner(
                request.user,
                partner,
                name=data["name"],
                kind=data["kind"],
                libraries=data["libraries"],
                **fields,
            )
        else:
            partner = actions.create_partner(
                request.user,
                name=data["name"],
                kind=data["kind"],
                libraries=data["libraries"],
                **fields,
            )
    except OutreachRefusal as refusal:
        refuse(form, refusal, "name" if refusal.decision == "PARTNER-1" else "libraries")
        return _partner_form_page(request, form, partner, 400)
    return redirect("outreach:partner", partner.id)


@staff_page
def partner(request: AuthenticatedHttpRequest, partner_id: int) -> HttpResponse:
    found = access_partner(request.user, partner_id)
    projects = [results.project_result(p) for p in found.projects.prefetch_related("indicators")]
    memoranda = [
        (memo, mou.completeness(memo.texts), list(memo.versions.all()))
        for memo in found.memoranda.all()
    ]
    return render(
        request,
        "outreach/partner.html",
        {
            "partner": found,
            "assessment": NeedsAssessment.objects.filter(partner=found).first(),
            "contacts": found.contacts.all(),
            "memoranda": memoranda,
            "projects": projects,
            "verdict": results.partnership_verdict(projects),
            "history": results.history(found),
            "interaction_form": InteractionForm(initial={"on": timezone.localdate()}),
            "contact_form": ContactForm(),
            "project_form": ProjectForm(),
            "memo_form": MemorandumForm(),
        },
    )


def _sub_form(
    request: AuthenticatedHttpRequest,
    partner: Partner,
    form_class: type,
    title: str,
    submit: str,
    write: Callable[[dict[str, Any]], object],
    *,
    field: str | None = None,
    initial: dict[str, object] | None = None,
    back: str = "",
) -> HttpResponse:
    """A form that adds one thing to a partner: its own page, on GET and when refused."""
    back = back or reverse("outreach:partner", args=[partner.id])
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            try:
                write(form.cleaned_data)
            except OutreachRefusal as refusal:
                refuse(form, refusal, field)
            else:
                return redirect(back)
        status = 400
    else:
        form, status = form_class(initial=initial), 200
    return form_page(
        request,
        title=f"{title}: {partner.name}",
        form=form,
        back=back,
        back_label=partner.name,
        submit=submit,
        status=status,
    )


@staff_page
@require_http_methods(["GET", "POST"])
def add_contact(request: AuthenticatedHttpRequest, partner_id: int) -> HttpResponse:
    found = access_partner(request.user, partner_id)
    return _sub_form(
        request,
        found,
        ContactForm,
        "Add a contact",
        "Add the contact",
        lambda d: actions.add_contact(request.user, found, **d),
        field="name",
    )


@staff_page
@require_http_methods(["GET", "POST"])
def add_interaction(request: AuthenticatedHttpRequest, partner_id: int) -> HttpResponse:
    found = access_partner(request.user, partner_id)
    return _sub_form(
        request,
        found,
        InteractionForm,
        "Record a meeting or call",
        "Record it",
        lambda d: actions.record_interaction(request.user, found, **d),
        field="notes",
        initial={"on": timezone.localdate()},
    )


@staff_page
@require_http_methods(["GET", "POST"])
def add_project(request: AuthenticatedHttpRequest, partner_id: int) -> HttpResponse:
    found = access_partner(request.user, partner_id)
    return _sub_form(
        request,
        found,
        ProjectForm,
        "Add a project",
        "Add the project",
        lambda d: actions.add_project(request.user, found, **d),
    )


@staff_page
@require_http_methods(["GET", "POST"])
def assessment(request: AuthenticatedHttpRequest, partner_id: int) -> HttpResponse:
    found = access_partner(request.user, partner_id)
    current = NeedsAssessment.objects.filter(partner=found).first()
    back = reverse("outreach:partner", args=[found.id])
    if request.method == "POST":
        form = AssessmentForm(request.POST, instance=current)
        if form.is_valid():
            fields = {name: form.cleaned_data[name] for name in AssessmentForm.Meta.fields}
            actions.save_assessment(request.user, found, **fields)
            return redirect(back + "#assessment")
        status = 400
    else:
        form, status = AssessmentForm(instance=current), 200
    return form_page(
        request,
        title=f"Needs assessment and SWOT: {found.name}",
        form=form,
        back=back,
        back_label=found.name,
        submit="Save the assessment",
        intro="Before going further: what the community needs, the library's strengths "
        "and weaknesses, the opportunities and threats around it, and how likely this "
        "partnership is to succeed.",
        status=status,
    )


@staff_page
def project(request: AuthenticatedHttpRequest, project_id: int) -> HttpResponse:
    found = access_project(request.user, project_id)
    return render(
        request,
        "outreach/project.html",
        {
            "project": found,
            "partner": found.partner,
            "result": results.project_result(found),
            "indicator_form": IndicatorForm(),
            "value_form": ValueForm(initial={"on": timezone.localdate()}),
        },
    )


@staff_page
def project_chart(request: AuthenticatedHttpRequest, project_id: int) -> HttpResponse:
    svg = chart.project_svg(access_project(request.user, project_id))
    if not svg:
        return HttpResponse("No values recorded yet.", status=404, content_type="text/plain")
    return HttpResponse(svg, content_type="image/svg+xml")


@staff_page
@require_http_methods(["GET", "POST"])
def add_indicator(request: AuthenticatedHttpRequest, project_id: int) -> HttpResponse:
    found = access_project(request.user, project_id)

    def write(data: dict) -> None:
        actions.add_indicator(
            request.user,
            found,
            name=data["name"],
            unit=data["unit"],
            target=data["target"],
            higher_is_better=data["higher_is_better"] == "yes",
        )

    return _sub_form(
        request,
        found.partner,
        IndicatorForm,
        f"Add an indicator to {found.name}",
        "Add the indicator",
        write,
        back=reverse("outreach:project", args=[found.id]),
    )


@staff_page
@require_http_methods(["GET", "POST"])
def record_value(request: AuthenticatedHttpRequest, indicator_id: int) -> HttpResponse:
    indicator = access_indicator(request.user, indicator_id)
    return _sub_form(
        request,
        indicator.project.partner,
        ValueForm,
        f"Record {indicator.name}",
        "Record the value",
        lambda d: actions.record_value(request.user, indicator, **d),
        field="value",
        initial={"on": timezone.localdate()},
        back=reverse("outreach:project", args=[indicator.project_id]),
    )
