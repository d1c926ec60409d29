"""Floating collections as data: which items float, where, and how many each branch holds.

- `FloatGroup`: members whose branches share floating items. An item floating in a group
  takes as home any branch of those members; checked in elsewhere it goes home.
- `FloatRule`: a member's choice that a collection (and/or item type) floats, and in
  which float group (none: anywhere in the sharing group). `Item.floating` is kept equal
  to what the rules say (see docs/floating.md).
- `Capacity`: how many floating items of a collection a branch's shelves should hold.
- `FloatLog`: one row for every change made through `floating.actions`.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

from onelibrary.members.models import Branch, Library

DEFAULT_NEARBY_DAYS = Decimal("2")


class FloatGroup(models.Model):
    """Members that float items among themselves."""

    code = models.SlugField(max_length=32, unique=True)
    name = models.CharField(max_length=200)
    libraries = models.ManyToManyField(Library, related_name="float_groups")
    nearby_days = models.DecimalField(
        max_digits=4,
        decimal_places=1,
        default=DEFAULT_NEARBY_DAYS,
        validators=[MinValueValidator(0)],
        help_text="Float balancing sends surplus only to branches within this many courier days.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class FloatRule(models.Model):
    """A member's floating choice for its items of a collection and/or item type.

    Blank collection or item type match any; the most specific matching rule governs
    (`placement.governing_rule`). `floats=False` carves an exception out of a broader rule.
    """

    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="float_rules")
    collection = models.CharField(max_length=32, blank=True)
    item_type = models.CharField(max_length=32, blank=True)
    floats = models.BooleanField(default=True)
    float_group = models.ForeignKey(
        FloatGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rules",
        help_text="Blank: the items float anywhere in the sharing group.",
    )

    class Meta:
        ordering = ["library__code", "collection", "item_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["library", "collection", "item_type"], name="float_rule_once"
            )
        ]

    def __str__(self) -> str:
        what = " ".join(filter(None, [self.collection, self.item_type])) or "everything"
        return f"{self.library_id}: {what} {'floats' if self.floats else 'does not float'}"


class Capacity(models.Model):
    """How many floating items of `collection` `branch` should hold. No row: no limit."""

    branch = models.ForeignKey(Branch, on_delete=models.CASCADE, related_name="float_capacities")
    collection = models.CharField(max_length=32)
    capacity = models.PositiveIntegerField()

    class Meta:
        verbose_name_plural = "capacities"
        ordering = ["collection", "branch__code"]
        constraints = [
            models.UniqueConstraint(fields=["branch", "collection"], name="capacity_once")
        ]

    def __str__(self) -> str:
        return f"{self.branch_id} {self.collection}: {self.capacity}"


class FloatLog(models.Model):
    """Who changed which floating setting, when, from what to what."""

    at = models.DateTimeField()
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    kind = models.CharField(max_length=32)  # capacity_set, capacity_cleared, rule_saved, ...
    library = models.ForeignKey(Library, on_delete=models.SET_NULL, null=True, related_name="+")
    detail = models.JSONField(default=dict)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind}"
