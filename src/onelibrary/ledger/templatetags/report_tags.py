"""`{% reports_to_answer %}`: the damage reports waiting for this staff member's library
to accept or dispute, listed on the ledger's pages (docs/ledger.md)."""

from __future__ import annotations

from typing import Any

from django import template

from onelibrary.ledger import disputes
from onelibrary.ledger.report_models import DamageReport

register = template.Library()


@register.inclusion_tag("ledger/_reports_to_answer.html", takes_context=True)
def reports_to_answer(context: dict[str, Any]) -> dict[str, Any]:
    user = context["request"].user
    waiting = disputes.visible_reports(user).filter(
        state__in=(DamageReport.State.OPEN, DamageReport.State.ESCALATED)
    )
    return {
        "waiting": [
            r
            for r in waiting
            if (r.state == DamageReport.State.OPEN and disputes.may_answer(user, r))
            or (r.state == DamageReport.State.ESCALATED and disputes.may_decide(user))
        ]
    }
