from django.apps import AppConfig


class AccountConfig(AppConfig):
    name = "onelibrary.account"
    verbose_name = "Patron accounts"
