"""The accounts between members: entries that are never changed, and the replacement policy.

An `Entry` says that one party owes another an amount, for a reason, decided by a case of
the replacement policy. Entries are written once (`ledger.book.post`) and never edited or
deleted: a correction is a reversing entry (`ledger.book.reverse`). The model refuses a
second save, a delete and the queryset's bulk update and delete, so no code path can
change the books by accident (docs/ledger.md).

A party is a member library, or the group itself (no library: `None`), which stands for
the courier and for losses the group carries.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from onelibrary.catalog.models import Item
from onelibrary.circulation.models import Loan
from onelibrary.members.models import Library


class Immutable(Exception):
    """An entry was about to be changed or deleted. Post a reversing entry instead."""


class EntryQuerySet(models.QuerySet["Entry"]):
    def update(self, **kwargs: Any) -> int:
        raise Immutable("Ledger entries are never updated: post a reversing entry instead.")

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> int:
        raise Immutable("Ledger entries are never updated: post a reversing entry instead.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise Immutable("Ledger entries are never deleted: post a reversing entry instead.")


class Entry(models.Model):
    """One debt between two parties. `debtor` owes `creditor` `amount`."""

    class Kind(models.TextChoices):
        REPLACEMENT = "replacement", "Replacement"
        REPAIR = "repair", "Repair"
        PROCESSING_FEE = "processing_fee", "Processing fee"
        PATRON_PAYMENT = "patron_payment", "Patron's payment passed on"
        REFUND = "refund", "Refund (found after payment)"
        OVERDUE_SHARE = "overdue_share", "Share of overdue fines"
        TRANSIT_LOSS = "transit_loss", "Loss or damage in transit"
        WRITE_OFF = "write_off", "Write-off by decision"
        REVERSAL = "reversal", "Reversal"

    booked_at = models.DateTimeField(default=timezone.now, db_index=True)
    occurred_at = models.DateTimeField(
        default=timezone.now, help_text="When the fact it books happened (the loss, the payment)."
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    # None is the group: the courier, or a loss the group carries (docs/ledger.md).
    debtor = models.ForeignKey(
        Library, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    creditor = models.ForeignKey(
        Library, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    item = models.ForeignKey(
        Item, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    loan = models.ForeignKey(
        Loan, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # What the entry books, as (source_kind, source_id): e.g. ("circulation.event", "812").
    # Unique with the entry kind, so the same fact is booked once (LEDGER-13).
    source_kind = models.CharField(max_length=32)
    source_id = models.CharField(max_length=64)
    decision = models.CharField(max_length=16, help_text="Decision-table id (LEDGER-…).")
    policy = models.JSONField(
        default=dict, blank=True, help_text="The policy, version and case that decided it."
    )
    reason = models.CharField(max_length=500)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # A reversing entry names the entry it cancels; one reversal per entry.
    reverses = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversed_by"
    )

    objects = EntryQuerySet.as_manager()

    class Meta:
        ordering = ["booked_at", "pk"]
        verbose_name_plural = "entries"
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="ledger_amount_positive"),
            models.CheckConstraint(
                condition=~models.Q(debtor=models.F("creditor"))
                & ~models.Q(debtor__isnull=True, creditor__isnull=True),
                name="ledger_two_parties",
            ),
            models.UniqueConstraint(
                fields=["source_kind", "source_id", "kind"], name="ledger_one_entry_per_fact"
            ),
        ]
        indexes = [
            models.Index(fields=["debtor", "booked_at"], name="ledger_debtor_at"),
            models.Index(fields=["creditor", "booked_at"], name="ledger_creditor_at"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind} {self.amount}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None or self._state.adding is False:
            raise Immutable(f"Entry #{self.pk} is booked: post a reversing entry to correct it.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise Immutable(f"Entry #{self.pk} is booked: post a reversing entry to correct it.")


class ReplacementPolicy(models.Model):
    """One version of the group's replacement policy. A version in force is never edited:
    a change is a new version (`ledger.policies.new_version`), so every entry's snapshot
    names a version whose words still say what decided it."""

    name = models.CharField(max_length=100)
    version = models.PositiveIntegerField()
    in_force = models.BooleanField(default=False)
    adopted_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=500, blank=True)
    # Flat amounts by item type, used when a copy has no price (or to cap it: basis
    # "lower"): {"book": "25.00", "dvd": "20.00", "": "30.00"}; "" is any other type.
    flat_amounts = models.JSONField(default=dict, blank=True)
    # Overdue fines a member collects on another member's copy: the share passed to the
    # owner, in percent (0: each keeps what it collects).
    overdue_share_percent = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["name", "-version"]
        verbose_name_plural = "replacement policies"
        constraints = [
            models.UniqueConstraint(fields=["name", "version"], name="ledger_policy_version"),
            models.UniqueConstraint(
                fields=["in_force"], condition=models.Q(in_force=True), name="ledger_one_in_force"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class PolicyCase(models.Model):
    """What one case of a policy decides: who owes whom, how much, and by when."""

    class Case(models.TextChoices):
        LOST_BY_PATRON = "lost_by_patron", "Lost by a patron"
        DAMAGED_BY_PATRON = "damaged_by_patron", "Damaged by a patron"
        LOST_IN_TRANSIT = "lost_in_transit", "Lost in transit"
        DAMAGED_IN_TRANSIT = "damaged_in_transit", "Damaged in transit or on arrival"
        FOUND_AFTER_PAYMENT = "found_after_payment", "Found after payment"
        CLAIMS_RETURNED = "claims_returned", "Claimed returned and not found"

    class Payer(models.TextChoices):
        BORROWER = "borrower", "the borrowing member"
        SENDER = "sender", "the sending member"
        RECEIVER = "receiver", "the receiving member"
        COURIER = "courier", "the courier (booked to the group)"
        GROUP = "group", "the group"
        OWNER = "owner", "the owning member (it carries the loss)"

    class Basis(models.TextChoices):
        PRICE = "price", "the copy's price when it was lost"
        FLAT = "flat", "a flat amount by item type"
        LOWER = "lower", "the lower of the price and the flat amount"

    policy = models.ForeignKey(ReplacementPolicy, on_delete=models.CASCADE, related_name="cases")
    case = models.CharField(max_length=24, choices=Case.choices)
    payer = models.CharField(max_length=16, choices=Payer.choices)
    basis = models.CharField(max_length=8, choices=Basis.choices, default=Basis.PRICE)
    processing_fee = models.DecimalField(max_digits=8, decimal_places=2, default=0)
    repair_instead = models.BooleanField(
        default=False, help_text="Damage: the repair cost is owed instead of the replacement."
    )
    repair_cost = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    claim_days = models.PositiveIntegerField(default=90, help_text="Days to claim.")
    dispute_days = models.PositiveIntegerField(default=30, help_text="Days to dispute a claim.")
    owes_when_unpaid = models.BooleanField(
        default=True, help_text="The borrowing member owes even when its patron has not paid."
    )
    after_days = models.PositiveIntegerField(
        default=0, help_text="Claims returned: owed once the copy is still missing this long."
    )
    keep_fee_when_found = models.BooleanField(
        default=True, help_text="Found after payment: the owner keeps the processing fee."
    )

    class Meta:
        ordering = ["policy", "case"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "case"], name="ledger_one_case_per_policy"),
            models.CheckConstraint(
                condition=models.Q(processing_fee__gte=0), name="ledger_fee_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.policy}: {self.get_case_display()}"


class PostingCursor(models.Model):
    """How far the poster has read one source of facts (`ledger.posting`): the last id."""

    source = models.CharField(max_length=32, unique=True)
    last_id = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.source} at {self.last_id}"


# Damage reports and disputes live in their own module (docs/ledger.md); Django finds
# models through this one.
from onelibrary.ledger.report_models import (  # noqa: E402
    DamageReport,
    Decision,
    DisputeMessage,
    Photo,
    Reminder,
)

__all__ = [
    "DamageReport",
    "Decision",
    "DisputeMessage",
    "Entry",
    "Photo",
    "PolicyCase",
    "PostingCursor",
    "Reminder",
    "ReplacementPolicy",
]
