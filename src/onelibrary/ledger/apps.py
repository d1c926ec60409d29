from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "onelibrary.ledger"
    verbose_name = "Accounts between members"
