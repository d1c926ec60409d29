from django.apps import AppConfig


class CourierConfig(AppConfig):
    name = "onelibrary.courier"
    verbose_name = "Courier routes"
