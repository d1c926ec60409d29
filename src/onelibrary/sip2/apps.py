from django.apps import AppConfig


class Sip2Config(AppConfig):
    name = "onelibrary.sip2"
    verbose_name = "SIP2 for self-check machines"
