"""Holds: a patron's request for a title (or one copy), for pickup at any branch."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from onelibrary.catalog.models import Item, Title
from onelibrary.members.models import Branch, Library
from onelibrary.patrons.models import Patron

OPEN_STATES = ("waiting", "routed", "in_transit", "on_shelf")


class Hold(models.Model):
    class State(models.TextChoices):
        WAITING = "waiting", "Waiting for a copy"
        ROUTED = "routed", "Copy to be pulled"
        IN_TRANSIT = "in_transit", "Copy on its way"
        ON_SHELF = "on_shelf", "Ready for pickup"
        FULFILLED = "fulfilled", "Picked up"
        CANCELLED = "cancelled", "Cancelled"
        EXPIRED = "expired", "Not picked up in time"

    # Empty once a closed hold has been kept its time, or its patron erased (retention.py).
    patron = models.ForeignKey(
        Patron, on_delete=models.CASCADE, null=True, blank=True, related_name="holds"
    )
    title = models.ForeignKey(Title, on_delete=models.PROTECT, related_name="holds")
    item = models.ForeignKey(
        Item,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="item_holds",
        help_text="Set for a hold on one specific copy.",
    )
    pickup_branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=16, choices=State.choices, default=State.WAITING)
    placed_at = models.DateTimeField(default=timezone.now)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Staff who placed it for the patron; empty: the patron.",
    )
    suspended_until = models.DateField(null=True, blank=True)
    assigned_item = models.ForeignKey(
        Item,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_holds",
        help_text="The copy routed or captured to fill it.",
    )
    routed_at = models.DateTimeField(null=True, blank=True)
    shelf_since = models.DateTimeField(null=True, blank=True)
    shelf_expires_on = models.DateField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    explanation = models.JSONField(default=dict, blank=True, help_text="The last routing.")
    # What the patron was told (docs/holds/expected.md): kept when the hold is placed and
    # when its copy starts out (routed, in transit), so the daily job can see it is late.
    expected_by = models.DateField(
        null=True,
        blank=True,
        help_text="Late after this day (the expected day, or a range's last).",
    )
    expected_said = models.CharField(max_length=300, blank=True)
    expected_rule = models.CharField(max_length=16, blank=True, help_text="EXPECT-1 … 6.")
    late_noticed_at = models.DateTimeField(
        null=True, blank=True, help_text="When the patron was told it is late (once per hold)."
    )
    # What reports need, kept when the patron goes (docs/insights.md, "What is recorded"):
    # the patron's library and category when placed; the copy's owner when it is filled;
    # the branch its copy started from when one was routed or captured for it.
    borrower_library = models.ForeignKey(
        Library, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    borrower_category = models.CharField(max_length=16, blank=True)
    owning_library = models.ForeignKey(
        Library, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lending_branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["placed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["patron", "title"],
                condition=models.Q(state__in=OPEN_STATES),
                name="one_open_hold_per_patron_and_title",
            ),
            models.UniqueConstraint(
                fields=["assigned_item"],
                condition=models.Q(state__in=("routed", "in_transit", "on_shelf")),
                name="a_copy_fills_one_hold",
            ),
        ]
        indexes = [
            models.Index(fields=["title", "state"], name="hold_title_state"),
            models.Index(fields=["pickup_branch", "state"], name="hold_pickup_state"),
            models.Index(fields=["expected_by", "state"], name="hold_expected_state"),
            # insights reads the holds placed and the holds filled on a day.
            models.Index(fields=["placed_at"], name="hold_placed_at"),
            models.Index(fields=["closed_at"], name="hold_closed_at"),
        ]

    def __str__(self) -> str:
        return f"Hold {self.pk} on {self.title_id} for {self.patron_id}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


def _claims_at_checkin(item_id: object, title_id: object) -> models.Q:
    return models.Q(
        assigned_item_id=item_id, state__in=(Hold.State.ROUTED, Hold.State.IN_TRANSIT)
    ) | models.Q(title_id=title_id, state=Hold.State.WAITING)


def may_claim(item: Item) -> bool:
    """Could a hold claim this copy at checkin: one it is routed or travelling to, or one
    waiting for its title? One light query; most checkins find none, and the holds
    logic at checkin and float balancing both ask it first."""
    return Hold.objects.filter(_claims_at_checkin(item.pk, item.title_id)).exists()


# The same two questions as SQL over an item row aliased `alias`, for the statement that
# starts every checkout and checkin (circulation/locks.py): built by the ORM they cost
# more to compile than to run. tests/holds/test_claim_sql.py holds them to `may_claim`.


def may_claim_sql(alias: str) -> str:
    """`may_claim` as an SQL boolean."""
    S = Hold.State
    return (
        f"EXISTS (SELECT 1 FROM {Hold._meta.db_table} h WHERE "  # noqa: S608
        f"(h.assigned_item_id = {alias}.id AND h.state IN ('{S.ROUTED}', '{S.IN_TRANSIT}')) "
        f"OR (h.title_id = {alias}.title_id AND h.state = '{S.WAITING}'))"
    )


def waits_on_copy_sql(alias: str) -> str:
    """Is a hold on the shelf with this copy, or routed to it (checkout: CHECKOUT-16, and
    the routed copy lent at the desk)? An SQL boolean."""
    S = Hold.State
    return (
        f"EXISTS (SELECT 1 FROM {Hold._meta.db_table} h WHERE "  # noqa: S608
        f"h.assigned_item_id = {alias}.id AND h.state IN ('{S.ON_SHELF}', '{S.ROUTED}'))"
    )


class HoldEvent(models.Model):
    """Every change to a hold: who, when, what, and the routing explanation if any."""

    hold = models.ForeignKey(Hold, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=32)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    item = models.ForeignKey(Item, on_delete=models.PROTECT, null=True, blank=True)
    lender = models.CharField(max_length=32, blank=True, help_text="Owning library of the copy.")
    borrower = models.CharField(max_length=32, blank=True, help_text="Patron's home library.")
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} hold {self.hold_id}"
