"""The cost-sharing page: every formula side by side for the latest total, with the
change each member would see from the current formula. The central office enters the
total; formulas are edited in the admin (they are data)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from onelibrary.insights import access, costs
from onelibrary.insights.models import CostFormula, SharedCost
from onelibrary.insights.pages import period, refused, signed_in

MAX_TOTAL = Decimal("9999999999.99")  # SharedCost.total: 12 digits, 2 of them decimals
LABEL_LENGTH = SharedCost._meta.get_field("label").max_length or 100


def _amount(raw: str) -> Decimal | None:
    """The amount typed ("48,000.00"), or None for anything that is not one in range:
    not a number, NaN or infinite, negative, too large, or finer than a cent."""
    try:
        total = Decimal(raw.replace(",", "").strip())
        if not total.is_finite() or not 0 <= total <= MAX_TOTAL:
            return None
        return total if total == total.quantize(costs.CENT) else None
    except InvalidOperation:
        return None


@signed_in
def costs_page(request: HttpRequest) -> HttpResponse:
    if not access.may_see_group(request.user):
        return refused(request)
    if request.method == "POST":
        if not access.may_set_costs(request.user):
            return refused(request, "Only the central office enters the total to share.")
        label = request.POST.get("label", "").strip()
        total = _amount(request.POST.get("total", ""))
        if not label or len(label) > LABEL_LENGTH or total is None:
            messages.error(
                request,
                f"Give what the total pays for, in at most {LABEL_LENGTH} characters, and an "
                "amount in currency with at most two decimals, below "
                f"{MAX_TOTAL + costs.CENT:,}, e.g. 48000.00. Nothing was saved.",
            )
        else:
            SharedCost.objects.create(label=label, total=total)
            messages.success(request, f"The total to share is now {total:,} for {label}.")
        return redirect("insights:costs")
    start, end, problem = period(request)
    latest = SharedCost.objects.first()
    members, compared = costs.compare(latest.total, start, end) if latest else ([], [])
    rows = [(code, [(c.shares[code], c.change[code]) for c in compared]) for code in members]
    return render(
        request,
        "insights/costs.html",
        {
            "latest": latest,
            "formulas": CostFormula.objects.all(),
            "compared": compared,
            "rows": rows,
            "start": start,
            "end": end,
            "problem": problem,
            "may_set": access.may_set_costs(request.user),
            "measures": CostFormula.MEASURES,
        },
    )
