"""The group's directory (contacts per function, opening hours), its procedures (SOP
pages with versions) and escalation tickets between members and the central office.

docs/directory.md describes all three; the rules live in `contacts.py`, `procedures.py`
and `tickets.py`, which are the only writers of these rows.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models

from onelibrary.catalog.models import Item
from onelibrary.members.models import Branch, Library
from onelibrary.patrons.models import Patron
from onelibrary.transit.models import Crate

USER = settings.AUTH_USER_MODEL


class Contact(models.Model):
    """Who to ask at a member for one function (circulation, ILL, the director, IT).

    `public` contacts are shown to anyone and printed in the public pamphlet; the others
    only to staff of any member (docs/directory.md, "Who sees what")."""

    class Function(models.TextChoices):
        DIRECTOR = "director", "Director"
        CIRCULATION = "circulation", "Circulation"
        ILL = "ill", "Interlibrary loan"
        IT = "it", "IT"

    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="contacts")
    branch = models.ForeignKey(
        Branch,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="contacts",
        help_text="Empty: the contact serves the whole library.",
    )
    function = models.CharField(max_length=16, choices=Function.choices)
    name = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    public = models.BooleanField(
        default=False, help_text="Shown to the public; otherwise to library staff only."
    )

    class Meta:
        ordering = ["library__name", "function", "pk"]

    def __str__(self) -> str:
        return f"{self.library.code} {self.get_function_display()}: {self.name or self.email}"


class BranchHours(models.Model):
    """A branch's opening hours in words ("Mon–Fri 10–6, Sat 10–2"); its open days are the
    branch's own (`Branch.open_days`), which the desk and routing use."""

    branch = models.OneToOneField(Branch, on_delete=models.CASCADE, related_name="hours")
    hours = models.CharField(max_length=200, help_text="As patrons read it: Mon–Fri 10–6.")

    class Meta:
        verbose_name_plural = "branch hours"

    def __str__(self) -> str:
        return f"{self.branch.code}: {self.hours}"


key_validator = RegexValidator(
    r"^[a-z]+:[a-z_-]+$", "A page key is two words joined by a colon, e.g. desk:checkin."
)


class Procedure(models.Model):
    """A procedure (SOP) page; its text is its newest `ProcedureVersion`."""

    slug = models.SlugField(max_length=64, unique=True)
    title = models.CharField(max_length=200)
    applies_to = models.CharField(
        max_length=300,
        blank=True,
        help_text="The pages it applies to, by key, separated by spaces: "
        "desk:checkin desk:checkout transit:unpack.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    @property
    def keys(self) -> list[str]:
        return self.applies_to.split()


class ProcedureVersion(models.Model):
    """One edit of a procedure: never changed, never deleted."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    body = models.TextField(help_text="Markdown. Raw HTML is shown as text.")
    note = models.CharField(max_length=200, blank=True, help_text="What changed and why.")
    edited_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    edited_at = models.DateTimeField()

    class Meta:
        ordering = ["procedure", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "number"], name="procedure_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.procedure.slug} v{self.number}"


class TicketCategory(models.Model):
    """What a ticket is about, and how long the other side has to answer (policy as data)."""

    code = models.SlugField(max_length=32, unique=True)
    name = models.CharField(max_length=200)
    response_days = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text="Days the member asked has to answer before the ticket goes to the "
        "central office.",
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "ticket categories"

    def __str__(self) -> str:
        return self.name

    @property
    def response_time(self) -> dt.timedelta:
        return dt.timedelta(days=self.response_days)


class Ticket(models.Model):
    """A question one member (or the central office) puts to another, with its thread.

    The parties are `from_library` and `to_library` (empty: the central office). The
    central office sees every ticket."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        ANSWERED = "answered", "Answered"
        ESCALATED = "escalated", "Escalated to the central office"
        CLOSED = "closed", "Closed"

    category = models.ForeignKey(TicketCategory, on_delete=models.PROTECT, related_name="+")
    subject = models.CharField(max_length=200)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    opened_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    from_library = models.ForeignKey(
        Library,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tickets_opened",
        help_text="Empty: opened by the central office.",
    )
    to_library = models.ForeignKey(
        Library,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tickets_assigned",
        help_text="The member asked to answer; empty: the central office.",
    )
    opened_at = models.DateTimeField()
    respond_by = models.DateTimeField()
    escalated_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    item = models.ForeignKey(Item, on_delete=models.SET_NULL, null=True, blank=True)
    patron = models.ForeignKey(Patron, on_delete=models.SET_NULL, null=True, blank=True)
    crate = models.ForeignKey(Crate, on_delete=models.SET_NULL, null=True, blank=True)
    link = models.CharField(
        max_length=300, blank=True, help_text="A page in OneLibrary the ticket is about."
    )

    class Meta:
        ordering = ["-opened_at", "-pk"]
        indexes = [models.Index(fields=["status", "respond_by"], name="ticket_due")]

    def __str__(self) -> str:
        return f"Ticket {self.pk}: {self.subject}"

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED


class TicketMessage(models.Model):
    """One line of a ticket's thread: a message, or a change of status (by a person, or by
    the daily escalation when `author` is empty)."""

    class Kind(models.TextChoices):
        MESSAGE = "message", "Message"
        ESCALATED = "escalated", "Escalated"
        CLOSED = "closed", "Closed"

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.MESSAGE)
    author = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True)
    library = models.ForeignKey(
        Library,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text="The library the author wrote for; empty: the central office or the system.",
    )
    body = models.TextField()
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.kind} at {self.at:%Y-%m-%d %H:%M}"
