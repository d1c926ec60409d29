"""Loans, the charges they raise, every circulation event, and scans that failed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from onelibrary.catalog.models import Item
from onelibrary.circulation import states
from onelibrary.members.models import Branch, Library
from onelibrary.patrons.models import Patron


class Loan(models.Model):
    class State(models.TextChoices):
        ACTIVE = states.ACTIVE, states.STATE_LABELS[states.ACTIVE]
        RETURNED = states.RETURNED, states.STATE_LABELS[states.RETURNED]
        CLAIMS_RETURNED = states.CLAIMS_RETURNED, states.STATE_LABELS[states.CLAIMS_RETURNED]
        LOST = states.LOST, states.STATE_LABELS[states.LOST]

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="loans")
    # Null once the loan is returned and the patron has not opted in to loan history.
    patron = models.ForeignKey(
        Patron, on_delete=models.SET_NULL, null=True, blank=True, related_name="loans"
    )
    # The patron's home library at checkout. Kept when the patron link is cut at return,
    # so a copy found damaged later can say which library's patron had it last (DAMAGED-3).
    borrower_library = models.ForeignKey(
        Library, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # What reports need, as it was at checkout (docs/insights.md, "What is recorded"):
    # kept when the patron link is cut, and true even if the copy or patron changes later.
    borrower_category = models.CharField(max_length=16, blank=True)
    owning_library = models.ForeignKey(
        Library, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    by_hold = models.BooleanField(default=False, help_text="The checkout filled a hold.")
    state = models.CharField(max_length=16, choices=State.choices, default=State.ACTIVE)
    checkout_branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="+")
    checked_out_at = models.DateTimeField(default=timezone.now)
    due_date = models.DateField()
    renewals = models.PositiveSmallIntegerField(default=0)
    rule = models.JSONField(default=dict, help_text="The resolved rule at checkout, with sources.")
    returned_at = models.DateTimeField(null=True, blank=True)
    checkin_branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["item"],
                condition=~models.Q(state="returned"),
                name="one_open_loan_per_item",
            )
        ]
        indexes = [
            models.Index(fields=["patron", "state"], name="loan_patron_state"),
            # insights reads a day's loans when it builds that day's summary.
            models.Index(fields=["checked_out_at"], name="loan_checked_out_at"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} to {self.patron_id} due {self.due_date}"

    @property
    def is_open(self) -> bool:
        return self.state != self.State.RETURNED


class Charge(models.Model):
    """Money a patron owes: overdue fines now; lost and damaged replacement later."""

    class Kind(models.TextChoices):
        OVERDUE = "overdue", "Overdue fine"
        LOST = "lost", "Lost item"
        DAMAGED = "damaged", "Damaged item"

    patron = models.ForeignKey(Patron, on_delete=models.PROTECT, related_name="charges")
    loan = models.ForeignKey(Loan, on_delete=models.SET_NULL, null=True, blank=True)
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="charges")
    library = models.ForeignKey(Library, on_delete=models.PROTECT, help_text="Owed to.")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    amount = models.DecimalField(max_digits=8, decimal_places=2)
    created_at = models.DateTimeField(default=timezone.now)
    settled_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} ({self.patron_id})"


class Event(models.Model):
    """One row per change: who, where, when, what, and the rule applied."""

    kind = models.CharField(max_length=32, db_index=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, null=True, blank=True)
    item = models.ForeignKey(Item, on_delete=models.PROTECT, null=True, blank=True)
    patron = models.ForeignKey(Patron, on_delete=models.SET_NULL, null=True, blank=True)
    loan = models.ForeignKey(Loan, on_delete=models.SET_NULL, null=True, blank=True)
    decision = models.CharField(max_length=16, blank=True, help_text="Decision-table id.")
    rule = models.JSONField(default=dict, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["item", "kind", "at"], name="event_item_kind_at")]

    def __str__(self) -> str:
        return f"{self.kind} {self.decision} at {self.at:%Y-%m-%d %H:%M}"


class UnprocessedScan(models.Model):
    """A scan the desk could not process. Kept until staff deal with it; never dropped."""

    at = models.DateTimeField(default=timezone.now)
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, null=True, blank=True)
    screen = models.CharField(max_length=16)
    barcode = models.CharField(max_length=200, blank=True)
    patron_card = models.CharField(max_length=200, blank=True)
    code = models.CharField(max_length=32)
    message = models.TextField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.screen} scan {self.barcode or self.patron_card}: {self.code}"


# Payments and the history of each charge (docs/circulation/money.md).
from onelibrary.circulation.money_models import ChargeEntry, Payment  # noqa: E402

__all__ = ["Charge", "ChargeEntry", "Event", "Loan", "Payment", "UnprocessedScan"]
