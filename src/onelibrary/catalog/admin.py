"""Admin for titles (read-mostly: they come from MARC) and items (per-library).

Every staff member may look at every copy in the group, but may change only the copies
their own library owns (rules: catalog.change_item). Changes go through
`catalog.actions.update_item`, which checks the same rule again. The status is shown,
never edited: it changes only through the desk's item actions, each with a note and an
event (docs/circulation/item-desk.md).
"""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from django.utils import timezone

from onelibrary.catalog.actions import update_item_from_form
from onelibrary.catalog.forms import ItemForm
from onelibrary.catalog.models import Item, Title
from onelibrary.catalog.search import index_titles
from onelibrary.members.access import is_central_office, is_staff_member
from onelibrary.members.admin import StaffAdminMixin

ITEM_EDITABLE = list(ItemForm.Meta.fields)


INLINE_FIELDS = ("barcode", "owning_library", "home_branch", "current_branch", "status")


class ItemInline(admin.TabularInline):
    model = Item
    fk_name = "title"
    fields = INLINE_FIELDS
    readonly_fields = INLINE_FIELDS
    extra = 0
    show_change_link = True
    can_delete = False

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return is_staff_member(request.user)

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest):
        return (
            super()
            .get_queryset(request)
            .select_related("owning_library", "home_branch", "current_branch")
        )


@admin.register(Title)
class TitleAdmin(StaffAdminMixin, admin.ModelAdmin):
    list_display = ["title", "author", "year", "format", "language"]
    list_filter = ["format"]
    search_fields = ["title", "author", "=oclc_number"]
    fields = [
        "title",
        "author",
        "subjects",
        "format",
        "language",
        "year",
        "publisher",
        "isbns",
        "oclc_number",
        "created_at",
        "updated_at",
    ]
    # Identifiers decide how later imports merge into this title: not for hand editing.
    readonly_fields = ["isbns", "oclc_number", "created_at", "updated_at"]
    inlines = [ItemInline]
    show_full_result_count = False

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).defer("marc")

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return is_staff_member(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Title | None = None) -> bool:
        return request.user.has_perm("catalog.change_title", obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # titles come from MARC imports, which also de-duplicate them

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Title, form, change: bool) -> None:
        obj.updated_at = timezone.now()
        obj.save()
        # Same transaction as the edit (the admin view is atomic), so search never lags.
        index_titles([obj.pk])


@admin.register(Item)
class ItemAdmin(StaffAdminMixin, admin.ModelAdmin):
    form = ItemForm
    list_display = ["barcode", "title", "owning_library", "home_branch", "current_branch", "status"]
    list_filter = ["status", "owning_library", "item_type"]
    search_fields = ["=barcode", "call_number"]
    list_select_related = ["title", "owning_library", "home_branch", "current_branch"]
    raw_id_fields = ["title"]
    show_full_result_count = False

    def get_fields(self, request: HttpRequest, obj: Item | None = None) -> tuple[str, ...]:
        where = ["barcode", "title", "owning_library", "home_branch", "current_branch"]
        return (*where, "status", *ITEM_EDITABLE, *(["created_at"] if obj else []))

    def get_readonly_fields(self, request: HttpRequest, obj: Item | None = None) -> list[str]:
        # Where a copy is, who owns it and its status change through circulation,
        # transfers and the desk's item actions; a new copy starts available.
        if obj is None:
            return ["status"]
        return [
            "barcode",
            "title",
            "owning_library",
            "home_branch",
            "current_branch",
            "status",
            "created_at",
        ]

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return is_staff_member(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Item | None = None) -> bool:
        # The rule needs an item; the list itself (obj=None) is open to any staff member,
        # and each row then opens editable or read-only by the rule.
        if obj is None:
            return is_staff_member(request.user)
        return request.user.has_perm("catalog.change_item", obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Copies arrive with MARC holdings; by hand only the central office adds one.
        return is_central_office(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Item | None = None) -> bool:
        return request.user.has_perm("catalog.delete_item", obj)

    def save_model(self, request: HttpRequest, obj: Item, form, change: bool) -> None:
        if not change:
            obj.save()
            return
        update_item_from_form(request.user, obj, form.cleaned_data)
