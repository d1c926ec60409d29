"""Admin for the cost-sharing formulas (data, docs/insights.md "Cost sharing"): staff
read them, the central office writes them. Totals and schedules have their own pages."""

from __future__ import annotations

from django.contrib import admin

from onelibrary.insights.models import CostFormula
from onelibrary.members.admin import CentralOfficeAdmin


@admin.register(CostFormula)
class CostFormulaAdmin(CentralOfficeAdmin):
    list_display = ("name", "is_current", *(key for key, _ in CostFormula.MEASURES))
    search_fields = ("name",)
