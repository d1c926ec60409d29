from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "onelibrary.catalog"
    verbose_name = "Catalog"

    def ready(self) -> None:
        # Item edits from the staff pages and the admin keep a change log (who, when, old
        # and new values). Circulation moves use .update() and have their own events.
        from auditlog.registry import auditlog

        from onelibrary.catalog.models import Item

        auditlog.register(Item, exclude_fields=["created_at"])
