from django.apps import AppConfig


class PatronsConfig(AppConfig):
    name = "onelibrary.patrons"
    verbose_name = "Patrons"
