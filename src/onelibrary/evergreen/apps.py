from django.apps import AppConfig


class EvergreenConfig(AppConfig):
    name = "onelibrary.evergreen"
    verbose_name = "Migration from Evergreen"
