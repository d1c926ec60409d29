from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "onelibrary.governance"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from onelibrary.floating.models import FloatRule
        from onelibrary.policy.models import (
            CirculationRule,
            ExemptionReason,
            GroupPolicy,
            MemberPolicy,
        )

        # The policy history (docs/governance.md): every change of these is kept with who,
        # when, before and after; governance.history links each to its decision.
        for model in (CirculationRule, GroupPolicy, ExemptionReason, MemberPolicy, FloatRule):
            auditlog.register(model)
