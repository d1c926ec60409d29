"""Admin for courier routes, hubs, the courier-days matrix, settings and the change log.
Every staff member may look; the central office changes. Saves and deletions of routes
and hubs go through courier.actions, so the admin validates and logs exactly as the staff
pages do."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from onelibrary.courier import actions
from onelibrary.courier.forms import WeekdaysField
from onelibrary.courier.models import (
    CourierDays,
    CourierEvent,
    CourierSettings,
    Hub,
    Route,
    Stop,
)
from onelibrary.courier.validation import StopDraft, route_problems
from onelibrary.members.access import is_central_office, is_staff_member
from onelibrary.members.admin import CentralOfficeAdmin, ReadOnlyAdmin


class RouteAdminForm(forms.ModelForm):
    days = WeekdaysField(label="The van runs on")

    class Meta:
        model = Route
        fields = ["code", "name", "days", "hubs", "is_active", "notes"]
        widgets = {"hubs": forms.CheckboxSelectMultiple}

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip().upper()


class HubAdminForm(forms.ModelForm):
    class Meta:
        model = Hub
        fields = ["code", "name", "transfer_days", "notes"]

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip().upper()


class StopAdminForm(forms.ModelForm):
    days = WeekdaysField(label="Called on")

    class Meta:
        model = Stop
        fields = ["position", "branch", "days"]


class StopFormSet(forms.BaseInlineFormSet):
    def kept(self) -> list[forms.ModelForm]:
        rows = [
            f
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE") and f.cleaned_data.get("branch")
        ]
        return sorted(
            rows, key=lambda f: (f.cleaned_data.get("position") or 0, self.forms.index(f))
        )

    def clean(self) -> None:
        super().clean()
        route = self.instance
        drafts = [
            StopDraft(
                branch_code=f.cleaned_data["branch"].code,
                days=f.cleaned_data["days"],
                open_for_good=f.cleaned_data["branch"].is_active,
            )
            for f in self.kept()
        ]
        problems = route_problems(
            code=route.code or "",
            name=route.name or "",
            days=route.days or "0000000",
            stops=drafts,
            hub_count=2,  # the hubs are checked with the route's form, not here
        )
        if problems:
            raise ValidationError(problems)

    def validate_unique(self) -> None:
        # Positions are renumbered 1, 2, 3 … on save; the same branch twice is a problem
        # reported by clean() in words.
        return None


class StopInline(admin.TabularInline):
    model = Stop
    form = StopAdminForm
    formset = StopFormSet
    extra = 2
    ordering = ["position"]
    autocomplete_fields = ()
    raw_id_fields = ["branch"]

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return is_staff_member(request.user)

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return is_central_office(request.user)

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return is_central_office(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return is_central_office(request.user)


@admin.register(Route)
class RouteAdmin(CentralOfficeAdmin):
    form = RouteAdminForm
    list_display = ["code", "name", "days", "is_active", "updated_at"]
    list_filter = ["is_active", "hubs"]
    search_fields = ["code", "name", "stops__branch__code"]
    inlines = [StopInline]

    def save_model(self, request: HttpRequest, obj: Route, form: Any, change: bool) -> None:
        """Saved with its stops in save_related, through the action."""

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        stops = []
        for formset in formsets:
            if isinstance(formset, StopFormSet):
                stops = [
                    actions.StopInput(f.cleaned_data["branch"].code, f.cleaned_data["days"])
                    for f in formset.kept()
                ]
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        data = form.cleaned_data
        actions.save_route(
            request.user,
            form.instance,
            code=data["code"],
            name=data["name"],
            days=data["days"],
            hubs=list(data["hubs"]),
            stops=stops,
            is_active=data["is_active"],
            notes=data["notes"],
        )

    def delete_model(self, request: HttpRequest, obj: Route) -> None:
        actions.delete_route(request.user, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for route in queryset:
            actions.delete_route(request.user, route)


@admin.register(Hub)
class HubAdmin(CentralOfficeAdmin):
    form = HubAdminForm
    list_display = ["code", "name", "transfer_days"]
    search_fields = ["code", "name"]

    def save_model(self, request: HttpRequest, obj: Hub, form: Any, change: bool) -> None:
        data = form.cleaned_data
        actions.save_hub(
            request.user,
            obj,
            code=data["code"],
            name=data["name"],
            transfer_days=data["transfer_days"],
            notes=data["notes"],
        )

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> Any:
        deleted, counts, perms, protected = super().get_deleted_objects(objs, request)
        for hub in objs:
            for route in hub.routes.order_by("code"):
                protected.append(f"Route {route.code} meets at hub {hub.code}: take it off first")
        return deleted, counts, perms, protected

    def delete_model(self, request: HttpRequest, obj: Hub) -> None:
        actions.delete_hub(request.user, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for hub in queryset:
            actions.delete_hub(request.user, hub)


@admin.register(CourierSettings)
class CourierSettingsAdmin(CentralOfficeAdmin):
    list_display = ["__str__", "learned_min_transits", "learned_window_days", "use_learned"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and not CourierSettings.objects.exists()


@admin.register(CourierDays)
class CourierDaysAdmin(CentralOfficeAdmin):
    list_display = ["origin", "destination", "days"]
    list_filter = ["origin__library"]
    search_fields = ["origin__code", "destination__code"]
    list_select_related = ["origin", "destination"]
    raw_id_fields = ["origin", "destination"]


@admin.register(CourierEvent)
class CourierEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "kind", "subject", "staff"]
    list_filter = ["kind"]
    search_fields = ["subject"]
    readonly_fields = ["at", "kind", "subject", "staff", "detail"]
