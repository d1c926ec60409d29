"""The whole-record pages: export a patron's data, erase a record, merge two records.

They live above every part because a patron's record reaches into all of them (loans and
charges, holds, the online PIN); the patron pages themselves are in `patrons/views.py`.
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from onelibrary.core.requests import AuthenticatedHttpRequest
from onelibrary.patrons import access
from onelibrary.patrons.access import PatronError, PatronView
from onelibrary.patrons.forms import MergeForm
from onelibrary.patrons.models import Patron
from onelibrary.patrons.views import refusal, staff_of, staff_page
from onelibrary.records import merge, privacy

# --- privacy --------------------------------------------------------------------------------


@require_POST
@staff_page()
def export(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    try:
        data = privacy.export_patron(staff_of(request), pk)
    except PatronError as error:
        return refusal(request, error)
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="patron-{pk}.json"'
    return response


@staff_page()
def erase(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Erase on the patron's request: refused, with the reasons, while anything is owed or out."""
    staff = staff_of(request)
    try:
        view = access.access_patron_by_id(staff, pk, context="erase")
    except PatronError as error:
        return refusal(request, error)
    patron = Patron.objects.get(pk=pk)
    problem = ""
    if request.method == "POST":
        try:
            privacy.erase_patron(staff, pk)
        except PatronError as refused_:
            problem = refused_.message
        else:
            messages.success(request, f"The record of card {view.card} is erased.")
            return redirect(reverse("patrons:find"))
    return render(
        request,
        "patrons/erase.html",
        {
            "view": view,
            "blockers": privacy.erasure_blockers(patron),
            "may_erase": access.may_erase(staff, patron),
            "error": problem,
        },
    )


# --- merge ----------------------------------------------------------------------------------


@staff_page()
def merge_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Choose the record to keep and the duplicate; see what moves; confirm."""
    staff = staff_of(request)
    form = MergeForm(request.POST or request.GET or None)
    preview: dict[str, object] | None = None
    if form.is_bound and form.is_valid():
        try:
            keep: PatronView = access.access_patron(
                staff, form.cleaned_data["keep"], context="merge"
            )
            away: PatronView = access.access_patron(
                staff, form.cleaned_data["away"], context="merge"
            )
        except PatronError as error:
            form.add_error(None, error.message)
        else:
            keep_record, away_record = (
                Patron.objects.get(pk=keep.pk),
                Patron.objects.get(pk=away.pk),
            )
            if keep.pk == away.pk:
                form.add_error(None, "Both cards belong to the same record: choose two records.")
            elif not merge.may_merge(staff, keep_record, away_record):
                form.add_error(
                    None,
                    "Only the central office, or a library admin of both records' home "
                    "library, may merge patron records.",
                )
            else:
                preview = {"keep": keep, "away": away, "moves": merge.merge_preview(away_record)}
    return render(request, "patrons/merge.html", {"form": form, "preview": preview})


@require_POST
@staff_page()
def merge_confirm(request: AuthenticatedHttpRequest) -> HttpResponse:
    try:
        keep_id = int(request.POST.get("keep_id", ""))
        away_id = int(request.POST.get("away_id", ""))
    except ValueError:
        return refusal(request, PatronError("invalid_input", "Choose the two records again."))
    try:
        merged = merge.merge_patrons(staff_of(request), keep_id, away_id)
    except PatronError as error:
        messages.error(request, error.message)
        return redirect("patrons:merge")
    moved = ", ".join(f"{n} {what}" for what, n in merged.moved.items())
    messages.success(request, f"Merged: moved {moved} to card {merged.kept.card}.")
    return redirect("patrons:record", pk=merged.kept.pk)
