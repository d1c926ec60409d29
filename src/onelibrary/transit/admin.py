"""Admin for transit: transits, crates and their events to look at (they change only
through the transit actions and pages), and the group's transit settings."""

from __future__ import annotations

from django.contrib import admin

from onelibrary.members.admin import CentralOfficeAdmin, ReadOnlyAdmin
from onelibrary.transit.models import Crate, CrateScan, Transit, TransitEvent, TransitSettings


@admin.register(Transit)
class TransitAdmin(ReadOnlyAdmin):
    list_display = ["pk", "item", "sender", "receiver", "reason", "state", "expected_on"]
    list_filter = ["state", "reason"]
    search_fields = ["item__barcode", "sender__code", "receiver__code"]
    list_select_related = ["item", "sender", "receiver"]


@admin.register(Crate)
class CrateAdmin(ReadOnlyAdmin):
    list_display = ["label", "origin", "destination", "state", "opened_at", "shipped_at"]
    list_filter = ["state"]
    search_fields = ["label", "origin__code", "destination__code"]
    list_select_related = ["origin", "destination"]


@admin.register(CrateScan)
class CrateScanAdmin(ReadOnlyAdmin):
    list_display = ["at", "stage", "barcode", "outcome", "crate", "branch", "staff"]
    list_filter = ["stage", "outcome"]
    search_fields = ["barcode", "crate__label"]


@admin.register(TransitEvent)
class TransitEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "kind", "item", "transit", "crate", "branch", "staff"]
    list_filter = ["kind"]
    search_fields = ["item__barcode", "crate__label"]


@admin.register(TransitSettings)
class TransitSettingsAdmin(CentralOfficeAdmin):
    list_display = ["__str__", "late_after_days", "missing_after_days", "fallback_courier_days"]
