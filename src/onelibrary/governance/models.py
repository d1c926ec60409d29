"""Governance: the group's decisions, the history of its policy, membership steps, training.

docs/governance.md describes each. Writes go through `governance/actions.py`.
"""

from __future__ import annotations

from auditlog.models import LogEntry
from django.conf import settings
from django.db import models
from django.utils import timezone

from onelibrary.members.models import Library

USER = settings.AUTH_USER_MODEL


class Decision(models.Model):
    """A decision of the group: proposed, commented on by the members, voted, recorded."""

    class Body(models.TextChoices):
        BOARD = "board", "The board"
        CENTRAL_OFFICE = "central_office", "The central office"
        VOTE = "vote", "A vote of the members"

    class State(models.TextChoices):
        PROPOSED = "proposed", "Proposed: open for comments"
        VOTING = "voting", "Open for the vote"
        DECIDED = "decided", "Decided"
        REJECTED = "rejected", "Rejected"

    title = models.CharField(max_length=200)
    body = models.CharField(max_length=16, choices=Body.choices)
    text = models.TextField(help_text="What was decided, and why, in plain words.")
    links = models.TextField(blank=True, help_text="Minutes, documents: one address a line.")
    state = models.CharField(max_length=16, choices=State.choices, default=State.PROPOSED)
    proposed_at = models.DateTimeField(default=timezone.now)
    proposed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-decided_on", "-proposed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.title} ({self.decided_on or 'proposed'})"

    @property
    def link_list(self) -> list[str]:
        return [line.strip() for line in self.links.splitlines() if line.strip()]


class Comment(models.Model):
    """A member's word on a proposal: every member's comment counts the same."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="comments")
    library = models.ForeignKey(Library, on_delete=models.PROTECT, null=True, blank=True)
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    text = models.TextField()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.library or 'Central office'} on {self.decision_id}"


class Vote(models.Model):
    """One member's vote on a decision: one vote per member library, whatever its size."""

    class Choice(models.TextChoices):
        YES = "yes", "Yes"
        NO = "no", "No"
        ABSTAIN = "abstain", "Abstain"

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="votes")
    library = models.ForeignKey(Library, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(max_length=8, choices=Choice.choices)
    by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["decision", "library"], name="one_vote_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.library_id}: {self.choice}"


class PolicyChange(models.Model):
    """Which decision made one change of the policy (a django-auditlog entry: who, when,
    before and after). One row per change that has been explained."""

    entry = models.OneToOneField(LogEntry, on_delete=models.CASCADE, related_name="+")
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="changes")
    linked_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    linked_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"change {self.entry_id} by decision {self.decision_id}"


class StatusChange(models.Model):
    """A member's membership step (MEMBER-6 … 10): kept, with the decision where one is needed."""

    library = models.ForeignKey(Library, on_delete=models.PROTECT, related_name="status_changes")
    before = models.CharField(max_length=16)
    after = models.CharField(max_length=16)
    trigger = models.CharField(max_length=16)
    decision = models.ForeignKey(
        Decision, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.library_id}: {self.before} → {self.after}"


class Requirement(models.Model):
    """One of the group's requirements for joining (an applicant's checklist, as data)."""

    text = models.CharField(max_length=300)
    position = models.PositiveSmallIntegerField(default=0)
    in_force = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text


class RequirementMet(models.Model):
    """An applicant has met one requirement: who checked it, when, and a note."""

    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="+")
    requirement = models.ForeignKey(Requirement, on_delete=models.PROTECT, related_name="met")
    checked_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    checked_at = models.DateTimeField(default=timezone.now)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["library", "requirement"], name="requirement_met_once")
        ]

    def __str__(self) -> str:
        return f"{self.library_id} met {self.requirement_id}"


class TrainingModule(models.Model):
    """A training module: for new members' onboarding and for staff who need it."""

    code = models.SlugField(max_length=32, unique=True)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    onboarding = models.BooleanField(
        default=True, help_text="Every new member's staff take it while onboarding."
    )
    suggested_for = models.CharField(
        max_length=16,
        blank=True,
        choices=[("overrides", "Repeated overrides"), ("refused_scans", "Repeated refused scans")],
        help_text="The staff monitor suggests this module for that training need.",
    )

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class TrainingRecord(models.Model):
    """A staff member completed a module."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="training")
    module = models.ForeignKey(TrainingModule, on_delete=models.PROTECT, related_name="records")
    completed_on = models.DateField(default=timezone.localdate)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "module"], name="module_completed_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} completed {self.module_id}"


class TrainingSuggestion(models.Model):
    """A monitor saw a training need (repeated overrides or refused scans) and suggests a
    module. Closed when the module is completed or the central office dismisses it."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    module = models.ForeignKey(TrainingModule, on_delete=models.PROTECT, related_name="+")
    why = models.CharField(max_length=300)
    at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.module_id} for {self.user_id}"


class Onboarding(models.Model):
    """A new member's onboarding: its mentor member and its tasks."""

    library = models.OneToOneField(Library, on_delete=models.CASCADE, related_name="onboarding")
    mentor = models.ForeignKey(
        Library, on_delete=models.PROTECT, null=True, blank=True, related_name="mentees"
    )
    started_on = models.DateField(default=timezone.localdate)

    def __str__(self) -> str:
        return f"Onboarding of {self.library_id}"


class OnboardingTask(models.Model):
    """One training module or set-up step a new member completes, by a date."""

    onboarding = models.ForeignKey(Onboarding, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(max_length=200)
    module = models.ForeignKey(
        TrainingModule, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)
    done_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.title


SETUP_STEPS = (
    # The set-up steps every new member takes, with the days from the start they are due.
    ("Branches, opening days and closed dates entered", 14),
    ("Courier stop and schedule confirmed", 14),
    ("Circulation rules entered and compared with the group's", 21),
    ("Staff accounts and roles set up", 7),
    ("Items loaded and spot-checked", 30),
)
MODULE_DUE_DAYS = 30


class MonitorSettings(models.Model):
    """The compliance monitors' thresholds and where their daily findings are mailed: one
    row, edited in the admin (docs/governance.md, "Compliance monitors")."""

    crate_unpack_days = models.PositiveSmallIntegerField(
        default=2, help_text="Days after a crate arrives by which it should be unpacked."
    )
    window_days = models.PositiveSmallIntegerField(
        default=30, help_text="Days of desk work the staff monitor looks back over."
    )
    overrides_threshold = models.PositiveSmallIntegerField(
        default=5, help_text="Overrides by one person in the window that suggest training."
    )
    refused_scans_threshold = models.PositiveSmallIntegerField(
        default=10, help_text="Refused scans by one person in the window that suggest training."
    )
    email_to = models.EmailField(
        blank=True, help_text="Where the daily findings are mailed; empty: not mailed."
    )

    class Meta:
        verbose_name_plural = "monitor settings"

    def __str__(self) -> str:
        return "Monitor settings"

    @classmethod
    def current(cls) -> MonitorSettings:
        return cls.objects.order_by("pk").first() or cls()
