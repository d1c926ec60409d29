"""Policy as data: group defaults and member overrides for circulation and sharing."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from onelibrary.members.models import Library
from onelibrary.policy import resolve


class GroupPolicy(models.Model):
    """Group-wide settings. One row; `GroupPolicy.current()` creates it with defaults."""

    class GoverningLibrary(models.TextChoices):
        OWNING = "owning", "The item's owning library"
        CHECKOUT = "checkout", "The library where it is checked out"
        PATRON_HOME = "patron_home", "The patron's home library"

    governing_library = models.CharField(
        max_length=16,
        choices=GoverningLibrary.choices,
        default=GoverningLibrary.OWNING,
        help_text="Whose member rules govern a loan.",
    )
    repeat_scan_seconds = models.PositiveSmallIntegerField(
        default=10, help_text="A second scan of the same item within this many seconds is ignored."
    )
    local_priority_days = models.PositiveSmallIntegerField(
        default=30, help_text="A new copy fills only its owner's patrons' holds for this long."
    )
    hold_shelf_days = models.PositiveSmallIntegerField(
        default=7, help_text="Days a copy waits on the hold shelf for pickup."
    )
    pull_deadline_days = models.PositiveSmallIntegerField(
        default=2, help_text="Days a lender has to pull a routed copy before it is re-routed."
    )
    closed_hold_days = models.PositiveSmallIntegerField(
        default=30,
        help_text="Days a closed hold (picked up, cancelled, expired) keeps who held it; "
        "then only the title and dates stay, unless the patron keeps their history.",
    )
    load_weight = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=1,
        help_text="How strongly routing spares members that lend more than their share.",
    )

    class Meta:
        verbose_name = "group policy"
        verbose_name_plural = "group policy"

    def __str__(self) -> str:
        return "Group policy"

    @classmethod
    def current(cls) -> GroupPolicy:
        # Unsaved defaults when the group has not set its policy: reading never writes.
        return cls.objects.order_by("pk").first() or cls()


class MemberPolicy(models.Model):
    """A member's own settings where the group lets members choose."""

    library = models.OneToOneField(Library, on_delete=models.CASCADE, related_name="policy")
    local_priority_days = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Shorter than the group's window, or empty to use it."
    )

    class Meta:
        verbose_name_plural = "member policies"

    def __str__(self) -> str:
        return f"Policy of {self.library}"


class ExemptionReason(models.Model):
    """A reason the group accepts for keeping items out of group holds."""

    code = models.SlugField(max_length=32, unique=True)
    label = models.CharField(max_length=200)

    def __str__(self) -> str:
        return self.label


class CirculationRule(models.Model):
    """One row of the rules table. Blank criteria match anything; empty settings inherit."""

    name = models.CharField(max_length=200)
    library = models.ForeignKey(
        Library,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="circulation_rules",
        help_text="Blank for a group rule.",
    )
    patron_category = models.CharField(max_length=16, blank=True)
    item_type = models.CharField(max_length=32, blank=True)
    collection = models.CharField(max_length=32, blank=True)
    locked = models.BooleanField(
        default=False, help_text="Group rules only: members may not override what this sets."
    )
    loan_days = models.PositiveSmallIntegerField(null=True, blank=True)
    renewals_allowed = models.PositiveSmallIntegerField(null=True, blank=True)
    max_items_out = models.PositiveSmallIntegerField(null=True, blank=True)
    fine_per_day = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    fine_cap = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    fine_block_threshold = models.DecimalField(
        max_digits=8, decimal_places=2, null=True, blank=True
    )
    max_holds = models.PositiveSmallIntegerField(null=True, blank=True)
    holdable = models.BooleanField(null=True, blank=True)
    exempt_reason = models.ForeignKey(
        ExemptionReason, on_delete=models.PROTECT, null=True, blank=True
    )

    class Meta:
        ordering = ["library__code", "item_type", "collection", "patron_category", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(library__isnull=True) | models.Q(locked=False),
                name="only_group_rules_lock",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        # No hiding without a reason: a member rule that keeps a collection from group
        # holds names a reason the group allows (docs/governance.md).
        if self.library_id is not None and self.holdable is False and self.exempt_reason_id is None:
            raise ValidationError(
                {
                    "exempt_reason": "A member rule that makes items not holdable needs an "
                    "exemption reason the group allows: choose one, or leave “holdable” "
                    "empty to inherit the group's setting."
                }
            )

    def as_rule(self) -> resolve.Rule:
        values: dict[str, resolve.Setting] = {
            name: getattr(self, name) for name in resolve.SETTINGS if name != "exempt_reason"
        }
        values["exempt_reason"] = self.exempt_reason.code if self.exempt_reason else None
        return resolve.Rule(
            id=self.pk,
            name=self.name,
            library=self.library.code if self.library else "",
            patron_category=self.patron_category,
            item_type=self.item_type,
            collection=self.collection,
            locked=self.locked,
            values=values,
        )


class RulesVersion(models.Model):
    """One row whose token changes whenever the rules change, so that each process may keep
    the rules table in memory and re-read it only when the token moves (policy/lookup.py).

    Database triggers (migration 0003) set a new random token on every insert, update or
    delete of circulation rules, exemption reasons, the group policy and libraries:
    bulk writes, raw SQL and other processes are all seen. No code writes this row.
    """

    token = models.CharField(max_length=64)

    def __str__(self) -> str:
        return self.token
