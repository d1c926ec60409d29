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


@signed_in
def costs_page(request: HttpRequest) -> HttpResponse:
    if not access.may_see_group(request.user):
        return refused(request)
    if request.method == "POST":
        if not access.may_set_costs(request.user):
            return refused(request, "Only the central office enters the total to share.")
        label = request.POST.get("label", "").strip()
        try:
            total = Decimal(request.POST.get("total", "").replace(",", "").strip())
        except InvalidOperation:
            total = Decimal(-1)
        if not label or total < 0 or total != total.quantize(costs.CENT):
            messages.error(
                request,
                "Give what the total pays for and an amount in currency with at most two "
                "decimals, e.g. 48000.00. Nothing was saved.",
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
