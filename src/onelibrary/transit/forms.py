"""The transit pages' forms: what a button or a scan sends, checked before any action."""

from __future__ import annotations

from typing import Any

from django import forms

from onelibrary.members.desk_forms import MAX_SCAN, SCAN_ATTRS
from onelibrary.members.models import Branch


class OpenCrateForm(forms.Form):
    destination = forms.ModelChoiceField(
        queryset=Branch.objects.none(),
        required=False,
        label="Crate for branch",
        empty_label="— a courier hub instead —",
    )
    hub = forms.CharField(
        max_length=32,
        required=False,
        label="or for courier hub (its code)",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )

    def __init__(self, *args: Any, origin: Branch, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        destination = self.fields["destination"]
        assert isinstance(destination, forms.ModelChoiceField)
        destination.queryset = (
            Branch.objects.filter(is_active=True).exclude(pk=origin.pk).order_by("code")
        )

    def clean(self) -> dict:
        data = super().clean() or {}
        if (data.get("destination") is None) == (not data.get("hub", "").strip()):
            raise forms.ValidationError("Choose one branch, or type one courier hub's code.")
        return data


class CrateLabelForm(forms.Form):
    label = forms.CharField(
        label="Crate label", max_length=MAX_SCAN, widget=forms.TextInput(attrs=SCAN_ATTRS)
    )


class MissingForm(forms.Form):
    note = forms.CharField(
        max_length=300, required=False, label="Where was it looked for? (kept on the record)"
    )
