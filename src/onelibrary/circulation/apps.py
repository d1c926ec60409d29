from django.apps import AppConfig


class CirculationConfig(AppConfig):
    name = "onelibrary.circulation"
    verbose_name = "Circulation"
