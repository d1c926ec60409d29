"""Titles (bibliographic records) and items (copies), owned by member libraries."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from onelibrary.catalog import scripts
from onelibrary.members.models import Branch, Library


class Title(models.Model):
    """One bibliographic record, shared by the whole group.

    The normalised fields drive search and display; `marc` keeps the full record as
    MARC21 (UTF-8) so that nothing loaded is ever lost. Records merged into this title
    from other sources are kept as `TitleSource` rows.
    """

    class Format(models.TextChoices):
        BOOK = "book", "Book"
        LARGE_PRINT = "large_print", "Large print"
        SOUND = "sound", "Sound recording"
        MUSIC = "music", "Music recording"
        SCORE = "score", "Music score"
        VIDEO = "video", "Video"
        MAP = "map", "Map"
        SERIAL = "serial", "Serial"
        COMPUTER = "computer", "Computer file"
        KIT = "kit", "Kit or object"
        OTHER = "other", "Other"

    title = models.CharField(max_length=1000)
    author = models.CharField(max_length=500, blank=True)
    subjects = models.TextField(blank=True, help_text="One subject heading per line.")
    isbns = models.TextField(blank=True, help_text="Normalised ISBN-13s, space-separated.")
    oclc_number = models.CharField(max_length=32, blank=True, db_index=True)
    format = models.CharField(max_length=16, choices=Format.choices, default=Format.BOOK)
    language = models.CharField(max_length=3, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    publisher = models.CharField(max_length=300, blank=True)
    title_key = models.CharField(
        max_length=255, db_index=True, help_text="Normalised title/author/year for matching."
    )
    marc = models.BinaryField(blank=True, help_text="The full MARC21 record, UTF-8.")
    vernacular = models.TextField(
        blank=True,
        help_text="The record's 880 fields in original script, one per line: "
        "linked tag, script code, text, tab-separated (docs/marc.md).",
    )
    created_at = models.DateTimeField(default=timezone.now)
    # The record's datestamp for harvesters (OAI-PMH, interop/oai.py): whoever changes
    # the bibliographic record, or withdraws or reinstates a copy, moves it.
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title"]
        indexes = [
            # A harvest walks titles in (datestamp, id) order from a cursor.
            models.Index(fields=["updated_at", "id"], name="title_datestamp"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def vernacular_title(self) -> scripts.ScriptText | None:
        return scripts.first_of(self.vernacular, scripts.TITLE, self.language)

    @property
    def vernacular_author(self) -> scripts.ScriptText | None:
        return scripts.first_of(self.vernacular, scripts.AUTHOR, self.language)

    @property
    def subject_list(self) -> list[str]:
        return [s for s in self.subjects.splitlines() if s]

    @property
    def isbn_list(self) -> list[str]:
        return self.isbns.split()


class RetiredTitle(models.Model):
    """A title that is gone because it was merged into another (catalog/titlemerge.py).

    Kept for good, so that a harvester that holds the old record learns it is deleted
    (OAI-PMH "persistent" deleted records). Title ids are never reused.
    """

    class Reason(models.TextChoices):
        MERGED = "merged", "Merged into another title"

    title_id = models.BigIntegerField(unique=True, help_text="The id the title had.")
    reason = models.CharField(max_length=16, choices=Reason.choices)
    merged_into = models.BigIntegerField(null=True, blank=True)
    libraries = models.TextField(
        blank=True, help_text="Codes of the libraries that owned copies, space-separated."
    )
    retired_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["retired_at", "title_id"], name="retired_datestamp")]

    def __str__(self) -> str:
        return f"title {self.title_id} ({self.reason})"


class TitleIdentifier(models.Model):
    """An identifier that points at one title: how imports find the title to merge into."""

    class Kind(models.TextChoices):
        ISBN = "isbn", "ISBN-13"
        OCLC = "oclc", "OCLC number"

    title = models.ForeignKey(Title, on_delete=models.CASCADE, related_name="identifiers")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    value = models.CharField(max_length=32)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "value"], name="identifier_points_at_one_title")
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.value}"


class TitleSource(models.Model):
    """A MARC record as a member library sent it, kept whole after merging into a title."""

    title = models.ForeignKey(Title, on_delete=models.CASCADE, related_name="sources")
    library = models.ForeignKey(Library, on_delete=models.PROTECT, related_name="title_sources")
    control_number = models.CharField(max_length=64, blank=True)
    record_hash = models.CharField(max_length=64, help_text="SHA-256 of the record as read.")
    marc = models.BinaryField()
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["library", "record_hash"], name="source_record_once_per_library"
            )
        ]

    def __str__(self) -> str:
        return f"{self.library_id}:{self.control_number or self.record_hash[:12]}"


class Item(models.Model):
    """One physical copy. Its barcode is unique across the whole group."""

    class Status(models.TextChoices):
        AVAILABLE = "available", "Available"
        CHECKED_OUT = "checked_out", "Checked out"
        IN_TRANSIT = "in_transit", "In transit"
        ON_HOLD_SHELF = "on_hold_shelf", "On hold shelf"
        IN_PROCESSING = "in_processing", "In processing"
        MISSING = "missing", "Missing"
        LOST = "lost", "Lost"
        DAMAGED = "damaged", "Damaged"
        WITHDRAWN = "withdrawn", "Withdrawn"

    barcode = models.CharField(max_length=64, unique=True)
    title = models.ForeignKey(Title, on_delete=models.PROTECT, related_name="items")
    owning_library = models.ForeignKey(Library, on_delete=models.PROTECT, related_name="items")
    home_branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, related_name="home_items", help_text="Where it shelves."
    )
    current_branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, related_name="current_items", help_text="Where it is."
    )
    collection = models.CharField(max_length=32, blank=True)
    item_type = models.CharField(max_length=32, blank=True)
    shelf_location = models.CharField(max_length=64, blank=True)
    call_number = models.CharField(max_length=100, blank=True)
    price = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.AVAILABLE)
    holdable = models.BooleanField(default=True)
    # Why a copy is kept from group holds: one of the reasons the group allows (No hiding
    # without a reason, docs/governance.md). A string reference, not an import: the list is
    # the group's policy data, which stands above the catalog (docs/decisions.md).
    holds_exemption = models.ForeignKey(
        "policy.ExemptionReason",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="reason kept from group holds",
        help_text="Needed when the copy is not holdable: one of the reasons the group allows.",
    )
    floating = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    acquired_on = models.DateField(
        null=True,
        blank=True,
        help_text="When the library acquired the copy; empty: the day it was added here. "
        "Its local-priority window starts on this day.",
    )

    class Meta:
        ordering = ["barcode"]
        indexes = [
            models.Index(fields=["title", "status"], name="item_title_status"),
            models.Index(fields=["owning_library", "status"], name="item_owner_status"),
            # The search's library and "available now" facets read copies per title
            # from this index alone (catalog/search.py).
            models.Index(
                fields=["title", "owning_library", "status"], name="item_title_owner_status"
            ),
            # Copies added in a period, by owner (insights' buying against demand).
            models.Index(fields=["acquired_on", "owning_library"], name="item_acquired_owner"),
        ]

    def __str__(self) -> str:
        return self.barcode

    def clean(self) -> None:
        # No hiding without a reason: a copy kept from group holds names an allowed reason.
        if not self.holdable and self.holds_exemption_id is None:
            raise ValidationError(
                {
                    "holds_exemption": "A copy kept from group holds needs a reason the group "
                    "allows: choose one, or leave the copy holdable."
                }
            )

    @property
    def acquired(self) -> dt.date:
        """The day the copy was acquired: `acquired_on`, else the local day it was added."""
        return self.acquired_on or timezone.localtime(self.created_at).date()


class SearchTerm(models.Model):
    """A word of the search index (titles, authors, subjects) and how many titles have it:
    the vocabulary "Did you mean" picks from (catalog/terms.py, docs/search.md)."""

    term = models.CharField(max_length=64, unique=True)
    titles = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return f"{self.term} ({self.titles})"
