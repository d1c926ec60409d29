"""Courier routes as data: hubs, routes, their ordered stops and the weekdays each stop is
served; a log row for every change; the courier-days matrix (DAYS-3) and the trips the
learned times are read from (DAYS-1).

docs/courier.md describes the model. A hub is a named depot (not a branch): vans of the
routes that meet there swap items, which costs the hub's transfer days. A branch that
shares a building with the depot is simply a stop on the routes that serve it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, RegexValidator
from django.db import models

from onelibrary.members.models import WEEKDAYS, Branch, code_validator

week_validator = RegexValidator(
    r"^[01]{7}$", "Seven digits, Monday first: 1 when the courier comes, 0 when not (1010100)."
)

MAX_TRANSFER_DAYS = 14


def weekday_names(days: str) -> list[str]:
    return [name for name, flag in zip(WEEKDAYS, days, strict=False) if flag == "1"]


def weekdays_text(days: str) -> str:
    names = weekday_names(days)
    return ", ".join(names) if names else "no day"


class Hub(models.Model):
    """A depot where the vans of several routes meet and swap items."""

    code = models.CharField(max_length=32, unique=True, validators=[code_validator])
    name = models.CharField(max_length=200)
    transfer_days = models.PositiveSmallIntegerField(
        default=1,
        validators=[MaxValueValidator(MAX_TRANSFER_DAYS)],
        help_text="Extra days an item waits here when it changes from one route's van to "
        "another's (0: same night).",
    )
    notes = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Route(models.Model):
    """One van's round: it leaves its hub(s), serves its stops in order, comes back."""

    code = models.CharField(max_length=32, unique=True, validators=[code_validator])
    name = models.CharField(max_length=200)
    hubs = models.ManyToManyField(Hub, blank=True, related_name="routes")
    days = models.CharField(
        max_length=7,
        default="1111100",
        validators=[week_validator],
        help_text="The weekdays the van runs, Monday first (1111100: Monday to Friday).",
    )
    is_active = models.BooleanField(
        default=True, help_text="Unticked: kept for the record, carries nothing."
    )
    notes = models.CharField(max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def day_names(self) -> list[str]:
        return weekday_names(self.days)


class Stop(models.Model):
    """A branch the route serves, its place in the round and its weekdays."""

    route = models.ForeignKey(Route, on_delete=models.CASCADE, related_name="stops")
    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="courier_stops")
    position = models.PositiveSmallIntegerField()
    days = models.CharField(
        max_length=7,
        validators=[week_validator],
        help_text="The weekdays the van calls here, Monday first (1010100: Mon, Wed, Fri).",
    )

    class Meta:
        ordering = ["route", "position"]
        constraints = [
            models.UniqueConstraint(fields=["route", "branch"], name="stop_branch_once_per_route"),
            models.UniqueConstraint(fields=["route", "position"], name="stop_position_once"),
        ]

    def __str__(self) -> str:
        return f"{self.route.code} #{self.position}: {self.branch.code}"

    @property
    def day_names(self) -> list[str]:
        return weekday_names(self.days)


class CourierEvent(models.Model):
    """One change to the courier network: who, when, what. The table of expected days is
    rebuilt when the latest event changes (courier/service.py)."""

    class Kind(models.TextChoices):
        ROUTE_ADDED = "route_added", "Route added"
        ROUTE_CHANGED = "route_changed", "Route changed"
        ROUTE_REMOVED = "route_removed", "Route removed"
        HUB_ADDED = "hub_added", "Hub added"
        HUB_CHANGED = "hub_changed", "Hub changed"
        HUB_REMOVED = "hub_removed", "Hub removed"

    at = models.DateTimeField(auto_now_add=True)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    subject = models.CharField(max_length=32, help_text="The route's or hub's code.")
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_kind_display()} {self.subject}"


class CourierSettings(models.Model):
    """The group's choices about learned transit times (one row, added in the admin)."""

    learned_min_transits = models.PositiveIntegerField(
        default=20,
        help_text="Routing uses the learned median for a pair of branches once this many "
        "transits between them have been received within the window.",
    )
    learned_window_days = models.PositiveIntegerField(
        default=180, help_text="Only transits received in this many past days count."
    )
    use_learned = models.BooleanField(
        default=True, help_text="Unticked: routing always uses the scheduled days."
    )

    class Meta:
        verbose_name = "courier settings"
        verbose_name_plural = "courier settings"

    def __str__(self) -> str:
        return "Courier settings"

    @classmethod
    def current(cls) -> CourierSettings:
        """The saved row, or the defaults (unsaved) until the central office saves one."""
        found = cls.objects.order_by("pk").first()
        return found if found is not None else cls()


class CourierVersion(models.Model):
    """One row whose token moves whenever routes, stops, hubs, branches or closed dates
    change (triggers from migration 0003; onelibrary/versions.py). The service keeps the
    courier table while it stays the same. No code writes this row."""

    token = models.CharField(max_length=64)

    def __str__(self) -> str:
        return self.token


class CourierDays(models.Model):
    """Courier days between two branches, for pairs the routes do not answer (DAYS-3 in
    docs/courier.md). Filled from distance by `onelibrary courier-matrix`; it is data, so
    staff may correct it in the admin. Moved here from the holds app (migrations
    courier 0004, holds 0002) so that one service answers courier days."""

    origin = models.ForeignKey(Branch, on_delete=models.CASCADE, related_name="+")
    destination = models.ForeignKey(Branch, on_delete=models.CASCADE, related_name="+")
    days = models.DecimalField(max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = "courier days"
        verbose_name_plural = "courier days"
        constraints = [
            # Not the holds table's old name "courier_days_once": constraint names are
            # per database on PostgreSQL and SQLite, and both tables exist while rows move.
            models.UniqueConstraint(fields=["origin", "destination"], name="courier_days_one_row"),
        ]

    def __str__(self) -> str:
        return f"{self.origin_id}->{self.destination_id}: {self.days}"


class CourierTrip(models.Model):
    """One item that went by courier and was received where it was sent: the learned
    times (DAYS-1, courier/learned.py) are read from these rows. The transit app writes
    them through `courier.actions.record_trip` when it receives a shipped transit at its
    receiver, so the courier app never reads transit's tables (docs/decisions.md)."""

    sender = models.ForeignKey(Branch, on_delete=models.CASCADE, related_name="+")
    receiver = models.ForeignKey(Branch, on_delete=models.CASCADE, related_name="+")
    shipped_on = models.DateField(help_text="Local date it was shipped.")
    received_on = models.DateField(help_text="Local date it was received.")
    days = models.PositiveSmallIntegerField(help_text="Whole days from shipping to receiving.")
    scheduled_days = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="What the route schedule said on the ship date."
    )

    class Meta:
        indexes = [
            models.Index(fields=["sender", "receiver", "received_on"], name="courier_trip_pair"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(sender=models.F("receiver")), name="courier_trip_two_branches"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sender_id}->{self.receiver_id}: {self.days} days ({self.shipped_on})"
