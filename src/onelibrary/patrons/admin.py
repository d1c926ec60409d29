"""Admin for patrons: one card, valid at every branch.

Any member's staff may look up and update a patron (the shared record); removing one
is the central office's call. Field-level permissions and the view/edit audit trail
come with the patrons issue.
"""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from onelibrary.members.access import is_central_office, is_staff_member
from onelibrary.members.admin import StaffAdminMixin
from onelibrary.patrons.models import Patron


@admin.register(Patron)
class PatronAdmin(StaffAdminMixin, admin.ModelAdmin):
    list_display = ["card", "last_name", "first_name", "home_library", "category", "expires_on"]
    list_filter = ["category", "home_library"]
    search_fields = ["=card", "last_name", "first_name", "email"]
    list_select_related = ["home_library"]
    readonly_fields = ["created_at"]
    show_full_result_count = False

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return is_staff_member(request.user)

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return is_staff_member(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_staff_member(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return is_central_office(request.user)
