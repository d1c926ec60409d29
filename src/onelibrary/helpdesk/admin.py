"""The known answers are written here by technical staff and the central office; every
staff member may read them. Reports are worked on the help desk's own pages, where access
is checked (HELP-5); the admin shows none."""

from django.contrib import admin
from django.http import HttpRequest

from onelibrary.helpdesk.models import Article
from onelibrary.members.access import is_staff_member, is_technical_staff
from onelibrary.members.admin import StaffAdminMixin


@admin.register(Article)
class ArticleAdmin(StaffAdminMixin, admin.ModelAdmin):
    list_display = ("title", "keywords", "published", "updated_at")
    list_filter = ("published",)
    search_fields = ("title", "keywords", "body")
    prepopulated_fields = {"slug": ("title",)}

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_staff_member(request.user) or is_technical_staff(request.user)

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return self.has_module_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return is_technical_staff(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_technical_staff(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return is_technical_staff(request.user)
