"""Patrons: one card, valid at every branch of the group.

This is the minimal record the foundation needs; shared records with field-level
permissions and privacy come with the patrons issue.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from onelibrary.members.models import Branch, Library


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
    preferred_branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, null=True, blank=True, related_name="patrons"
    )
    category = models.CharField(max_length=16, choices=Category.choices, default=Category.ADULT)
    expires_on = models.DateField()
    keep_loan_history = models.BooleanField(
        default=False,
        help_text="Opt-in: keep the link between this patron and returned loans.",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} ({self.card})"
