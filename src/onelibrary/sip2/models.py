"""A self-check machine's login: one account per machine (or per branch), at one branch."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from onelibrary.members.models import Branch


class SipAccount(models.Model):
    """What a self-check machine logs in as (SIP2 93, `CN`/`CO`).

    It acts through its own staff user (`user`, named `sip2:<login>`, with the desk role at
    the branch's library and no usable web password), so the desk's access rules apply to
    it unchanged and every event and refused scan it causes names it (SIP-6).
    """

    login = models.CharField(max_length=64, unique=True)
    password_hash = models.CharField(max_length=256)
    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="sip_accounts")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="sip_account"
    )
    require_pin = models.BooleanField(
        default=True,
        help_text="Refuse a patron's loans, renewals and details without their PIN (AD).",
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"SIP2 account {self.login} at {self.branch.code}"
