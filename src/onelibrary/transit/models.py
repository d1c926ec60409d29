"""Transits (one item's journey between two branches), crates, and every scan and change.

Written only by `transit.actions`. States and their moves are in `transit.states`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from onelibrary.catalog.models import Item
from onelibrary.members.models import Branch
from onelibrary.transit import states

USER = settings.AUTH_USER_MODEL


class Crate(models.Model):
    """A box packed at one branch for one destination branch (or a courier hub)."""

    class State(models.TextChoices):
        OPEN = states.CRATE_OPEN, states.CRATE_LABELS[states.CRATE_OPEN]
        CLOSED = states.CRATE_CLOSED, states.CRATE_LABELS[states.CRATE_CLOSED]
        SHIPPED = states.CRATE_SHIPPED, states.CRATE_LABELS[states.CRATE_SHIPPED]
        RECEIVED = states.CRATE_RECEIVED, states.CRATE_LABELS[states.CRATE_RECEIVED]
        RECONCILED = states.CRATE_RECONCILED, states.CRATE_LABELS[states.CRATE_RECONCILED]

    label = models.CharField(
        max_length=32, unique=True, help_text="Printed on the crate and scanned at both ends."
    )
    origin = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="crates_sent")
    destination = models.ForeignKey(
        Branch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="crates_received",
        help_text="The branch it goes to; empty for a crate sorted at a courier hub.",
    )
    hub = models.CharField(
        max_length=32,
        blank=True,
        help_text="The courier hub's code, for a crate sorted there rather than delivered.",
    )
    state = models.CharField(max_length=16, choices=State.choices, default=State.OPEN)
    opened_at = models.DateTimeField(default=timezone.now)
    opened_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)
    shipped_at = models.DateTimeField(null=True, blank=True)
    expected_on = models.DateField(null=True, blank=True)
    received_at = models.DateTimeField(null=True, blank=True)
    received_branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reconciled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-pk"]
        indexes = [
            models.Index(fields=["origin", "state"], name="crate_origin_state"),
            models.Index(fields=["destination", "state"], name="crate_destination_state"),
        ]

    def __str__(self) -> str:
        return f"Crate {self.label}"


class Transit(models.Model):
    """One movement of an item from `sender` to `receiver`. At most one is open per item."""

    class Reason(models.TextChoices):
        HOLD = "hold", "For a hold"
        RETURN_HOME = "return_home", "Going home"
        FLOAT_BALANCE = "float_balance", "Float balancing"
        OTHER = "other", "Other"

    class State(models.TextChoices):
        WAITING = states.WAITING, states.TRANSIT_LABELS[states.WAITING]
        PACKED = states.PACKED, states.TRANSIT_LABELS[states.PACKED]
        SHIPPED = states.SHIPPED, states.TRANSIT_LABELS[states.SHIPPED]
        RECEIVED = states.RECEIVED, states.TRANSIT_LABELS[states.RECEIVED]
        CANCELLED = states.CANCELLED, states.TRANSIT_LABELS[states.CANCELLED]
        MISSING = states.MISSING, states.TRANSIT_LABELS[states.MISSING]

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="transits")
    sender = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="transits_sent")
    receiver = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="transits_received")
    reason = models.CharField(max_length=16, choices=Reason.choices)
    state = models.CharField(max_length=16, choices=State.choices, default=State.WAITING)
    # By name: holds and transit are siblings and do not import each other.
    hold = models.ForeignKey(
        "holds.Hold", on_delete=models.SET_NULL, null=True, blank=True, related_name="transits"
    )
    crate = models.ForeignKey(
        Crate, on_delete=models.SET_NULL, null=True, blank=True, related_name="transits"
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True)
    shipped_at = models.DateTimeField(null=True, blank=True)
    expected_on = models.DateField(null=True, blank=True)
    received_at = models.DateTimeField(null=True, blank=True)
    received_branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(
        null=True, blank=True, help_text="When it was received, cancelled or declared missing."
    )
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["item"],
                condition=models.Q(state__in=states.OPEN),
                name="one_open_transit_per_item",
            ),
        ]
        indexes = [
            models.Index(fields=["sender", "state"], name="transit_sender_state"),
            models.Index(fields=["receiver", "state"], name="transit_receiver_state"),
            models.Index(fields=["state", "expected_on"], name="transit_state_expected"),
            # insights reads the transits received on a day (transit days by pair).
            models.Index(fields=["received_at"], name="transit_received_at"),
        ]

    def __str__(self) -> str:
        return f"Transit {self.pk}: {self.item_id} {self.sender_id}->{self.receiver_id}"

    @property
    def is_open(self) -> bool:
        return self.state in states.OPEN


class CrateItem(models.Model):
    """A line of a crate's manifest: a transit packed into it. Never deleted; an item taken
    out before the crate ships keeps its line with `removed_at`."""

    crate = models.ForeignKey(Crate, on_delete=models.PROTECT, related_name="lines")
    transit = models.ForeignKey(Transit, on_delete=models.PROTECT, related_name="crate_lines")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)
    added_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_why = models.CharField(max_length=200, blank=True)
    arrived_at = models.DateTimeField(
        null=True, blank=True, help_text="Scanned out of the crate at the receiving end."
    )

    class Meta:
        ordering = ["added_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["crate", "transit"],
                condition=models.Q(removed_at__isnull=True),
                name="a_transit_once_per_crate",
            )
        ]

    def __str__(self) -> str:
        return f"{self.crate_id}: {self.item_id}"


class CrateScan(models.Model):
    """Every scan made on a crate's screens, kept whatever it did (repeats and refusals too)."""

    class Stage(models.TextChoices):
        PACK = "pack", "Packing"
        RECEIVE = "receive", "Receiving the crate"
        UNPACK = "unpack", "Unpacking"

    crate = models.ForeignKey(
        Crate, on_delete=models.PROTECT, null=True, blank=True, related_name="scans"
    )
    stage = models.CharField(max_length=8, choices=Stage.choices)
    at = models.DateTimeField(default=timezone.now)
    staff = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="+")
    barcode = models.CharField(max_length=200)
    item = models.ForeignKey(Item, on_delete=models.PROTECT, null=True, blank=True)
    outcome = models.CharField(
        max_length=16, help_text="added, repeat, refused, arrived, extra, other_branch, …"
    )
    message = models.TextField()
    undone_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When an unpack scan was undone (UNPACK-6): kept, no longer counted.",
    )

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.stage} scan {self.barcode}: {self.outcome}"

    @property
    def label(self) -> str:
        return states.SCAN_LABELS.get(self.outcome, self.outcome)


