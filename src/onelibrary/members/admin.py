"""Admin for the group, its libraries, branches and staff roles.

Permissions come from the rules in members/rules.py, asked per object. Staff accounts
hold no Django model permissions, so each admin here also says who may see the app
at all: any staff member (a StaffRole), the central office, or a superuser.
"""

from __future__ import annotations

from typing import cast

from auditlog.admin import LogEntryAdmin
from auditlog.models import LogEntry
from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.admin.utils import get_fields_from_path
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.db.models.fields.related import RelatedField
from django.http import HttpRequest
from rules.contrib.admin import ObjectPermissionsModelAdmin

from onelibrary.members.access import (
    is_central_office,
    is_staff_member,
    may_manage_library,
    staff_library_ids,
)
from onelibrary.members.models import Branch, ClosedDate, Library, SharingGroup, StaffRole


class FilterLookupsOnly:
    """List lookups in the query string only on the admin's own list filters.

    Django's admin takes any lookup on a model's own fields (`?birth_date__lte=…`) and
    answers with a count: one bit of a field the user may not see per request, and no
    audit row. Here only the parameters the list's filters themselves send are taken;
    anything else is Django's DisallowedModelAdminLookup, a 400 logged by
    `django.security`. Every registered admin has this (tests/web/test_admin.py).
    """

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest | None = None) -> bool:
        model_admin = cast(admin.ModelAdmin, self)
        if not super().lookup_allowed(lookup, value, request):  # type: ignore[misc]
            return False
        return lookup in filter_parameters(model_admin, request)


def filter_parameters(model_admin: admin.ModelAdmin, request: HttpRequest | None) -> set[str]:
    """The query-string names the admin's list filters send (Django's field filters)."""
    names: set[str] = set()
    filters = model_admin.get_list_filter(request) if request else model_admin.list_filter
    for item in filters:
        if isinstance(item, type) and issubclass(item, admin.SimpleListFilter):
            names.add(str(item.parameter_name))
            continue
        path = item[0] if isinstance(item, (list, tuple)) else item
        if not isinstance(path, str):
            continue
        field = get_fields_from_path(model_admin.model, path)[-1]
        names |= {f"{path}__{suffix}" for suffix in ("exact", "isnull", "gte", "lt", "isempty")}
        if isinstance(field, RelatedField):
            names.add(f"{path}__{field.target_field.name}__exact")  # RelatedFieldListFilter
    return names


# Django's, auditlog's and axes' own admins, registered before ours, get the same rule.
admin.site.unregister([User, Group, LogEntry, AccessAttempt, AccessLog, AccessFailureLog])


@admin.register(User)
class AccountAdmin(FilterLookupsOnly, UserAdmin):
    pass


@admin.register(Group)
class AccountGroupAdmin(FilterLookupsOnly, GroupAdmin):
    pass


@admin.register(LogEntry)
class ChangeLogAdmin(FilterLookupsOnly, LogEntryAdmin):
    pass


@admin.register(AccessAttempt)
class LoginFailureAdmin(FilterLookupsOnly, AccessAttemptAdmin):
    pass


@admin.register(AccessLog)
class LoginLogAdmin(FilterLookupsOnly, AccessLogAdmin):
    pass


@admin.register(AccessFailureLog)
class LoginFailureLogAdmin(FilterLookupsOnly, AccessFailureLogAdmin):
    pass


class StaffAdminMixin(FilterLookupsOnly):
    """Opens the admin app to staff members, whose rights are rules, not model perms."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_staff_member(request.user)


class CentralOfficeAdmin(StaffAdminMixin, admin.ModelAdmin):
    """Staff may look; only the central office changes."""

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return is_staff_member(request.user)

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return is_central_office(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_central_office(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return is_central_office(request.user)


class ReadOnlyAdmin(StaffAdminMixin, admin.ModelAdmin):
    """Staff may look; nobody changes here: records that change only through their app's
    actions and pages (holds, transits, crates and their events)."""

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return is_staff_member(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(SharingGroup)
class SharingGroupAdmin(CentralOfficeAdmin):
    list_display = ["name", "code", "contact_email"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # One group per installation: SharingGroup.current() reads the first row.
        return super().has_add_permission(request) and not SharingGroup.objects.exists()


class RulesAdmin(StaffAdminMixin, ObjectPermissionsModelAdmin):
    """Per-object rights from rules; the list (obj=None) is open to all staff."""

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return is_staff_member(request.user)

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        if obj is None:
            return is_staff_member(request.user)
        return super().has_change_permission(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        opts = self.opts
        return request.user.has_perm(f"{opts.app_label}.add_{opts.model_name}")


@admin.register(Library)
class LibraryAdmin(RulesAdmin):
    list_display = ["name", "code", "size_class", "status", "contact_email"]
    list_filter = ["status", "size_class"]
    search_fields = ["name", "code"]

    def get_readonly_fields(self, request: HttpRequest, obj: Library | None = None):
        # A member's own staff keep its contact details; membership is the group's call,
        # and its status changes only by the membership steps (governance, MEMBER-6 … 10),
        # which record each with its decision.
        if obj is not None and not is_central_office(request.user):
            fixed = ["code", "status", "size_class", "joined_on"]
            if not may_manage_library(request.user, obj.pk):
                # What desk staff may do with money is their library admin's call (MONEY-7, -11).
                fixed += ["desk_waiver_limit", "desk_may_override_fines"]
            return fixed
        return ["status"] if obj is not None else []


class ClosedDateInline(admin.TabularInline):
    model = ClosedDate
    extra = 1

    def _may_change_branch(self, request: HttpRequest, obj: Branch | None) -> bool:
        return obj is not None and request.user.has_perm("members.change_branch", obj)

    def has_view_permission(self, request: HttpRequest, obj: Branch | None = None) -> bool:
        return is_staff_member(request.user)

    def has_add_permission(self, request: HttpRequest, obj: Branch | None = None) -> bool:
        if obj is None:  # the add page of a new branch
            return is_central_office(request.user)
        return self._may_change_branch(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Branch | None = None) -> bool:
        return self._may_change_branch(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Branch | None = None) -> bool:
        return self._may_change_branch(request, obj)


@admin.register(Branch)
class BranchAdmin(RulesAdmin):
    list_display = ["name", "code", "library", "town", "courier_stop", "open_days", "is_active"]
    list_filter = ["library", "is_active"]
    search_fields = ["name", "code", "town"]
    list_select_related = ["library"]
    inlines = [ClosedDateInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Branch | None = None):
        if obj is not None and not is_central_office(request.user):
            return ["library", "code", "courier_stop"]
        return []


@admin.register(StaffRole)
class StaffRoleAdmin(CentralOfficeAdmin):
    list_display = ["user", "role", "library"]
    list_filter = ["role", "library"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    list_select_related = ["user", "library"]

    def get_queryset(self, request: HttpRequest):
        # Library staff see their own colleagues; the central office sees everyone.
        queryset = super().get_queryset(request)
        if is_central_office(request.user):
            return queryset
        return queryset.filter(library_id__in=staff_library_ids(request.user))
