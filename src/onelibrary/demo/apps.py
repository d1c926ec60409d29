from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "onelibrary.demo"
    verbose_name = "Demo group"
