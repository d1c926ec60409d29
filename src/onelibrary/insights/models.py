"""The daily summary tables: counts per day and member (and per pair of members), built
from the recorded loans, holds and transits by `build.py`, read by `figures.py`.

No patron column anywhere: a summary says how many, never who (docs/insights.md,
"Privacy"; tests/insights/test_privacy.py holds the schema to it). Each table is indexed
for its one access pattern, a date range (and a member): a year of a large group answers
in well under 2 seconds (bench/insights.py).
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from onelibrary.members.models import Library


class MemberDay(models.Model):
    """One member's figures for one day. Loans count on their checkout day; a hold is
    placed on its placement day and filled on the day it is picked up."""

    day = models.DateField()
    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="+")
    own_loans = models.PositiveIntegerField(default=0, help_text="Our copies, our patrons.")
    lent_by_hold = models.PositiveIntegerField(default=0)
    lent_walkin = models.PositiveIntegerField(default=0)
    borrowed_by_hold = models.PositiveIntegerField(default=0)
    borrowed_walkin = models.PositiveIntegerField(default=0)
    holds_placed = models.PositiveIntegerField(default=0)
    holds_filled = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "library"], name="insights_member_day"),
        ]

    def __str__(self) -> str:
        return f"{self.library_id} on {self.day}"


class PairDay(models.Model):
    """Loans of `owner`'s copies to `borrower`'s patrons on one day (owner ≠ borrower):
    a cell of the member × member lending matrix."""

    day = models.DateField()
    owner = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="+")
    borrower = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="+")
    by_hold = models.PositiveIntegerField(default=0)
    walkin = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "owner", "borrower"], name="insights_pair_day"),
        ]

    def __str__(self) -> str:
        return f"{self.owner_id} to {self.borrower_id} on {self.day}"


class FillDays(models.Model):
    """How many of a member's patrons' holds filled on `day` took `days` days from
    placement to the hold shelf: a histogram, enough for the median and p90."""

    day = models.DateField()
    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="+")
    days = models.PositiveIntegerField()
    holds = models.PositiveIntegerField()

    class Meta:
        verbose_name_plural = "fill days"
        constraints = [
            models.UniqueConstraint(fields=["day", "library", "days"], name="insights_fill_days"),
        ]

    def __str__(self) -> str:
        return f"{self.holds} of {self.library_id} in {self.days} days on {self.day}"


class TransitDays(models.Model):
    """How many copies received on `day`, sent by `sender`'s branches to `receiver`'s,
    were `days` days from shipping to receipt: a histogram per pair of members."""

    day = models.DateField()
    sender = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="+")
    receiver = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="+")
    days = models.PositiveIntegerField()
    copies = models.PositiveIntegerField()

    class Meta:
        verbose_name_plural = "transit days"
        constraints = [
            models.UniqueConstraint(
                fields=["day", "sender", "receiver", "days"], name="insights_transit_days"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.copies} {self.sender_id}->{self.receiver_id} in {self.days} days"


class BuiltDay(models.Model):
    """A day whose summaries are built. Days not here are counted from the records when
    asked (routing's load term) or built by the job (`onelibrary insights-rebuild`)."""

    day = models.DateField(primary_key=True)
    built_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.day} built {self.built_at:%Y-%m-%d %H:%M}"
