from django.apps import AppConfig


class PatronsConfig(AppConfig):
    name = "onelibrary.patrons"
    verbose_name = "Patrons"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from onelibrary.patrons.models import FieldPermission, PatronSettings, ServiceArea

        # The group's patron rules keep a change log; patron records have their own audit
        # (PatronAudit), which also records every view.
        auditlog.register(FieldPermission)
        auditlog.register(PatronSettings)
        auditlog.register(ServiceArea)
