from django.apps import AppConfig


class AccountConfig(AppConfig):
    name = "onelibrary.account"
    verbose_name = "Patron accounts"

    def ready(self) -> None:
        from onelibrary.account.privacy import on_erasing, on_exporting
        from onelibrary.patrons.signals import erasing, exporting

        exporting.connect(on_exporting, dispatch_uid="account-export")
        erasing.connect(on_erasing, dispatch_uid="account-erase")
