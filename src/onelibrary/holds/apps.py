from django.apps import AppConfig


class HoldsConfig(AppConfig):
    name = "onelibrary.holds"
    verbose_name = "Holds"
