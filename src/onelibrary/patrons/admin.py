"""Admin for patrons: read-only for staff, changes by the central office only.

The admin follows the field-permission table like every other way in: a staff member sees
only the fields the table lets them see, every opening of a record is audited (via
'admin'), and the central office's changes go through `actions.update_patron`. Staff
register, edit, merge and erase patrons on the /patrons/ pages, which add the duplicate
check and the ID check; records are never deleted (erasure keeps an anonymised row).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse

from onelibrary.members.access import is_central_office, is_staff_member
from onelibrary.members.admin import CentralOfficeAdmin, StaffAdminMixin
from onelibrary.patrons import access, actions
from onelibrary.patrons.access import PatronError, Rights
from onelibrary.patrons.fields import EDITABLE_FIELDS
from onelibrary.patrons.forms import FieldChecks
from onelibrary.patrons.models import Patron, PatronAudit, ServiceArea

ADMIN = PatronAudit.Via.ADMIN


class PatronAdminForm(FieldChecks, forms.ModelForm):
    """The same checks as the patron pages (postcode, birth date, phone, expiry)."""

    class Meta:
        model = Patron
        fields = list(EDITABLE_FIELDS)


@admin.register(Patron)
class PatronAdmin(StaffAdminMixin, admin.ModelAdmin):
    form = PatronAdminForm
    list_select_related = ["home_library"]
    show_full_result_count = False

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).filter(merged_into=None, erased_at=None)

    # Lists show who the patron is (always visible) and nothing the table may hide.
    def get_list_display(self, request: HttpRequest) -> tuple[str, ...]:
        if is_central_office(request.user):
            return ("card", "last_name", "first_name", "home_library", "category", "expires_on")
        return ("card", "last_name", "first_name", "home_library", "expires_on")

    def get_list_filter(self, request: HttpRequest) -> tuple[str, ...]:
        if is_central_office(request.user):
            return ("category", "home_library")
        return ("home_library",)

    def get_search_fields(self, request: HttpRequest) -> list[str]:
        if is_central_office(request.user):
            return ["=card", "last_name", "first_name", "email"]
        return ["=card", "last_name", "first_name"]

    def _rights(self, request: HttpRequest, obj: Patron) -> Rights:
        cache = request.__dict__.setdefault("_patron_rights", {})
        if obj.pk not in cache:
            cache[obj.pk] = access.rights_for(request.user, obj.home_library_id)
        return cache[obj.pk]

    def get_fields(self, request: HttpRequest, obj: Patron | None = None) -> tuple[str, ...]:
        if obj is None:
            return ()
        return (*self._rights(request, obj).grant.visible_fields, "registered_at", "created_at")

    def get_readonly_fields(self, request: HttpRequest, obj: Patron | None = None) -> list[str]:
        if obj is None:
            return []
        fields = list(self.get_fields(request, obj))
        if not is_central_office(request.user):
            return fields
        editable = set(self._rights(request, obj).grant.editable_fields)
        return [n for n in fields if n not in editable]

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        """Opening a record in the admin is a view like any other: audited."""
        patron = self.get_object(request, object_id)
        if patron is not None and self.has_view_permission(request, patron):
            try:
                access.open_patron(request.user, patron, via=ADMIN)
            except PatronError as error:
                self.message_user(request, error.message, level="error")
                return self.changelist_view(request)
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request: HttpRequest, obj: Patron, form: ModelForm, change: bool) -> None:
        changes = {n: form.cleaned_data[n] for n in form.changed_data if n in EDITABLE_FIELDS}
        assert request.user.is_authenticated  # the admin site lets only signed-in staff in
        actions.update_patron(request.user, obj.pk, changes, via=ADMIN)

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return is_staff_member(request.user)

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return is_central_office(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # registration is on /patrons/register/, with the duplicate check

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # erasure on request is on the record's page


@admin.register(PatronAudit)
class PatronAuditAdmin(StaffAdminMixin, admin.ModelAdmin):
    """The central office may read the audit here; nobody may add, change or delete it."""

    list_display = ["at", "staff", "library", "patron", "action", "via"]
    list_filter = ["action", "via"]
    list_select_related = ["staff", "library", "patron"]
    search_fields = ["=patron__card"]
    show_full_result_count = False

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_central_office(request.user)

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return is_central_office(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        return {}


@admin.register(ServiceArea)
class ServiceAreaAdmin(CentralOfficeAdmin):
    list_display = ["library", "kind", "value"]
    list_filter = ["kind", "library"]
    search_fields = ["value"]
