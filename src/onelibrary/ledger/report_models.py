"""Damage reports, their photos, the dispute thread, the central office's decision, and the
reminders sent before each deadline (docs/ledger.md, "Damage reports and disputes").

A `DamageReport` is one member's claim that a copy came back damaged: at a checkin after
another member's patron had it, or out of a crate ("damaged on arrival"). It names the
owner (who is owed), the payer (who would owe, by the policy in force; None is the group)
and the responder, the party that was told and must accept or dispute by `respond_by`.
The entries it books name it as their source (`ledger.report`, id), so they are booked
once. Written only by `ledger.disputes`; kept apart from `models.py` so that it imports
nothing from it (string references), and re-exported there for Django.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from onelibrary.catalog.models import Item
from onelibrary.circulation.models import Loan
from onelibrary.members.models import Library
from onelibrary.transit.models import Transit

USER = settings.AUTH_USER_MODEL


class DamageReport(models.Model):
    class Where(models.TextChoices):
        CHECKIN = "checkin", "At checkin"
        ARRIVAL = "arrival", "Damaged on arrival"

    class State(models.TextChoices):
        OPEN = "open", "Awaiting an answer"
        ACCEPTED = "accepted", "Accepted"
        DISPUTED = "disputed", "Disputed"
        ESCALATED = "escalated", "With the central office"
        DECIDED = "decided", "Decided by the central office"

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    where = models.CharField(max_length=8, choices=Where.choices)
    case = models.CharField(max_length=24)  # rules.DAMAGED_BY_PATRON or DAMAGED_IN_TRANSIT
    # The loss it claims, once: "loan:<id>" or "transit:<id>" (DISPUTE-4).
    fact = models.CharField(max_length=40, unique=True)
    loan = models.ForeignKey(
        Loan, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    transit = models.ForeignKey(
        Transit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    owner = models.ForeignKey(Library, on_delete=models.PROTECT, related_name="+")
    # None: the group (the courier) owes.
    payer = models.ForeignKey(
        Library, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The party told, who accepts or disputes; None: the central office answers.
    responder = models.ForeignKey(
        Library, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reporter_library = models.ForeignKey(
        Library, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    occurred_at = models.DateTimeField(help_text="When the copy came back or arrived.")
    note = models.TextField(max_length=2000)
    amount = models.DecimalField(max_digits=10, decimal_places=2, help_text="What the policy says.")
    policy = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=12, choices=State.choices, default=State.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    respond_by = models.DateTimeField(help_text="The dispute deadline.")
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    escalated_at = models.DateTimeField(null=True, blank=True)
    decide_by = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "respond_by"], name="ledger_report_due")]

    def __str__(self) -> str:
        return f"Report #{self.pk} ({self.get_state_display()})"

    @property
    def parties(self) -> set[int | None]:
        return {self.owner_id, self.payer_id, self.reporter_library_id} - {None}


class DisputeMessage(models.Model):
    """One message in a report's thread: from a party's staff, or the central office."""

    report = models.ForeignKey(DamageReport, on_delete=models.PROTECT, related_name="messages")
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    library = models.ForeignKey(
        Library, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )  # None: the central office
    body = models.TextField(max_length=4000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Message #{self.pk} on report #{self.report_id}"


class Photo(models.Model):
    """A photo of the damage, in the storage API's default store; only ever served
    through `ledger.report_views.photo`, which checks who asks."""

    report = models.ForeignKey(DamageReport, on_delete=models.PROTECT, related_name="photos")
    message = models.ForeignKey(
        DisputeMessage, on_delete=models.PROTECT, null=True, blank=True, related_name="photos"
    )
    file = models.FileField(max_length=200)
    content_type = models.CharField(max_length=32)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return f"Photo #{self.pk} of report #{self.report_id}"


class Decision(models.Model):
    """The central office's decision on a disputed report: who owes what, and why."""

    class Outcome(models.TextChoices):
        CHARGE = "charge", "One member owes the other"
        GROUP_CARRIES = "group_carries", "Written off: the group carries it"
        OWNER_CARRIES = "owner_carries", "Written off: the owner carries it"

    report = models.OneToOneField(DamageReport, on_delete=models.PROTECT, related_name="decision")
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    debtor = models.ForeignKey(
        Library, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    creditor = models.ForeignKey(
        Library, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    amount = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    reason = models.CharField(max_length=500)
    decided_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Decision on report #{self.report_id}: {self.outcome}"


class Reminder(models.Model):
    """One reminder sent before one deadline: the unique key makes the daily job send it
    once however often it runs (DISPUTE-16)."""

    class Deadline(models.TextChoices):
        CLAIM = "claim", "Claim"
        DISPUTE = "dispute", "Dispute"
        DECISION = "decision", "Decision"

    deadline = models.CharField(max_length=8, choices=Deadline.choices)
    subject = models.CharField(max_length=40)  # "report:<id>" or "transit:<id>"
    due_at = models.DateTimeField()
    sent_at = models.DateTimeField(default=timezone.now)
    recipients = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["deadline", "subject"], name="ledger_remind_once")
        ]

    def __str__(self) -> str:
        return f"{self.deadline} reminder for {self.subject}"
