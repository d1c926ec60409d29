"""Admin for the directory's data: contacts and hours (the central office, or a library
admin for their own library), ticket categories (the central office). Procedures and
tickets have their own pages, which keep versions and threads; not edited here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from onelibrary.directory.models import BranchHours, Contact, TicketCategory
from onelibrary.members.access import admin_library_ids, is_central_office, is_staff_member
from onelibrary.members.admin import CentralOfficeAdmin, StaffAdminMixin
from onelibrary.members.models import Branch, Library


class OwnLibraryAdmin(StaffAdminMixin, admin.ModelAdmin):
    """Rows that belong to one library (`library_field`): staff see all, the central office
    and that library's admin change them."""

    library_field = "library_id"

    def _library_of(self, obj: Any) -> int:
        return getattr(obj, self.library_field)

    def _may_change(self, request: HttpRequest, obj: Any = None) -> bool:
        if is_central_office(request.user):
            return True
        mine = admin_library_ids(request.user)
        return bool(mine) if obj is None else self._library_of(obj) in mine

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_staff_member(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._may_change(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_change(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_change(request, obj)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        # A library admin may file rows only under their own library and its branches.
        if not is_central_office(request.user):
            mine = admin_library_ids(request.user)
            if db_field.name == "library":
                kwargs["queryset"] = Library.objects.filter(pk__in=mine)
            elif db_field.name == "branch":
                kwargs["queryset"] = Branch.objects.filter(library_id__in=mine)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Contact)
class ContactAdmin(OwnLibraryAdmin):
    list_display = ["library", "function", "name", "email", "phone", "branch", "public"]
    list_filter = ["function", "public"]
    search_fields = ["name", "email", "library__name"]


@admin.register(BranchHours)
class BranchHoursAdmin(OwnLibraryAdmin):
    list_display = ["branch", "hours"]

    def _library_of(self, obj: Any) -> int:
        return obj.branch.library_id

    def get_queryset(self, request: HttpRequest) -> QuerySet[BranchHours]:
        return super().get_queryset(request).select_related("branch")


@admin.register(TicketCategory)
class TicketCategoryAdmin(CentralOfficeAdmin):
    list_display = ["name", "code", "response_days", "is_active"]
