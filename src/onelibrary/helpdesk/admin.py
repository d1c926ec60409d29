"""The known answers are written in the admin, by the central office and anyone given the
helpdesk.*_article permissions (technical staff, typically). Reports are worked on the
help desk's own pages, where access is checked; the admin shows none."""

from django.contrib import admin

from onelibrary.helpdesk.models import Article


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("title", "keywords", "published", "updated_at")
    list_filter = ("published",)
    search_fields = ("title", "keywords", "body")
    prepopulated_fields = {"slug": ("title",)}
