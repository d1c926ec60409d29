"""Admin for the group's policy: the group settings, exemption reasons and the rules table.

Any staff member may read every rule: the group runs on knowing each other's policy.
The central office changes the group settings, the exemption reasons and the group
rules; a library admin changes the rules of their own library and no other.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet
from django.http import HttpRequest

from onelibrary.members import access
from onelibrary.members.access import is_central_office, is_staff_member
from onelibrary.members.admin import CentralOfficeAdmin, StaffAdminMixin
from onelibrary.members.models import Library
from onelibrary.policy.models import CirculationRule, ExemptionReason, GroupPolicy


def admin_library_ids(user: User | AnonymousUser) -> set[int]:
    """The libraries whose rules this account may change as their library admin."""
    return access.admin_library_ids(user)


@admin.register(GroupPolicy)
class GroupPolicyAdmin(CentralOfficeAdmin):
    list_display = ["__str__", "governing_library", "repeat_scan_seconds"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # One row: GroupPolicy.current() reads the first.
        return super().has_add_permission(request) and not GroupPolicy.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(ExemptionReason)
class ExemptionReasonAdmin(CentralOfficeAdmin):
    list_display = ["label", "code"]
    search_fields = ["label", "code"]


class ScopeFilter(admin.SimpleListFilter):
    title = "applies to"
    parameter_name = "scope"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin):
        return [("group", "The whole group"), ("member", "One member library")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "group":
            return queryset.filter(library__isnull=True)
        if self.value() == "member":
            return queryset.filter(library__isnull=False)
        return queryset


def _distinct_filter(field: str, label: str) -> type[admin.SimpleListFilter]:
    """A filter over the values a rule criterion actually takes (free text in the model)."""

    class Filter(admin.SimpleListFilter):
        title = label
        parameter_name = field

        def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin):
            values = (
                CirculationRule.objects.exclude(**{field: ""})
                .order_by(field)
                .values_list(field, flat=True)
                .distinct()
            )
            return [("-", "(any)"), *((value, value) for value in values)]

        def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
            if self.value() == "-":
                return queryset.filter(**{field: ""})
            if self.value():
                return queryset.filter(**{field: self.value()})
            return queryset

    return Filter


@admin.register(CirculationRule)
class CirculationRuleAdmin(StaffAdminMixin, admin.ModelAdmin):
    list_display = [
        "name",
        "scope",
        "item_type",
        "collection",
        "patron_category",
        "loan_days",
        "renewals_allowed",
        "max_items_out",
        "fine_per_day",
        "holdable",
        "exempt_reason",
        "locked",
    ]
    list_filter = [
        ScopeFilter,
        "library",
        _distinct_filter("item_type", "item type"),
        _distinct_filter("collection", "collection"),
        _distinct_filter("patron_category", "patron category"),
        "locked",
        "holdable",
        "exempt_reason",
    ]
    search_fields = ["name", "item_type", "collection", "patron_category", "library__code"]
    list_select_related = ["library", "exempt_reason"]
    fieldsets = [
        (None, {"fields": ["name"]}),
        (
            "Matches (blank matches anything)",
            {"fields": ["library", "item_type", "collection", "patron_category"]},
        ),
        (
            "Settings (blank inherits from a less specific rule)",
            {
                "fields": [
                    "loan_days",
                    "renewals_allowed",
                    "max_items_out",
                    "fine_per_day",
                    "fine_cap",
                    "fine_block_threshold",
                    "holdable",
                    "exempt_reason",
                ]
            },
        ),
        ("Group rules only", {"fields": ["locked"]}),
    ]

    @admin.display(description="Applies to", ordering="library__code")
    def scope(self, rule: CirculationRule) -> str:
        return rule.library.code if rule.library else "Group"

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return is_staff_member(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_central_office(request.user) or bool(admin_library_ids(request.user))

    def has_change_permission(
        self, request: HttpRequest, obj: CirculationRule | None = None
    ) -> bool:
        if is_central_office(request.user):
            return True
        mine = admin_library_ids(request.user)
        if obj is None:
            return bool(mine)
        return obj.library_id in mine

    def has_delete_permission(
        self, request: HttpRequest, obj: CirculationRule | None = None
    ) -> bool:
        return self.has_change_permission(request, obj)

    def get_readonly_fields(self, request: HttpRequest, obj: CirculationRule | None = None):
        return [] if is_central_office(request.user) else ["locked"]

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        if db_field.name == "library" and not is_central_office(request.user):
            # A library admin writes rules for their own library only: never group rules.
            kwargs["queryset"] = Library.objects.filter(pk__in=admin_library_ids(request.user))
            kwargs["required"] = True
            kwargs["empty_label"] = None
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
