"""Community partners of member libraries, what passes between them, their memoranda of
understanding, and the indicators that show whether a project worked (docs/outreach.md).

No patron data lives here: partners are organisations, contacts are their staff.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from onelibrary.members.models import Library


class PartnerKind(models.Model):
    """A kind of partner, from the staff's Compatible Library Partners Chart (context 004),
    kept as data: loaded by migration 0002, edited in the admin."""

    name = models.CharField(max_length=120, unique=True)
    examples = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Partner(models.Model):
    """A community organisation that one or more member libraries work with."""

    name = models.CharField(max_length=200)
    kind = models.ForeignKey(PartnerKind, on_delete=models.PROTECT, related_name="partners")
    libraries = models.ManyToManyField(Library, related_name="outreach_partners")
    website = models.URLField(blank=True)
    about = models.TextField(blank=True)
    partner_offers = models.TextField(blank=True)
    partner_needs = models.TextField(blank=True)
    library_offers = models.TextField(blank=True)
    library_needs = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Contact(models.Model):
    """A person at the partner organisation (not a patron)."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Interaction(models.Model):
    """A meeting, call, email or visit with the partner, and what came of it."""

    class Kind(models.TextChoices):
        MEETING = "meeting", "Meeting"
        CALL = "call", "Phone or video call"
        EMAIL = "email", "Email"
        VISIT = "visit", "Visit"
        EVENT = "event", "Event together"

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="interactions")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    on = models.DateField()
    notes = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.on:%Y-%m-%d}"


class NeedsAssessment(models.Model):
    """The guide's advice before entering a collaboration: assess needs, a SWOT analysis,
    and the chances of success. One per partner, revised as things change."""

    class Chances(models.TextChoices):
        GOOD = "good", "Good"
        FAIR = "fair", "Fair"
        POOR = "poor", "Poor"
        UNSURE = "unsure", "Not yet known"

    partner = models.OneToOneField(Partner, on_delete=models.CASCADE, related_name="assessment")
    community_needs = models.TextField(blank=True)
    strengths = models.TextField(blank=True)
    weaknesses = models.TextField(blank=True)
    opportunities = models.TextField(blank=True)
    threats = models.TextField(blank=True)
    chances = models.CharField(max_length=8, choices=Chances.choices, default=Chances.UNSURE)
    chances_note = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Needs assessment of partner {self.partner_id}"


class Project(models.Model):
    """Something a library and a partner do together, measured by its indicators."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="projects")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Indicator(models.Model):
    """A measure of a project's success with its target (EVAL-2)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(max_length=200)
    unit = models.CharField(max_length=60, blank=True)
    target = models.DecimalField(max_digits=14, decimal_places=2)
    higher_is_better = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class IndicatorValue(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    on = models.DateField()
    value = models.DecimalField(max_digits=14, decimal_places=2)
    note = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.value} on {self.on:%Y-%m-%d}"


class Memorandum(models.Model):
    """A memorandum of understanding with a partner: the working draft's sections as a
    JSON object {section key: text} (keys from `mou.SECTIONS`), its versions, signatures
    and the next date to revisit it."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SIGNED = "signed", "Signed"
        REVISING = "revising", "Signed; a revision is being drafted"

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="memoranda")
    title = models.CharField(max_length=200)
    texts = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The staff member reminded when it is time to revisit it.",
    )
    review_on = models.DateField(null=True, blank=True)
    # MOU-5: the review date a reminder was last sent for; the daily job claims a
    # memorandum by moving this to review_on with a conditional UPDATE.
    reminded_for = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return self.title


class MemorandumVersion(models.Model):
    """A frozen copy of the memorandum: each signed-off draft, and each signed text."""

    memorandum = models.ForeignKey(Memorandum, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    texts = models.JSONField(default=dict)
    signed = models.BooleanField(default=False)
    saved_at = models.DateTimeField(auto_now_add=True)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["memorandum", "number"], name="one_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.title}, version {self.number}"


class Signature(models.Model):
    """Who signed a version for one side, and when."""

    class Side(models.TextChoices):
        LIBRARY = "library", "For the library"
        PARTNER = "partner", "For the partner"

    version = models.ForeignKey(
        MemorandumVersion, on_delete=models.CASCADE, related_name="signatures"
    )
    side = models.CharField(max_length=8, choices=Side.choices)
    name = models.CharField(max_length=200)
    position = models.CharField(max_length=200, blank=True)
    signed_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["side"]

    def __str__(self) -> str:
        return f"{self.name} ({self.side}, {self.signed_on:%Y-%m-%d})"
