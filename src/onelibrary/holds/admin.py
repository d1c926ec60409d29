"""Admin for holds: holds and their events to look at (they change only through the holds
actions and pages), and the courier-days matrix, which the central office may correct."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from onelibrary.holds.models import Hold, HoldEvent
from onelibrary.members.access import is_staff_member
from onelibrary.members.admin import ReadOnlyAdmin

EVENT_FIELDS = ("at", "kind", "staff", "item", "lender", "borrower")


class HoldEventInline(admin.TabularInline):
    model = HoldEvent
    fields = EVENT_FIELDS
    readonly_fields = EVENT_FIELDS
    extra = 0
    can_delete = False
    show_change_link = False

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return is_staff_member(request.user)

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Hold)
class HoldAdmin(ReadOnlyAdmin):
    list_display = ["pk", "title", "patron", "pickup_branch", "state", "placed_at"]
    list_filter = ["state", "pickup_branch__library"]
    search_fields = ["patron__card", "patron__last_name", "title__title", "assigned_item__barcode"]
    list_select_related = ["title", "patron", "pickup_branch"]
    raw_id_fields = ["patron", "title", "item", "assigned_item", "pickup_branch", "placed_by"]
    inlines = [HoldEventInline]


@admin.register(HoldEvent)
class HoldEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "kind", "hold", "item", "lender", "borrower", "staff"]
    list_filter = ["kind"]
    search_fields = ["hold__patron__card", "item__barcode", "lender", "borrower"]
    list_select_related = ["item", "staff"]
    raw_id_fields = ["hold", "item", "staff"]
