"""The sharing group, its member libraries, their branches and staff roles."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models

code_validator = RegexValidator(
    r"^[A-Z0-9][A-Z0-9_-]{0,31}$",
    "Use 1 to 32 capital letters, digits, '-' or '_', starting with a letter or digit.",
)

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


class SharingGroup(models.Model):
    """The consortium itself. There is one row; `SharingGroup.current()` returns it."""

    name = models.CharField(max_length=200)
    code = models.CharField(max_length=32, validators=[code_validator])
    contact_email = models.EmailField(blank=True)

    def __str__(self) -> str:
        return self.name

    @classmethod
    def current(cls) -> SharingGroup | None:
        return cls.objects.order_by("pk").first()


class Library(models.Model):
    """A member library: an independent library with its own board, budget and branches."""

    class SizeClass(models.TextChoices):
        ONE_ROOM = "one_room", "One-room library"
        SMALL = "small", "Small library"
        MEDIUM = "medium", "Medium library"
        LARGE = "large", "Large library"
        CITY = "city", "City system"

    class Status(models.TextChoices):
        APPLICANT = "applicant", "Applicant"
        ONBOARDING = "onboarding", "Onboarding"
        ACTIVE = "active", "Active"
        LEAVING = "leaving", "Leaving"
        LEFT = "left", "Left"

    code = models.CharField(max_length=32, unique=True, validators=[code_validator])
    name = models.CharField(max_length=200)
    size_class = models.CharField(max_length=16, choices=SizeClass.choices)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    contact_name = models.CharField(max_length=200, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=40, blank=True)
    joined_on = models.DateField(null=True, blank=True)
    # Money at the desk (docs/circulation/money.md): set by the library's own admin.
    desk_waiver_limit = models.DecimalField(
        max_digits=8,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0.00"))],
        help_text="How much of one charge owed to this library desk staff may waive; "
        "more needs a library admin (MONEY-7). 0: desk staff waive nothing.",
    )
    population_served = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="People in the library's legal service area (a cost-sharing weight; "
        'docs/insights.md, "Cost sharing"). Empty: not known yet.',
    )
    desk_may_override_fines = models.BooleanField(
        default=False,
        help_text="Desk staff may lend to a patron blocked for fines, with a reason (MONEY-11).",
    )

    class SlipLabel(models.TextChoices):
        CODE = "code", "A privacy-safe code (first 4 letters of the last name, last 4 of the card)"
        NAME = "name", "The patron's name"

    class SlipSize(models.TextChoices):
        ROLL_80 = "80mm", "80 mm receipt roll"
        ROLL_58 = "58mm", "58 mm receipt roll"
        A4 = "a4", "A4 page"
        LETTER = "letter", "US Letter page"

    # How this member's hold slips and printed lists look (docs/circulation/desk.md).
    slip_patron_label = models.CharField(
        max_length=8,
        choices=SlipLabel.choices,
        default=SlipLabel.CODE,
        help_text="What a hold slip shows of the patron: a code, or their name.",
    )
    slip_size = models.CharField(
        max_length=8,
        choices=SlipSize.choices,
        default=SlipSize.ROLL_80,
        help_text="The paper the desk's slip printer takes, for slips and printed lists.",
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "libraries"

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


def default_open_days() -> str:
    return "1111110"


open_days_validator = RegexValidator(
    r"^[01]{7}$", "Seven digits, Monday first: 1 for open, 0 for closed (e.g. 1111100)."
)


class Branch(models.Model):
    """A place with a shelf and a desk: a pickup point and a courier stop."""

    library = models.ForeignKey(Library, on_delete=models.PROTECT, related_name="branches")
    code = models.CharField(max_length=32, unique=True, validators=[code_validator])
    name = models.CharField(max_length=200)
    address = models.CharField(max_length=300, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=16, blank=True)
    latitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    courier_stop = models.CharField(
        max_length=32, blank=True, help_text="The courier's name for this stop."
    )
    open_days = models.CharField(
        max_length=7,
        default=default_open_days,
        validators=[open_days_validator],
        help_text="Seven digits, Monday first: 1 open, 0 closed.",
    )
    is_active = models.BooleanField(default=True, help_text="Closed for good when unticked.")

    class Meta:
        ordering = ["library__name", "name"]
        verbose_name_plural = "branches"

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def is_open_on_weekday(self, day: dt.date) -> bool:
        return self.open_days[day.weekday()] == "1"

    @property
    def open_day_names(self) -> list[str]:
        return [name for name, flag in zip(WEEKDAYS, self.open_days, strict=True) if flag == "1"]


class ClosedDate(models.Model):
    """A date a branch is closed beyond its weekly pattern (a holiday, a snow day)."""

    branch = models.ForeignKey(Branch, on_delete=models.CASCADE, related_name="closed_dates")
    date = models.DateField()
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["branch", "date"], name="closed_date_once_per_branch")
        ]

    def __str__(self) -> str:
        return f"{self.branch.code} closed {self.date:%Y-%m-%d}"


class StaffRole(models.Model):
    """What one staff account may do, and where.

    Desk staff and library admins act for one library; the central office acts for the
    whole group and has no library.
    """

    class Role(models.TextChoices):
        DESK = "desk", "Desk staff"
        LIBRARY_ADMIN = "library_admin", "Library admin"
        CENTRAL_OFFICE = "central_office", "Central office"
        # Read-only: the insights and the board page of its library, nothing else
        # (members.access keeps it out of every staff scope; docs/insights.md).
        BOARD = "board", "Director or board (read-only)"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_roles"
    )
    library = models.ForeignKey(
        Library, on_delete=models.CASCADE, null=True, blank=True, related_name="staff_roles"
    )
    role = models.CharField(max_length=20, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "library", "role"], name="staff_role_once"),
            models.CheckConstraint(
                condition=(
                    models.Q(role="central_office", library__isnull=True)
                    | (~models.Q(role="central_office") & models.Q(library__isnull=False))
                ),
                name="staff_role_library_matches_role",
            ),
        ]

    def __str__(self) -> str:
        where = self.library.code if self.library is not None else "group"
        return f"{self.user} — {self.get_role_display()} at {where}"


class ApiToken(models.Model):
    """A staff member's key for the JSON API. Only a hash is stored; the key is shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, help_text="What the token is for, e.g. 'self-check 2'.")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.user})"


class MembersVersion(models.Model):
    """One row whose token moves whenever staff roles or closed dates change (triggers from
    migration 0003; onelibrary/core/versions.py). Each process keeps both in memory while it
    stays the same (members/kept.py): every desk scan asks for them. No code writes it."""

    token = models.CharField(max_length=64)

    def __str__(self) -> str:
        return self.token
