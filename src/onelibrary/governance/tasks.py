"""The compliance monitors' daily run: the findings, the staff monitor's training
suggestions, and the mail to the address in MonitorSettings (docs/governance.md)."""

from __future__ import annotations

import datetime as dt
import logging

from django.core.mail import send_mail
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from onelibrary.governance import actions, monitors
from onelibrary.governance.models import MonitorSettings, TrainingModule

log = logging.getLogger(__name__)


def daily(now: dt.datetime | None = None) -> list[monitors.Finding]:
    now = now or timezone.now()
    settings = MonitorSettings.current()
    findings = monitors.run(now)
    modules = {m.suggested_for: m for m in TrainingModule.objects.exclude(suggested_for="")}
    for need in monitors.training_needs(now, settings):
        module = modules.get(need.kind)
        if module is not None:
            actions.suggest_training(
                need.user,
                module,
                f"{need.count} {need.kind.replace('_', ' ')} in {settings.window_days} days",
            )
    if settings.email_to and findings:
        lines = [f"- [{f.monitor}] {f.member or 'group'}: {f.what}" for f in findings]
        send_mail(
            f"Compliance monitors: {len(findings)} findings on {timezone.localdate(now):%d %b %Y}",
            "\n".join(lines),
            None,
            [settings.email_to],
        )
    return findings


@db_periodic_task(crontab(hour="6", minute="41"))
def run_monitors() -> None:
    log.info("compliance monitors: %s findings", len(daily()))
