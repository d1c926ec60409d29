from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "onelibrary.members"
    verbose_name = "Members"

    def ready(self) -> None:
        # Who issued or revoked an API key, and when, is kept; the key's hash never is.
        from auditlog.registry import auditlog

        from onelibrary.members.models import ApiToken, StaffRole

        auditlog.register(ApiToken, exclude_fields=["key_hash", "last_used_at"])
        auditlog.register(StaffRole)
