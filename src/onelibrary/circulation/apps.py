from django.apps import AppConfig


class CirculationConfig(AppConfig):
    name = "onelibrary.circulation"
    verbose_name = "Circulation"

    def ready(self) -> None:
        from onelibrary.circulation.history import forget_on_withdrawal
        from onelibrary.patrons.signals import history_withdrawn

        history_withdrawn.connect(forget_on_withdrawal, dispatch_uid="circulation-history")
