"""The holds pages' forms: what a button or a scan sends, checked before any action runs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from onelibrary.catalog.models import Item, Title
from onelibrary.holds.inputs import GONE
from onelibrary.members.desk_forms import MAX_SCAN, SCAN_ATTRS
from onelibrary.members.models import Branch
from onelibrary.members.pickup import pickup_branches

CARD_ATTRS = {"autocomplete": "off", "autocapitalize": "off", "spellcheck": "false"}


class BranchChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Branch) -> str:
        return f"{obj.name} ({obj.code}) — {obj.library.name}"


class CopyChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Item) -> str:
        return f"{obj.barcode} — {obj.home_branch.name} ({obj.get_status_display().lower()})"


def open_branches():
    """The branches offered for pickup: open, of an active member (HOLD-18)."""
    return pickup_branches().order_by("name")


class PlaceHoldForm(forms.Form):
    card = forms.CharField(
        label="Patron's library card", max_length=MAX_SCAN, widget=forms.TextInput(CARD_ATTRS)
    )
    pickup = BranchChoice(
        label="Pickup branch",
        queryset=Branch.objects.none(),
        required=False,
        empty_label="The patron's preferred branch",
    )
    item = CopyChoice(
        label="Copy",
        queryset=Item.objects.none(),
        required=False,
        empty_label="Any copy (the quickest to reach the patron)",
        to_field_name="barcode",
    )

    def __init__(self, *args: Any, title: Title, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        pickup, item = self.fields["pickup"], self.fields["item"]
        assert isinstance(pickup, BranchChoice) and isinstance(item, CopyChoice)
        pickup.queryset = open_branches()
        item.queryset = (
            Item.objects.filter(title=title)
            .exclude(status__in=GONE)
            .select_related("home_branch")
            .order_by("barcode")
        )


class FindPatronForm(forms.Form):
    card = forms.CharField(
        label="Patron's library card", max_length=MAX_SCAN, widget=forms.TextInput(CARD_ATTRS)
    )


class SuspendForm(forms.Form):
    until = forms.DateField(
        label="Suspend until", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def clean_until(self) -> dt.date:
        until = self.cleaned_data["until"]
        if until < timezone.localdate():
            raise forms.ValidationError("Choose today or a later date.")
        return until


class PickupForm(forms.Form):
    pickup = BranchChoice(label="New pickup branch", queryset=Branch.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        pickup = self.fields["pickup"]
        assert isinstance(pickup, BranchChoice)
        pickup.queryset = open_branches()


class PullScanForm(forms.Form):
    barcode = forms.CharField(
        label="Scan a pulled copy", max_length=MAX_SCAN, widget=forms.TextInput(SCAN_ATTRS)
    )
