from django.apps import AppConfig


class FloatingConfig(AppConfig):
    name = "onelibrary.floating"
    verbose_name = "Floating collections"
