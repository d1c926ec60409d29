"""Admin for floating: float groups (central office), float rules (the central office, or
a library admin for their own library) and capacities (read here, edited on the
balancing page). Saves go through `floating.actions`, so items' flags follow and every
change is logged; a refusal is shown as an error and changes nothing."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.models import AnonymousUser, User
from django.http import HttpRequest

from onelibrary.floating import actions
from onelibrary.floating.models import Capacity, FloatGroup, FloatLog, FloatRule
from onelibrary.members.access import admin_library_ids, is_central_office, is_staff_member
from onelibrary.members.admin import CentralOfficeAdmin, StaffAdminMixin
from onelibrary.members.models import Library


def _admin_library_ids(user: User | AnonymousUser) -> set[int]:
    return admin_library_ids(user)


class FloatGroupForm(forms.ModelForm):
    class Meta:
        model = FloatGroup
        fields = ["code", "name", "libraries", "nearby_days"]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if self.instance.pk and "libraries" in data:
            kept = {lib.pk for lib in data["libraries"]}
            leaving = self.instance.rules.filter(floats=True).exclude(library_id__in=kept)
            codes = sorted(set(leaving.values_list("library__code", flat=True)))
            if codes:
                raise forms.ValidationError(
                    f"{', '.join(codes)} float items in this group: change those rules first, "
                    "then take the member out of the group."
                )
        return data


class FloatRuleForm(forms.ModelForm):
    class Meta:
        model = FloatRule
        fields = ["library", "collection", "item_type", "floats", "float_group"]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        group, library = data.get("float_group"), data.get("library")
        if (
            data.get("floats")
            and group
            and library
            and not group.libraries.filter(pk=library.pk).exists()
        ):
            raise forms.ValidationError(
                f"{library.name} is not a member of the float group {group.name}. Choose a "
                "group it belongs to, or none to float anywhere in the sharing group."
            )
        return data


@admin.register(FloatGroup)
class FloatGroupAdmin(CentralOfficeAdmin):
    form = FloatGroupForm
    list_display = ["name", "code", "nearby_days", "members"]
    filter_horizontal = ["libraries"]

    @admin.display(description="Members")
    def members(self, group: FloatGroup) -> str:
        return ", ".join(group.libraries.order_by("code").values_list("code", flat=True))

    def save_model(self, request, obj, form, change):  # the members are saved with them
        pass

    def save_related(self, request, form, formsets, change):
        data = form.cleaned_data
        try:
            form.instance = actions.save_group(
                request.user,
                data["code"],
                data["name"],
                list(data["libraries"]),
                nearby_days=float(data["nearby_days"]),
            )
        except actions.FloatingError as error:
            messages.error(request, error.message)


class FloatRuleAdminBase(StaffAdminMixin, admin.ModelAdmin):
    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return is_staff_member(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_central_office(request.user) or bool(_admin_library_ids(request.user))

    def has_change_permission(self, request: HttpRequest, obj: FloatRule | None = None) -> bool:
        if is_central_office(request.user):
            return True
        mine = _admin_library_ids(request.user)
        return bool(mine) if obj is None else obj.library_id in mine

    def has_delete_permission(self, request: HttpRequest, obj: FloatRule | None = None) -> bool:
        return self.has_change_permission(request, obj)


@admin.register(FloatRule)
class FloatRuleAdmin(FloatRuleAdminBase):
    form = FloatRuleForm
    list_display = ["library", "collection", "item_type", "floats", "float_group"]
    list_filter = ["library", "floats", "float_group"]
    list_select_related = ["library", "float_group"]

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        if db_field.name == "library" and not is_central_office(request.user):
            kwargs["queryset"] = Library.objects.filter(pk__in=_admin_library_ids(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj: FloatRule, form, change):
        try:
            if change:
                old = FloatRule.objects.get(pk=obj.pk)
                if (old.collection, old.item_type) != (obj.collection, obj.item_type):
                    actions.delete_rule(request.user, old)
            saved = actions.save_rule(
                request.user,
                obj.library,
                collection=obj.collection,
                item_type=obj.item_type,
                floats=obj.floats,
                group=obj.float_group,
            )
            obj.pk = saved.pk
        except actions.FloatingError as error:
            messages.error(request, error.message)

    def delete_model(self, request, obj: FloatRule):
        try:
            actions.delete_rule(request.user, obj)
        except actions.FloatingError as error:
            messages.error(request, error.message)


@admin.register(Capacity)
class CapacityAdmin(CentralOfficeAdmin):
    """Read here; changed on the balancing page (/floating/), which logs each change."""

    list_display = ["branch", "collection", "capacity"]
    list_filter = ["collection"]
    list_select_related = ["branch"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(FloatLog)
class FloatLogAdmin(CapacityAdmin):
    list_display = ["at", "kind", "staff", "library", "detail"]
    list_filter = ["kind"]
    list_select_related = ["staff", "library"]
