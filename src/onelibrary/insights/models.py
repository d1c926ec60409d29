"""The summary tables: counts per day and member (and per pair of members, sending
branch, title and lender), built from the recorded loans, holds and transits by
`build.py`, read by `figures.py` and `series.py`.

The tables whose rows grow with the group's activity keep a second form, so a long period
does not read every day: running totals at the 10th, 20th and last day of each month for
the pair, fill and send tables (`running.py`), monthly rollups for titles and transit
days (`rollup.py`).

No patron column anywhere: a summary says how many, never who (docs/insights.md,
"Privacy"; tests/insights/test_privacy.py holds the schema to it). Each table is indexed
for its one access pattern, a date range (and a member): a year of a large group answers
in well under 2 seconds (bench/insights.py).
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from onelibrary.catalog.models import Title
from onelibrary.members.models import Branch, Library

# The columns a daily table shares with its monthly rollup (rollup.py sums one into the
# other column by column, so they are declared once).


class PairColumns(models.Model):
    owner = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="+")
    borrower = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="+")
    by_hold = models.PositiveIntegerField(default=0)
    walkin = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


class FillColumns(models.Model):
    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="+")
    days = models.PositiveIntegerField()
    holds = models.PositiveIntegerField()

    class Meta:
        abstract = True


class TransitColumns(models.Model):
    sender = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="+")
    receiver = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="+")
    days = models.PositiveIntegerField()
    copies = models.PositiveIntegerField()

    class Meta:
        abstract = True


class SendColumns(models.Model):
    branch = models.ForeignKey(Branch, on_delete=models.CASCADE, related_name="+")
    days = models.PositiveIntegerField()
    copies = models.PositiveIntegerField()

    class Meta:
        abstract = True


class TitleColumns(models.Model):
    title = models.ForeignKey(Title, on_delete=models.CASCADE, related_name="+")
    loans = models.PositiveIntegerField()

    class Meta:
        abstract = True


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


class PairDay(PairColumns):
    """Loans of `owner`'s copies to `borrower`'s patrons on one day (owner ≠ borrower):
    a cell of the member × member lending matrix."""

    day = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "owner", "borrower"], name="insights_pair_day"),
        ]

    def __str__(self) -> str:
        return f"{self.owner_id} to {self.borrower_id} on {self.day}"


class FillDays(FillColumns):
    """How many of a member's patrons' holds filled on `day` took `days` days from
    placement to the hold shelf: a histogram, enough for the median and p90."""

    day = models.DateField()

    class Meta:
        verbose_name_plural = "fill days"
        constraints = [
            models.UniqueConstraint(fields=["day", "library", "days"], name="insights_fill_days"),
        ]

    def __str__(self) -> str:
        return f"{self.holds} of {self.library_id} in {self.days} days on {self.day}"


class TransitDays(TransitColumns):
    """How many copies received on `day`, sent by `sender`'s branches to `receiver`'s,
    were `days` days from shipping to receipt: a histogram per pair of members."""

    day = models.DateField()

    class Meta:
        verbose_name_plural = "transit days"
        constraints = [
            models.UniqueConstraint(
                fields=["day", "sender", "receiver", "days"], name="insights_transit_days"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.copies} {self.sender_id}->{self.receiver_id} in {self.days} days"


class SendDays(SendColumns):
    """How many copies received on `day`, sent from `branch`, were `days` days from
    shipping to receipt: a histogram per sending branch (the courier route that picks up
    there is looked up when read, `series.transit_by_route`)."""

    day = models.DateField()

    class Meta:
        verbose_name_plural = "send days"
        constraints = [
            models.UniqueConstraint(fields=["day", "branch", "days"], name="insights_send_days"),
        ]

    def __str__(self) -> str:
        return f"{self.copies} from {self.branch_id} in {self.days} days"


class TitleDay(TitleColumns):
    """Loans of any copy of `title` checked out on `day` (top titles)."""

    day = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "title"], name="insights_title_day"),
        ]
        # A day's titles, most borrowed first: top titles read each day's list from its top
        # (series.top_titles); the unique key above finds one title's day.
        indexes = [models.Index(fields=["day", "-loans"], name="insights_title_day_rank")]

    def __str__(self) -> str:
        return f"{self.loans} loans of {self.title_id} on {self.day}"


class PickDay(models.Model):
    """A lender's pick list on one day: copies routed to it (`asked`), and copies it
    pulled for the hold they were routed for (sent on or shelved) that day, each copy
    counted on the day of its first pull."""

    day = models.DateField()
    lender = models.CharField(max_length=32, help_text="The owning library's code.")
    asked = models.PositiveIntegerField(default=0)
    pulled = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "lender"], name="insights_pick_day"),
        ]

    def __str__(self) -> str:
        return f"{self.lender} on {self.day}: {self.pulled} of {self.asked}"


class MonthRow(models.Model):
    """A monthly rollup row: `day` is the month's first day; the other columns are the
    daily table's, each the sum of the month's daily rows (rollup.py)."""

    day = models.DateField()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{type(self).__name__} {self.day:%Y-%m}"


class TransitMonth(MonthRow, TransitColumns):
    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "sender", "receiver", "days"], name="insights_transit_month"
            ),
        ]


class TitleMonth(MonthRow, TitleColumns):
    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "title"], name="insights_title_month"),
        ]
        indexes = [models.Index(fields=["day", "-loans"], name="insights_title_month_rank")]


class RunningRow(models.Model):
    """A running-total row: `day` is a boundary (the 10th, 20th or last day of a month) and
    each count the sum of the daily table's rows for every day up to and including it
    (running.py). Any period is then two boundaries' difference and a few days."""

    day = models.DateField()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{type(self).__name__} to {self.day}"


