from django.apps import AppConfig


class HelpdeskConfig(AppConfig):
    name = "onelibrary.helpdesk"
    verbose_name = "Help desk: problem reports and known answers"
