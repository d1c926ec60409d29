"""The transit pages' forms: what a button or a scan sends, checked before any action."""

from __future__ import annotations

from typing import Any

from django import forms

from onelibrary.courier.models import Hub
from onelibrary.members.desk_forms import MAX_SCAN, SCAN_ATTRS
from onelibrary.members.models import Branch


class OpenCrateForm(forms.Form):
    destination = forms.ModelChoiceField(
        queryset=Branch.objects.none(),
        required=False,
        label="Crate for branch",
        empty_label="— a courier hub instead —",
    )
    hub = forms.ModelChoiceField(
        queryset=Hub.objects.order_by("code"),
        to_field_name="code",
        required=False,
        label="or for courier hub",
        empty_label="— a branch instead —",
        error_messages={
            "invalid_choice": "That is not one of the group's courier hubs: choose one from the "
            "list."
        },
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
        if self.errors:
            return data
        if (data.get("destination") is None) == (data.get("hub") is None):
            raise forms.ValidationError("Choose one branch, or one courier hub.")
        return data

    @property
    def hub_code(self) -> str:
        hub = self.cleaned_data.get("hub")
        return hub.code if hub is not None else ""

    def problem(self) -> str:
        """The first thing wrong, in words for the page's message."""
        for errors in self.errors.values():
            return str(errors[0])
        return "Choose where the crate goes: one branch, or a courier hub."


class CrateLabelForm(forms.Form):
    label = forms.CharField(
        label="Crate label", max_length=MAX_SCAN, widget=forms.TextInput(attrs=SCAN_ATTRS)
    )


class MissingForm(forms.Form):
    note = forms.CharField(
        max_length=300, required=False, label="Where was it looked for? (kept on the record)"
    )
