"""The desk's forms: what a scan or a button sends, checked before any action runs."""

from __future__ import annotations

import unicodedata
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
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
# Control characters a scanner or a paste may send, by the names staff may know them by.
CONTROL_NAMES = {0: "null", 9: "tab", 10: "line feed", 13: "carriage return", 27: "escape"}


def _character(c: str) -> str:
    name = CONTROL_NAMES.get(ord(c))
    return f"U+{ord(c):04X}" + (f" ({name})" if name else "")


def printable_scan(thing: str):  # noqa: ANN201 - a validator
    """A validator refusing what no barcode holds: control and format characters (a
    scanner's stray escape code, a pasted null). It names them, since they do not show."""

    def validate(value: str) -> None:
        bad = sorted({c for c in value if unicodedata.category(c) in ("Cc", "Cf")})
        if bad:
            raise ValidationError(
                f"That scan contains characters a {thing} cannot have: "
                f"{', '.join(_character(c) for c in bad)}. Scan it again, or type the number.",
                code="unprintable",
            )

    return validate


def scan_field(label: str, thing: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=MAX_SCAN,
        widget=forms.TextInput(attrs=SCAN_ATTRS),
        validators=[printable_scan(thing)],
        error_messages={
            "max_length": f"That scan is too long to be a {thing} (more than {MAX_SCAN} "
            "characters). Scan it again.",
        },
    )


def scan_error(form: forms.Form, field: str) -> str:
    """The one message for a scan the form refused: ours first (Django adds its stock
    "Null characters are not allowed." after it for a null)."""
    errors = form.errors.get(field) or next(iter(form.errors.values()))
    return str(errors[0])


class BranchChoiceForm(forms.Form):
    branch = forms.ModelChoiceField(queryset=Branch.objects.none())

    def __init__(self, *args: Any, branches: QuerySet[Branch], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["branch"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = branches


class PatronScanForm(forms.Form):
    card = scan_field("Patron's library card", "library card")


class ItemScanForm(forms.Form):
    barcode = scan_field("Item barcode", "barcode")
    override_reason = forms.CharField(label="Reason for the override", required=False)
    # The result line an override re-submits, so that the answer replaces it.
    line = forms.CharField(required=False, max_length=32, widget=forms.HiddenInput)


class RenewForm(forms.Form):
    loan = forms.IntegerField(required=False, widget=forms.HiddenInput)
    override_reason = forms.CharField(label="Reason for the override", required=False)
