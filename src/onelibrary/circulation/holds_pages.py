"""The holds pages that move a copy: cancelling a hold (a copy on the hold shelf leaves
it), and the pick list's scans (a copy pulled, or not found on the shelf). They call the
desk (`circulation/holds_desk.py`), which applies what holds answers.

Their addresses join holds' own under the `holds` namespace in `urlpatterns` below, which
is what the site includes.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import path
from django.views.decorators.http import require_POST

from onelibrary.circulation import holds_desk, printing
from onelibrary.core.requests import AuthenticatedHttpRequest
from onelibrary.holds import urls as holds_urls
from onelibrary.holds.forms import PullScanForm
from onelibrary.holds.views import REFUSALS, _after_change, _hold, _refused, _staff
from onelibrary.members.desk import desk_page
from onelibrary.members.models import Branch
from onelibrary.patrons.lookup import find_item


@require_POST
@desk_page(needs_branch=False)
def cancel(request: AuthenticatedHttpRequest, branch: Branch | None, pk: int) -> HttpResponse:
    hold = _hold(request, pk)
    try:
        done = holds_desk.cancel_hold(_staff(request), hold)
    except REFUSALS as error:
        messages.error(request, _refused(error))
        done = None
    return _after_change(request, hold, done)


@require_POST
@desk_page()
def pull(request: AuthenticatedHttpRequest, branch: Branch) -> HttpResponse:
    form = PullScanForm(request.POST)
    if form.is_valid():
        barcode = form.cleaned_data["barcode"].strip()
        try:
            item = find_item(barcode)
            done = holds_desk.pull_copy(_staff(request), branch, item)
        except REFUSALS as error:
            line = {"kind": "error", "instruction": "NOT PULLED", "message": _refused(error)}
        else:
            kind = "hold" if done.instruction == "HOLD SHELF" else "send"
            line = {"kind": kind, "instruction": done.instruction, "message": done.message}
            # The slip travels with the copy: printed here, read at the pickup branch.
            line["slip"] = printing.slip_url(request.user, item)
        request.session["holds_last_pull"] = {**line, "barcode": barcode}
    return redirect("holds:pick_list")


@require_POST
@desk_page()
def missing(request: AuthenticatedHttpRequest, branch: Branch, pk: int) -> HttpResponse:
    hold = _hold(request, pk)
    try:
        messages.success(request, holds_desk.not_on_shelf(_staff(request), branch, hold))
    except REFUSALS as error:
        messages.error(request, _refused(error))
    return redirect("holds:pick_list")


app_name = "holds"

urlpatterns = [
    *holds_urls.urlpatterns,
    path("<int:pk>/cancel/", cancel, name="cancel"),
    path("pick/pulled/", pull, name="pull"),
    path("pick/<int:pk>/missing/", missing, name="missing"),
]
