"""The help desk: problem reports from staff, the thread on each, and the known answers
(docs/helpdesk.md). Reports are written only by `helpdesk.actions`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from onelibrary.members.models import Branch, Library


class Report(models.Model):
    """One problem as a staff member saw it: the symptom first, then the circumstances.

    `library` is the branch's library, kept so that its staff find their own reports
    (HELP-5). The `context_*` fields hold what OneLibrary knew when the form was opened
    from a refused scan or an error page (HELP-8): text for the technical staff to read,
    never used to decide anything."""

    class Affects(models.TextChoices):
        ME = "me", "Just me, on this computer"
        SOME = "some", "A few of us at this branch"
        BRANCH = "branch", "Everyone at this branch"
        MANY = "many", "Several branches or libraries"
        PATRONS = "patrons", "Patrons (public computers, self-check, the catalog)"
        UNSURE = "unsure", "I'm not sure"

    class Category(models.TextChoices):
        UNSORTED = "unsorted", "Not sorted yet"
        DESK = "desk", "Desk and scanning"
        PRINTING = "printing", "Printers and slips"
        HARDWARE = "hardware", "Computers, scanners and other devices"
        NETWORK = "network", "Network and internet"
        ACCOUNTS = "accounts", "Accounts and passwords"
        RECORDS = "records", "Catalog, patron and item records"
        TRANSIT = "transit", "Crates, courier and transit"
        OTHER = "other", "Something else"

    class Priority(models.TextChoices):
        LOW = "low", "Low: when there is time"
        NORMAL = "normal", "Normal"
        HIGH = "high", "High: work is held up"
        URGENT = "urgent", "Urgent: a desk or branch cannot work"

    class Status(models.TextChoices):
        NEW = "new", "New: not looked at yet"
        IN_PROGRESS = "in_progress", "Being looked at"
        WAITING = "waiting", "Waiting for an answer from the person who reported it"
        RESOLVED = "resolved", "Resolved"

    filed_at = models.DateTimeField(default=timezone.now)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    library = models.ForeignKey(Library, on_delete=models.PROTECT, related_name="+")
    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="+")

    symptom = models.TextField()
    doing = models.TextField(blank=True)
    message_seen = models.TextField(blank=True)
    started = models.CharField(max_length=200, blank=True)
    tried = models.TextField(blank=True)
    device = models.CharField(max_length=200, blank=True)
    affects = models.CharField(max_length=16, choices=Affects.choices, default=Affects.UNSURE)
    screenshot = models.CharField(max_length=200, blank=True)  # a name in default_storage
    screenshot_type = models.CharField(max_length=40, blank=True)  # its MIME type

    context_page = models.CharField(max_length=500, blank=True)
    context_decision = models.CharField(max_length=40, blank=True)
    context_message = models.TextField(blank=True)
    context_at = models.CharField(max_length=100, blank=True)
    context_scan = models.IntegerField(null=True, blank=True)  # an UnprocessedScan's id

    category = models.CharField(max_length=16, choices=Category.choices, default=Category.UNSORTED)
    priority = models.CharField(max_length=16, choices=Priority.choices, default=Priority.NORMAL)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.NEW)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-filed_at", "-pk"]
        indexes = [models.Index(fields=["library", "status"])]

    def __str__(self) -> str:
        return f"{self.number}: {self.summary}"

    @property
    def number(self) -> str:
        return f"Report {self.pk}"

    @property
    def summary(self) -> str:
        first = self.symptom.strip().splitlines()[0] if self.symptom.strip() else ""
        return first if len(first) <= 80 else first[:79] + "…"


class Message(models.Model):
    """A line in a report's thread: a reply (by the person who reported it, their library's
    staff or technical staff) or a triage change, written by `actions` with the report."""

    class Kind(models.TextChoices):
        REPLY = "reply", "Reply"
        CHANGE = "change", "Change"

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="messages")
    at = models.DateTimeField(default=timezone.now)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    body = models.TextField()
    emailed_to = models.TextField(blank=True)  # addresses, one a line; empty when none

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.report.number}, {self.get_kind_display()} by {self.author}"


class Article(models.Model):
    """A known answer: Markdown shown safely (no raw HTML), suggested by its keywords."""

    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=200)
    body = models.TextField(help_text="Markdown. Raw HTML is shown as text.")
    keywords = models.CharField(
        max_length=500,
        blank=True,
        help_text="Words people use for this problem, separated by commas: "
        "'printer, slip, jam, paper'.",
    )
    published = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title
