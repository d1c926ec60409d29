"""The transit pages that ask more than transit: taking items out of a crate (each one is
checked in) and declaring an item missing in transit (its hold is routed again).

Their addresses join transit's own under the `transit` namespace in `urlpatterns` below,
which is what the site includes.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from onelibrary.circulation import printing, transit_desk
from onelibrary.core.refusals import Refusal
from onelibrary.core.requests import AuthenticatedHttpRequest
from onelibrary.members.desk import desk_page
from onelibrary.members.models import Branch
from onelibrary.transit import receiving
from onelibrary.transit import urls as transit_urls
from onelibrary.transit.access import access_transit
from onelibrary.transit.forms import MissingForm
from onelibrary.transit.views import _crate, _refused, _scan_answer, manifest_context


@require_POST
@desk_page()
def unpack_scan(request: AuthenticatedHttpRequest, branch: Branch, label: str) -> HttpResponse:
    crate = _crate(request, label)
    barcode = request.POST.get("barcode", "")[:200]
    if not barcode.strip():
        return _scan_answer(request, crate, None)
    result = transit_desk.unpack_scan(request.user, branch, crate, barcode)
    if not request.htmx:
        return _scan_answer(request, crate, result)
    # The crate's steps come along (out of band), so "Undo the last scan" follows each
    # scan; a copy that arrived for a hold here offers its slip, as a checkin's line does.
    context = {
        "scan": result,
        **manifest_context(crate),
        "oob": True,
        "steps": True,
        "unpacking": True,
        "undoable": receiving.last_undoable_scan(crate, branch),
    }
    if result.instruction.startswith("HOLD SHELF"):
        context["slip"] = printing.slip_url(request.user, result.item)
    return render(request, "transit/_crate_scan_answer.html", context)


@require_POST
@desk_page()
def declare_missing(request: AuthenticatedHttpRequest, branch: Branch, pk: int) -> HttpResponse:
    transit = access_transit(request.user, pk, for_change=True)
    form = MissingForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        message = transit_desk.declare_missing(request.user, branch, transit, note=note)
    except Refusal as error:
        _refused(request, error)
    else:
        messages.success(request, message)
    return redirect("transit:late")


app_name = "transit"

urlpatterns = [
    *transit_urls.urlpatterns,
    path("crates/<str:label>/unpack/", unpack_scan, name="unpack_scan"),
    path("late/<int:pk>/missing/", declare_missing, name="declare_missing"),
]
