from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "onelibrary.outreach"
    verbose_name = "Outreach and community partners"
