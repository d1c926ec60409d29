from django.apps import AppConfig


class CirculationConfig(AppConfig):
    name = "onelibrary.circulation"
    verbose_name = "Circulation"

    def ready(self) -> None:
        from onelibrary.circulation.due_back import due_dates
        from onelibrary.circulation.history import forget_on_withdrawal
        from onelibrary.holds.signals import due_back
        from onelibrary.patrons.signals import history_withdrawn

        history_withdrawn.connect(forget_on_withdrawal, dispatch_uid="circulation-history")
        due_back.connect(due_dates, dispatch_uid="circulation-due-back")
