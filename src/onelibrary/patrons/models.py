"""Patrons: one shared record per person, one card valid at every branch of the group.

Who may see and change which fields is data (`FieldPermission`); every view and every
change is a `PatronAudit` row that nobody can alter. Reads go through `patrons.access`,
writes through `patrons.actions` (docs/patrons.md).
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from onelibrary.members.models import Branch, Library, StaffRole
from onelibrary.patrons import cards, fields


class Patron(models.Model):
    class Category(models.TextChoices):
        ADULT = "adult", "Adult"
        CHILD = "child", "Child"
        TEEN = "teen", "Teen"
        SENIOR = "senior", "Senior"
        STAFF = "staff", "Staff"
        INSTITUTION = "institution", "Institution"

    card = models.CharField(max_length=32, unique=True)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    address = models.CharField(max_length=300, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=16, blank=True)
    birth_date = models.DateField(null=True, blank=True)
    home_library = models.ForeignKey(Library, on_delete=models.PROTECT, related_name="patrons")
    registered_at = models.ForeignKey(
        Library,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The library that registered the patron (the home library rule may use it).",
    )
    preferred_branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, null=True, blank=True, related_name="patrons"
    )
    category = models.CharField(max_length=16, choices=Category.choices, default=Category.ADULT)
    expires_on = models.DateField()
    keep_loan_history = models.BooleanField(
        default=False,
        help_text="Opt-in: keep the link between this patron and returned loans.",
    )
    block_reason = models.CharField(
        max_length=300, blank=True, help_text="A block staff put on the record, and why."
    )
    notes = models.TextField(blank=True, help_text="Staff notes about this patron.")
    created_at = models.DateTimeField(default=timezone.now)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_from",
        help_text="Set on the tombstone a duplicate record leaves when merged.",
    )
    erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} ({self.card})"

    @property
    def is_active_record(self) -> bool:
        """False for a merge tombstone or an erased record: neither is served or shown."""
        return self.merged_into_id is None and self.erased_at is None


class PatronSettings(models.Model):
    """The group's patron settings (one row; `PatronSettings.current()`)."""

    class HomeRule(models.TextChoices):
        REGISTERING = "registering", "The library that registered the patron"
        SERVICE_AREA = "service_area", "The library whose service area has the patron's address"

    home_library_rule = models.CharField(
        max_length=16, choices=HomeRule.choices, default=HomeRule.REGISTERING
    )
    require_id_check = models.BooleanField(
        "require an ID check away from home",
        default=True,
        help_text="Staff of another library than the patron's home library must record "
        "that they checked the patron's ID before they change the record.",
    )
    card_prefix = models.CharField(
        max_length=8,
        default="29000",
        help_text="The digits every new card starts with (docs/patrons.md, 'Cards').",
    )
    next_card_sequence = models.PositiveBigIntegerField(default=1)
    card_years = models.PositiveSmallIntegerField(
        default=3, help_text="How many years a new card is valid."
    )
    postcode_pattern = models.CharField(
        max_length=100,
        default=r"^\d{5}(-\d{4})?$",
        help_text="A regular expression a postcode must match (default: a US ZIP code).",
    )
    postcode_example = models.CharField(max_length=40, default="59801 or 59801-1234")

    class Meta:
        verbose_name = "patron settings"
        verbose_name_plural = "patron settings"

    def __str__(self) -> str:
        return "Patron settings"

    def clean(self) -> None:
        if not self.card_prefix.isdigit() or len(self.card_prefix) >= cards.CARD_LENGTH - 4:
            raise ValidationError({"card_prefix": "Use 1 to 9 digits."})
        try:
            re.compile(self.postcode_pattern)
        except re.error as error:
            raise ValidationError({"postcode_pattern": f"Not a valid pattern: {error}"}) from error

    @classmethod
    def current(cls) -> PatronSettings:
        found = cls.objects.order_by("pk").first()
        return found if found is not None else cls.objects.create()


class ServiceArea(models.Model):
    """A postcode or town a member library serves: the 'service area' home library rule."""

    class Kind(models.TextChoices):
        POSTCODE = "postcode", "Postcode"
        TOWN = "town", "Town"

    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="service_areas")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    value = models.CharField(max_length=100, help_text="Compared without case or spaces.")

    class Meta:
        ordering = ["library__name", "kind", "value"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "value"], name="service_area_one_library")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value} → {self.library_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.value = fields.area_key(self.value)
        super().save(*args, **kwargs)


class FieldPermission(models.Model):
    """Which role, at the patron's home library or at another member, may view and edit
    a group of fields. Missing rows mean no. The central office acts for every library,
    so only its 'home' rows apply (docs/patrons.md, 'Field permissions')."""

    role = models.CharField(max_length=20, choices=StaffRole.Role.choices)
    relation = models.CharField(max_length=8, choices=fields.Relation.choices)
    field_group = models.CharField(max_length=16, choices=fields.GROUP_CHOICES)
    can_view = models.BooleanField(default=False)
    can_edit = models.BooleanField(default=False)

    class Meta:
        ordering = ["role", "relation", "field_group"]
        constraints = [
            models.UniqueConstraint(
                fields=["role", "relation", "field_group"], name="field_permission_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.role}/{self.relation}/{self.field_group}"


class AuditQuerySet(models.QuerySet):
    """The audit is append-only: bulk updates and deletes are refused too."""

    def update(self, **kwargs: Any) -> int:
        raise PermissionError("The patron audit cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("The patron audit cannot be deleted.")


class PatronAudit(models.Model):
    """One row per view or change of a patron record: who, when, for which library,
    which fields, and for a change the old and new values. Never updated or deleted."""

    class Action(models.TextChoices):
        VIEW = "view", "Viewed"
        EDIT = "edit", "Changed"
        REGISTER = "register", "Registered"
        MERGE = "merge", "Merged another record into this one"
        MERGED_AWAY = "merged_away", "Merged into another record"
        HOME_CHANGE = "home_change", "Home library changed"
        EXPORT = "export", "Data exported"
        ERASE = "erase", "Erased"

    class Via(models.TextChoices):
        PAGE = "page", "Patron pages"
        DESK = "desk", "Circulation desk"
        API = "api", "API"
        ADMIN = "admin", "Admin"
        SYSTEM = "system", "System"
        SELF = "self", "The patron, online"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    # Empty only for the patron's own views and changes online (via "self"): the actor is
    # then the patron the row is about (docs/account.md, "Audit").
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    library = models.ForeignKey(
        Library,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The library the staff member acted for; empty: the central office "
        "(or the patron, online).",
    )
    patron = models.ForeignKey(Patron, on_delete=models.PROTECT, related_name="audit")
    action = models.CharField(max_length=16, choices=Action.choices)
    via = models.CharField(max_length=8, choices=Via.choices)
    fields = models.JSONField(default=list, help_text="The fields shown or changed.")
    changes = models.JSONField(default=dict, blank=True, help_text="field → [old, new].")
    detail = models.JSONField(default=dict, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["patron", "at"], name="patron_audit_patron_at")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(staff__isnull=False) | models.Q(via="self"),
                name="patron_audit_staff_unless_self",
            )
        ]

    def __str__(self) -> str:
        who = f"staff {self.staff_id}" if self.staff_id else "the patron"
        return f"{self.action} of patron {self.patron_id} by {who} at {self.at}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("The patron audit cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("The patron audit cannot be deleted.")