class PairRunning(RunningRow, PairColumns):
    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "owner", "borrower"], name="insights_pair_running"
            ),
        ]


class FillRunning(RunningRow, FillColumns):
    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "library", "days"], name="insights_fill_running"
            ),
        ]


class SendRunning(RunningRow, SendColumns):
    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "branch", "days"], name="insights_send_running"),
        ]


# Transit times of 0 to TRANSIT_COLUMNS - 1 days have a column each in TransitRunning, so
# a pair of members' histogram is one row; the rare longer ones share `days_more`, and
# a percentile that falls among them is read from the daily and monthly rows instead.
TRANSIT_COLUMNS = 15


class TransitRunning(RunningRow):
    """Copies received, sent by `sender`'s branches to `receiver`'s, by days from
    shipping to receipt (`days_0` … `days_14`, `days_more`), up to the boundary."""

    sender = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="+")
    receiver = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="+")
    days_more = models.PositiveIntegerField(default=0, help_text=f"{TRANSIT_COLUMNS} days or more.")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "sender", "receiver"], name="insights_transit_running"
            ),
        ]


for _days in range(TRANSIT_COLUMNS):
    TransitRunning.add_to_class(f"days_{_days}", models.PositiveIntegerField(default=0))


class RunningBoundary(models.Model):
    """A boundary whose running totals are written. They are kept written from the first
    built day's boundary to the last's, with none missing between (running.py)."""

    day = models.DateField(primary_key=True)

    class Meta:
        verbose_name_plural = "running boundaries"

    def __str__(self) -> str:
        return f"running totals to {self.day}"


class BuiltDay(models.Model):
    """A day whose summaries are built. Days not here are counted from the records when
    asked (routing's load term) or built by the job (`onelibrary insights-rebuild`)."""

    day = models.DateField(primary_key=True)
    built_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.day} built {self.built_at:%Y-%m-%d %H:%M}"


class CostFormula(models.Model):
    """One way to share the group's costs, as data: a weight per measure (docs/insights.md,
    "Cost sharing"). Weights are relative: 2 and 1 give two thirds and one third. Each
    member's share of a measure is its part of the group's total of that measure; `flat`
    shares equally."""

    MEASURES = (
        ("collection", "Collection size (copies owned)"),
        ("circulation", "Circulation (loans of its copies)"),
        ("lending", "Lent to other members"),
        ("borrowing", "Borrowed from other members"),
        ("population", "Population served"),
        ("registered", "Patron count (registered borrowers)"),
        ("flat", "A flat equal share"),
    )

    name = models.CharField(max_length=100, unique=True)
    description = models.CharField(max_length=300, blank=True)
    collection = models.DecimalField(max_digits=6, decimal_places=2, default=0)
    circulation = models.DecimalField(max_digits=6, decimal_places=2, default=0)
    lending = models.DecimalField(max_digits=6, decimal_places=2, default=0)
    borrowing = models.DecimalField(max_digits=6, decimal_places=2, default=0)
    population = models.DecimalField(max_digits=6, decimal_places=2, default=0)
    registered = models.DecimalField(max_digits=6, decimal_places=2, default=0)
    flat = models.DecimalField(max_digits=6, decimal_places=2, default=0)
    is_current = models.BooleanField(
        default=False, help_text="The formula in use: the others show the change from it."
    )

    class Meta:
        ordering = ["-is_current", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(collection__gte=0, circulation__gte=0, lending__gte=0)
                & models.Q(borrowing__gte=0, population__gte=0, registered__gte=0, flat__gte=0),
                name="insights_cost_weights_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def weights(self) -> dict[str, object]:
        return {key: getattr(self, key) for key, _ in self.MEASURES}


class SharedCost(models.Model):
    """A total to share among the members, entered by the central office; the costs page
    shares the latest one."""

    label = models.CharField(max_length=100, help_text="What it pays for, e.g. 'ILS 2027'.")
    total = models.DecimalField(max_digits=12, decimal_places=2)
    entered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-entered_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(total__gte=0), name="insights_cost_total"),
        ]

    def __str__(self) -> str:
        return f"{self.label}: {self.total}"


class ReportSchedule(models.Model):
    """An insights table emailed, as CSV, to chosen staff on a schedule (schedules.py)."""

    class Period(models.TextChoices):
        LAST_WEEK = "last_week", "The last 7 days"
        LAST_MONTH = "last_month", "Last calendar month"
        LAST_QUARTER = "last_quarter", "The last 3 calendar months"
        LAST_YEAR = "last_year", "The last 12 calendar months"

    class Every(models.TextChoices):
        DAY = "day", "Every day"
        WEEK = "week", "Every Monday"
        MONTH = "month", "On the 1st of each month"

    name = models.CharField(max_length=100)
    report = models.CharField(max_length=32, help_text="An insights table, by name.")
    period = models.CharField(max_length=16, choices=Period.choices, default=Period.LAST_MONTH)
    every = models.CharField(max_length=8, choices=Every.choices, default=Every.MONTH)
    recipients = models.ManyToManyField("auth.User", related_name="+")
    created_by = models.ForeignKey(
        "auth.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    next_run_at = models.DateTimeField()
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_result = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["next_run_at"], name="insights_schedule_due")]

    def __str__(self) -> str:
        return self.name
