"""Money at the desk: payments, and every movement of money against a charge.

A `Payment` is money a patron hands over at one desk (cash, card, other). It is split over
the patron's charges, one `ChargeEntry` of kind "payment" per charge, so each `Charge`
has its own history: what was paid towards it, waived, refunded and cancelled. What a
charge still owes, and so whether it is settled, is worked out in one place from those
entries: `circulation.ledger.Balance` (docs/circulation/money.md, "Settled").

Imported by `circulation.models`, whose `Charge` these rows point at by name.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from onelibrary.members.models import Branch
from onelibrary.patrons.models import Patron


class Method(models.TextChoices):
    CASH = "cash", "Cash"
    CARD = "card", "Card"
    OTHER = "other", "Other"


class Payment(models.Model):
    """Money taken from a patron at a desk, split over their charges (MONEY-1)."""

    patron = models.ForeignKey(Patron, on_delete=models.PROTECT, related_name="payments")
    amount = models.DecimalField(max_digits=8, decimal_places=2)
    method = models.CharField(max_length=8, choices=Method.choices)
    reference = models.CharField(
        max_length=100, blank=True, help_text="A card slip or cheque number, if any."
    )
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    owed_after = models.DecimalField(
        max_digits=9, decimal_places=2, help_text="What the patron still owed once it was taken."
    )
    # The one-time token of the form (or API call) that took it: a second submit of the
    # same form finds this payment instead of taking the money again (MONEY-5).
    token = models.CharField(max_length=64, unique=True, null=True, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.amount} {self.method} from {self.patron_id} at {self.at:%Y-%m-%d %H:%M}"


class ChargeEntry(models.Model):
    """One movement of money against one charge: the charge's payment history."""

    class Kind(models.TextChoices):
        PAYMENT = "payment", "Paid"
        WAIVER = "waiver", "Waived"
        REFUND = "refund", "Refunded"
        CANCEL = "cancel", "Cancelled"

    charge = models.ForeignKey(
        "circulation.Charge", on_delete=models.PROTECT, related_name="entries"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices)
    amount = models.DecimalField(max_digits=8, decimal_places=2)  # always > 0
    payment = models.ForeignKey(
        Payment, on_delete=models.PROTECT, null=True, blank=True, related_name="entries"
    )
    method = models.CharField(max_length=8, choices=Method.choices, blank=True)  # refunds
    reason = models.CharField(max_length=300, blank=True)  # waivers, refunds, cancellations
    decision = models.CharField(max_length=16, help_text="Decision-table id (MONEY-…).")
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, null=True, blank=True)
    at = models.DateTimeField(default=timezone.now)
    owed_after = models.DecimalField(max_digits=8, decimal_places=2)
    token = models.CharField(max_length=64, unique=True, null=True, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name_plural = "charge entries"
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="charge_entry_positive"),
            models.CheckConstraint(
                condition=models.Q(owed_after__gte=0), name="charge_entry_never_overpaid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} on charge {self.charge_id}"
