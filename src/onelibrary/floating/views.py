"""The float-balancing page: each branch's floating items against its capacity, per
collection, with suggested moves; capacities edited in place; the same figures as CSV."""

from __future__ import annotations

import csv
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from onelibrary.core.requests import AuthenticatedHttpRequest
from onelibrary.floating import actions, report
from onelibrary.floating.models import FloatGroup
from onelibrary.floating.placement import nearby_days
from onelibrary.members.access import admin_library_ids, is_central_office, is_staff_member
from onelibrary.members.models import Branch


def _staff_only(request: HttpRequest) -> None:
    if not is_staff_member(request.user):
        raise PermissionDenied("Float balancing is for the staff of member libraries.")


def _group(request: HttpRequest) -> FloatGroup | None:
    code = request.GET.get("group") or request.POST.get("group") or ""
    return FloatGroup.objects.filter(code=code[:32]).first() if code else None


def _editable_libraries(request: AuthenticatedHttpRequest) -> set[int] | None:
    """Libraries whose capacities this account may change (None: every library)."""
    if is_central_office(request.user):
        return None
    return admin_library_ids(request.user)


def _page_url(group: FloatGroup | None, anchor: str = "") -> str:
    query = f"?{urlencode({'group': group.code})}" if group else ""
    return reverse("floating:balancing") + query + (f"#{anchor}" if anchor else "")


@login_required
def balancing(request: AuthenticatedHttpRequest) -> HttpResponse:
    _staff_only(request)
    group = _group(request)
    collections = report.for_group(group, timezone.localdate())
    editable = _editable_libraries(request)
    branches = [r.branch for r in collections[0].rows] if collections else []
    if not branches:
        branches = list(
            Branch.objects.filter(is_active=True).select_related("library").order_by("code")
        )
    return render(
        request,
        "floating/balancing.html",
        {
            "group": group,
            "groups": FloatGroup.objects.all(),
            "collections": collections,
            "editable": editable,
            "may_edit_any": editable is None or bool(editable),
            "edit_branches": [b for b in branches if editable is None or b.library_id in editable],
            "known_collections": [c.code for c in collections],
            "nearby": nearby_days(group),
        },
    )


@login_required
def balancing_csv(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    group = _group(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    name = f"float-balance-{group.code if group else 'all'}-{stamp}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    csv.writer(response).writerows(report.csv_rows(report.for_group(group, timezone.localdate())))
    return response


@login_required
@require_POST
def set_capacity(request: AuthenticatedHttpRequest) -> HttpResponse:
    _staff_only(request)
    group = _group(request)
    collection = request.POST.get("collection", "").strip()
    branch = (
        Branch.objects.select_related("library")
        .filter(code=request.POST.get("branch", "")[:32])
        .first()
    )
    anchor = f"collection-{slugify(collection)}"
    if branch is None:
        messages.error(request, "Choose a branch from the list, then save again.")
        return redirect(_page_url(group, anchor))
    raw = request.POST.get("capacity", "").strip()
    if raw and not raw.isdigit():
        messages.error(
            request,
            f"“{raw[:20]}” is not a whole number. Type how many floating {collection} items "
            f"{branch.name} should hold, or leave it empty for no limit.",
        )
        return redirect(_page_url(group, anchor))
    try:
        actions.set_capacity(request.user, branch, collection, int(raw) if raw else None)
    except actions.FloatingError as error:
        messages.error(request, error.message)
        return redirect(_page_url(group, anchor))
    if raw:
        messages.success(
            request, f"{branch.name} now holds up to {int(raw)} floating {collection}."
        )
    else:
        messages.success(request, f"{branch.name} has no limit for floating {collection} now.")
    return redirect(_page_url(group, anchor))
