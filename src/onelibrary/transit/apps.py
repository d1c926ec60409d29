from django.apps import AppConfig


class TransitConfig(AppConfig):
    name = "onelibrary.transit"
    verbose_name = "Transit and crates"
