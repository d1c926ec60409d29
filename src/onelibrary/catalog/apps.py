from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "onelibrary.catalog"
    verbose_name = "Catalog"
