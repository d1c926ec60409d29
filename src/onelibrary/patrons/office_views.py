"""The central office's patron pages: a record's audit trail, the home library review, the
duplicates staff were not told of, the field-permission table and patron settings, and
merging two records.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from onelibrary.core.requests import AuthenticatedHttpRequest
from onelibrary.members.models import Library
from onelibrary.patrons import actions, audit
from onelibrary.patrons.duplicates import REASONS
from onelibrary.patrons.fields import FIELD_LABELS, GROUPS, ROLE_RELATIONS, Relation
from onelibrary.patrons.forms import (
    HomeChangesForm,
    PermissionTableForm,
    SettingsForm,
    permission_key,
)
from onelibrary.patrons.models import (
    FieldPermission,
    Patron,
    PatronAudit,
    PatronSettings,
    ServiceArea,
)
from onelibrary.patrons.views import staff_of, staff_page

REVIEW_LIMIT = 500
RELATION_LABELS = {
    (role, relation): (
        "acting for every library" if role == "central_office" else Relation(relation).label.lower()
    )
    for role, relation in ROLE_RELATIONS
}
SHORT = {
    (role, relation): "any library" if role == "central_office" else relation
    for role, relation in ROLE_RELATIONS
}
ROLE_LABELS = {
    "desk": "Desk staff",
    "library_admin": "Library admin",
    "central_office": "Central office",
}


# --- audit trail ------------------------------------------------------------------------------


@staff_page(central_office=True)
def audit_trail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Every view and change of the record (and of records merged into it), newest first.
    Opening it is itself recorded."""
    patron = get_object_or_404(Patron.objects.select_related("home_library"), pk=pk)
    audit.write(
        staff_of(request),
        patron,
        PatronAudit.Action.VIEW,
        via=PatronAudit.Via.PAGE,
        library_id=None,
        fields=["audit_trail"],
        detail={"purpose": "view", "context": "audit trail"},
    )
    page = Paginator(audit.trail(patron), 100).get_page(request.GET.get("page"))
    return render(
        request,
        "patrons/audit.html",
        {"patron": patron, "page": page, "labels": {**FIELD_LABELS, "audit_trail": "Audit trail"}},
    )


# --- home library review --------------------------------------------------------------------


@staff_page(central_office=True)
def home_review(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Records whose home library the group's rule would change, and applying the change."""
    changes = actions.home_changes()
    if request.method == "POST":
        ids = [c.patron_id for c in changes]
        data = request.POST.copy()
        if "all" in request.POST:
            data.setlist("patrons", [str(pk) for pk in ids])
        form = HomeChangesForm(data, choices=ids)
        if form.is_valid():
            applied = actions.apply_home_changes(staff_of(request), form.cleaned_data["patrons"])
            messages.success(
                request,
                f"{applied} patron{'s' if applied != 1 else ''} moved to a new home library.",
            )
            return redirect("patrons:home_review")
        error = form.errors["patrons"][0]
    else:
        error = ""
    libraries = Library.objects.in_bulk()
    rows = [
        {"change": c, "current": libraries[c.current], "proposed": libraries[c.proposed]}
        for c in changes[:REVIEW_LIMIT]
    ]
    return render(
        request,
        "patrons/home_review.html",
        {"rows": rows, "count": len(changes), "limit": REVIEW_LIMIT, "error": error},
    )


# --- duplicates the registering staff were not told ------------------------------------------


@staff_page(central_office=True)
def duplicate_review(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Registrations that matched a record only on fields the registering staff may not see
    (their email, address or birth date): they were not told, so the central office is.
    Names and cards only, like the home library review: not record views."""
    return render(request, "patrons/duplicate_review.html", {"items": untold_duplicates()})


def untold_duplicates() -> list[dict[str, object]]:
    """The duplicate review's rows (also counted on the central office's branch home):
    each registration with the still-active records it matched."""
    rows = list(
        PatronAudit.objects.filter(
            action=PatronAudit.Action.REGISTER, detail__has_key=actions.UNTOLD
        )
        .select_related("patron", "library", "staff")
        .order_by("-at")[:REVIEW_LIMIT]
    )
    ids = {entry["patron"] for row in rows for entry in row.detail[actions.UNTOLD]}
    records = Patron.objects.filter(merged_into=None, erased_at=None).in_bulk(ids)
    items = []
    for row in rows:
        matches = [
            (records[entry["patron"]], ", ".join(REASONS[r] for r in entry["reasons"]))
            for entry in row.detail[actions.UNTOLD]
            if entry["patron"] in records
        ]
        if matches and row.patron.is_active_record:
            items.append({"row": row, "new": row.patron, "matches": matches})
    return items


# --- permission table and settings -----------------------------------------------------------


def _table_rows(form: PermissionTableForm) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for group, (label, names) in GROUPS.items():
        cells = []
        for role, relation in ROLE_RELATIONS:
            for right in ("view", "edit"):
                cells.append(
                    {
                        "field": form[permission_key(role, relation, group, right)],
                        "fixed": group == "identity" and right == "view",
                        "label": f"{ROLE_LABELS[role]} {RELATION_LABELS[(role, relation)]} "
                        f"may {right} {label.lower()}",
                        "short": f"{ROLE_LABELS[role]}, {SHORT[(role, relation)]}: {right}",
                    }
                )
        rows.append(
            {"label": label, "fields": ", ".join(FIELD_LABELS[n] for n in names), "cells": cells}
        )
    return rows


def _current_table() -> dict[str, bool]:
    initial = {}
    for row in FieldPermission.objects.all():
        initial[permission_key(row.role, row.relation, row.field_group, "view")] = row.can_view
        initial[permission_key(row.role, row.relation, row.field_group, "edit")] = row.can_edit
    return initial


@staff_page(central_office=True)
def permissions(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The field-permission table and the group's patron settings, edited by the central office."""
    staff = staff_of(request)
    table_form = PermissionTableForm(initial=_current_table())
    settings_form = SettingsForm(instance=PatronSettings.current())
    if request.method == "POST" and request.POST.get("part") == "table":
        table_form = PermissionTableForm(request.POST)
        if table_form.is_valid():
            changed = actions.save_permission_table(staff, table_form.table())
            messages.success(request, f"The permission table is saved ({changed} rows changed).")
            return redirect("patrons:permissions")
    elif request.method == "POST" and request.POST.get("part") == "settings":
        settings_form = SettingsForm(request.POST, instance=PatronSettings.current())
        if settings_form.is_valid():
            values = {name: settings_form.cleaned_data[name] for name in settings_form.fields}
            actions.save_patron_settings(staff, values)
            messages.success(request, "The patron settings are saved.")
            return redirect("patrons:permissions")
    columns = [
        {"role": ROLE_LABELS[role], "relation": RELATION_LABELS[(role, relation)].capitalize()}
        for role, relation in ROLE_RELATIONS
    ]
    return render(
        request,
        "patrons/permissions.html",
        {
            "rows": _table_rows(table_form),
            "columns": columns,
            "settings_form": settings_form,
            "areas": ServiceArea.objects.select_related("library"),
        },
    )
