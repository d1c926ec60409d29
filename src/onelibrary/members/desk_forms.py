"""The desk's forms: what a scan or a button sends, checked before any action runs."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from onelibrary.members.models import Branch

# What a wedge scanner types is a barcode, not prose: no autocorrect, no capitals, no
# browser suggestions, and the page's one scan field has `data-scan-field` so that
# desk.js can put the focus back in it after every scan.
SCAN_ATTRS = {
    "autocomplete": "off",
    "autocapitalize": "off",
    "autocorrect": "off",
    "spellcheck": "false",
    "autofocus": True,
    "data-scan-field": True,
    "class": "scan-input",
}
# The longest text kept for a refused scan (UnprocessedScan.barcode is 200 characters).
MAX_SCAN = 200


class BranchChoiceForm(forms.Form):
    branch = forms.ModelChoiceField(queryset=Branch.objects.none())

    def __init__(self, *args: Any, branches: QuerySet[Branch], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["branch"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = branches


class PatronScanForm(forms.Form):
    card = forms.CharField(
        label="Patron's library card",
        max_length=MAX_SCAN,
        widget=forms.TextInput(attrs=SCAN_ATTRS),
    )


class ItemScanForm(forms.Form):
    barcode = forms.CharField(
        label="Item barcode", max_length=MAX_SCAN, widget=forms.TextInput(attrs=SCAN_ATTRS)
    )
    override_reason = forms.CharField(label="Reason for the override", required=False)
    # The result line an override re-submits, so that the answer replaces it.
    line = forms.CharField(required=False, max_length=32, widget=forms.HiddenInput)


class RenewForm(forms.Form):
    loan = forms.IntegerField(required=False, widget=forms.HiddenInput)
    override_reason = forms.CharField(label="Reason for the override", required=False)
