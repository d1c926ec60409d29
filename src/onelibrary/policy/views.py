"""Policy pages: how the members' rules differ from the group default, as a page and a CSV."""

from __future__ import annotations

import csv
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from onelibrary.catalog.models import Item
from onelibrary.members.access import is_staff_member
from onelibrary.members.models import Library
from onelibrary.patrons.models import Patron
from onelibrary.policy import report
from onelibrary.policy.lookup import load_rules
from onelibrary.policy.models import CirculationRule, ExemptionReason

# Members whose rules matter to the group: not applicants, not those who have left.
COUNTED = (Library.Status.ONBOARDING, Library.Status.ACTIVE, Library.Status.LEAVING)


def build_report() -> report.Report:
    """The report for the group as it is: its members, rules, item types and patrons."""
    rules = load_rules()
    members = [
        report.Member(code, name)
        for code, name in Library.objects.filter(status__in=COUNTED)
        .order_by("code")
        .values_list("code", "name")
    ]
    item_types = set(Item.objects.values_list("item_type", flat=True).distinct())
    item_types |= {rule.item_type for rule in rules if rule.item_type}
    categories = set(Patron.objects.values_list("category", flat=True).distinct())
    categories |= {rule.patron_category for rule in rules if rule.patron_category}
    # A collection is its own case only where a rule names it and items of a type are in
    # it; elsewhere it changes nothing.
    named = {rule.collection for rule in rules if rule.collection}
    pairs = set(
        Item.objects.filter(collection__in=named).values_list("item_type", "collection").distinct()
    )
    pairs |= {
        (rule.item_type, rule.collection) for rule in rules if rule.item_type and rule.collection
    }
    collections: dict[str, set[str]] = {}
    for item_type, collection in pairs:
        collections.setdefault(item_type, set()).add(collection)
    return report.differences(
        rules,
        members,
        report.cases_for(item_types, categories, collections),
        reason_labels=dict(ExemptionReason.objects.values_list("code", "label")),
    )


@dataclass(frozen=True)
class Exemption:
    """One way a member keeps copies from group holds: a rule, or copies marked one by one."""

    member: str
    what: str  # "Rule “Reference”" or "12 copies"
    reason: str  # the allowed reason's label; "" when none is given (not allowed)
    rule_id: int | None = None


def exemptions() -> list[Exemption]:
    """Every exemption from group holds: member and group rules that make items not
    holdable or exempt, and copies marked not holdable, by member and reason (docs/
    governance.md, "No hiding without a reason"). One without a reason is shown too."""
    found = [
        Exemption(
            rule.library.name if rule.library else "Group",
            f"Rule “{rule.name}”",
            rule.exempt_reason.label if rule.exempt_reason else "",
            rule.pk,
        )
        for rule in CirculationRule.objects.filter(
            Q(holdable=False) | Q(exempt_reason__isnull=False)
        )
        .select_related("library", "exempt_reason")
        .order_by("library__name", "name")
    ]
    labels = dict(ExemptionReason.objects.values_list("pk", "label"))
    copies = (
        Item.objects.filter(holdable=False)
        .values_list("owning_library__name", "holds_exemption")
        .annotate(n=Count("pk"))
        .order_by("owning_library__name", "holds_exemption")
    )
    found += [
        Exemption(name, f"{n} cop{'y' if n == 1 else 'ies'}", labels.get(reason, ""))
        for name, reason, n in copies
    ]
    return found


def _staff_only(request: HttpRequest) -> None:
    if not is_staff_member(request.user):
        raise PermissionDenied("The policy pages are for the staff of member libraries.")


@login_required
def differences(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    only_differences = request.GET.get("show") == "differences"
    found = build_report()
    return render(
        request,
        "policy/differences.html",
        {
            "report": found,
            "columns": [(c, report.COLUMN_LABELS[c]) for c in report.COLUMNS],
            "only_differences": only_differences,
            "exemptions": exemptions(),
        },
    )


@login_required
def differences_csv(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="policy-differences-{stamp}.csv"'
    csv.writer(response).writerows(report.csv_rows(build_report()))
    return response
