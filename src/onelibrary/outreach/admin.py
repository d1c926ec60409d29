"""The partner kinds are data (the Compatible Library Partners Chart): staff may look, the
central office edits them here. Everything else is edited through the outreach pages and
their actions."""

from django.contrib import admin

from onelibrary.members.admin import CentralOfficeAdmin
from onelibrary.outreach.models import PartnerKind


@admin.register(PartnerKind)
class PartnerKindAdmin(CentralOfficeAdmin):
    list_display = ("name", "position")
    ordering = ("position", "name")
