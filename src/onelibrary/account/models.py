"""A patron's own login: the hashed PIN, and every login attempt (for the rate limit).

The PIN is kept here rather than on `Patron`: staff reads of a patron record never touch
it, and erasing or exporting a record needs no change to know about it.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from onelibrary.patrons.models import Patron


class PatronPin(models.Model):
    """The patron's PIN (or password), hashed with Django's password hashers."""

    class SetBy(models.TextChoices):
        PATRON = "patron", "The patron, online"
        STAFF = "staff", "Library staff"
        DEMO = "demo", "The demo generator"

    patron = models.OneToOneField(Patron, on_delete=models.CASCADE, related_name="pin")
    pin_hash = models.CharField(max_length=256)
    set_at = models.DateTimeField(default=timezone.now)
    set_by = models.CharField(max_length=8, choices=SetBy.choices)

    class Meta:
        verbose_name = "patron PIN"

    def __str__(self) -> str:
        return f"PIN of patron {self.patron_id}"


class LoginAttempt(models.Model):
    """One try at logging in. Failures within the window lock the card and the address
    (`account.ratelimit`); rows, not a cache, so every process sees them."""

    at = models.DateTimeField(default=timezone.now)
    card = models.CharField(max_length=64, help_text="As typed, without spaces or dashes.")
    address = models.CharField(max_length=64, help_text="The client's IP address.")
    ok = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(fields=["card", "at"], name="login_attempt_card_at"),
            models.Index(fields=["address", "at"], name="login_attempt_address_at"),
        ]

    def __str__(self) -> str:
        return f"{'ok' if self.ok else 'failed'} {self.card} from {self.address} at {self.at}"
