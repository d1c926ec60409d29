"""Procedure (SOP) pages: the list, one procedure with its history, any old version, the
changes from the version before, and the central office's edit form."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe

from onelibrary.core.requests import AuthenticatedHttpRequest
from onelibrary.directory import markdown, procedures
from onelibrary.directory.models import Procedure, ProcedureVersion
from onelibrary.directory.pages import refused, staff_page

procedure_page = staff_page("Procedures")


class ProcedureForm(forms.Form):
    title = forms.CharField(max_length=200)
    applies_to = forms.CharField(
        max_length=300,
        required=False,
        label="Applies to",
        help_text="Page keys separated by spaces, e.g. desk:checkin transit:unpack.",
    )
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 18}), label="Text (Markdown)")
    note = forms.CharField(max_length=200, required=False, label="What changed")


@procedure_page
def procedure_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "directory/procedure_list.html",
        {
            "procedures": Procedure.objects.order_by("title"),
            "may_edit": procedures.may_edit(request.user),
        },
    )


def _version(slug: str, number: int | None) -> tuple[Procedure, ProcedureVersion]:
    procedure = get_object_or_404(Procedure, slug=slug)
    versions = procedure.versions.select_related("edited_by")
    version = (
        versions.order_by("-number").first()
        if number is None
        else versions.filter(number=number).first()
    )
    if version is None:
        raise ProcedureVersion.DoesNotExist
    return procedure, version


@procedure_page
def procedure_detail(request: HttpRequest, slug: str, number: int | None = None) -> HttpResponse:
    try:
        procedure, version = _version(slug, number)
    except ProcedureVersion.DoesNotExist:
        return refused(request, f"{slug} has no version {number}.", status=404)
    history = procedure.versions.select_related("edited_by").order_by("-number")
    return render(
        request,
        "directory/procedure.html",
        {
            "procedure": procedure,
            "version": version,
            "latest": history[0].number,
            "history": history,
            # markdown.render escapes raw HTML and drops unsafe links (SOP-4).
            "html": mark_safe(markdown.render(version.body)),  # noqa: S308
            "may_edit": procedures.may_edit(request.user),
        },
    )


@procedure_page
def procedure_diff(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    try:
        procedure, version = _version(slug, number)
    except ProcedureVersion.DoesNotExist:
        return refused(request, f"{slug} has no version {number}.", status=404)
    before = procedure.versions.filter(number=number - 1).first()
    return render(
        request,
        "directory/procedure_diff.html",
        {
            "procedure": procedure,
            "version": version,
            "before": before,
            "lines": procedures.diff(before, version),
        },
    )


@procedure_page
def procedure_edit(request: AuthenticatedHttpRequest, slug: str | None = None) -> HttpResponse:
    if not procedures.may_edit(request.user):
        return refused(
            request,
            "Only the central office edits procedures. Suggest a change in a ticket to the "
            "central office.",
        )
    procedure = get_object_or_404(Procedure, slug=slug) if slug else None
    current = procedures.current(procedure) if procedure else None
    initial = (
        {"title": current.title, "applies_to": procedure.applies_to, "body": current.body}
        if procedure and current
        else {}
    )
    form = ProcedureForm(request.POST or None, initial=initial)
    new_slug = forms.SlugField(max_length=64, required=True)
    problem = ""
    if request.method == "POST" and form.is_valid():
        try:
            target = slug or new_slug.clean(request.POST.get("slug", ""))
            saved = procedures.save_procedure(request.user, slug=target, **form.cleaned_data)
        except forms.ValidationError:
            problem = "Give the new procedure a short name for its address: letters, digits, '-'."
        except procedures.ProcedureRefused as error:
            problem = error.message
        else:
            return redirect("procedures:detail", slug=saved.procedure.slug)
    return render(
        request,
        "directory/procedure_edit.html",
        {"form": form, "procedure": procedure, "problem": problem},
        status=422 if problem else 200,
    )