class TransitEvent(models.Model):
    """One row per change to a transit or crate. `kind="lost"` rows are the losses in
    transit that the lost-and-damaged accounting reads (detail: owner, price, route)."""

    kind = models.CharField(max_length=32, db_index=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    staff = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True)
    branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    transit = models.ForeignKey(
        Transit, on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    crate = models.ForeignKey(
        Crate, on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    item = models.ForeignKey(Item, on_delete=models.PROTECT, null=True, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} at {self.at:%Y-%m-%d %H:%M}"


class TransitSettings(models.Model):
    """The group's transit thresholds: one row, edited in the admin."""

    late_after_days = models.PositiveSmallIntegerField(
        default=2, help_text="Days past the expected arrival before an item is listed as late."
    )
    missing_after_days = models.PositiveSmallIntegerField(
        default=14,
        help_text="Days past the expected arrival before staff may declare it missing.",
    )
    fallback_courier_days = models.PositiveSmallIntegerField(
        default=3, help_text="Expected days when the courier schedule has no answer."
    )

    class Meta:
        verbose_name_plural = "transit settings"

    def __str__(self) -> str:
        return "Transit settings"

    @classmethod
    def current(cls) -> TransitSettings:
        # Unsaved defaults until the group saves its own: reading never writes.
        return cls.objects.order_by("pk").first() or cls()
