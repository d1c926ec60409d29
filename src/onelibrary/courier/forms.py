"""Forms for the route and hub pages and the admin. They read what was typed; the rules
are in courier/validation.py and the writes in courier/actions.py."""

from __future__ import annotations

from typing import Any

from django import forms

from onelibrary.courier.actions import StopInput
from onelibrary.courier.models import MAX_TRANSFER_DAYS, Hub
from onelibrary.courier.validation import WEEKDAY_NAMES

WEEKDAY_CHOICES = [(str(i), name) for i, name in enumerate(WEEKDAY_NAMES)]


class WeekdaysField(forms.MultipleChoiceField):
    """Seven tick boxes, Monday first, read as the seven digits the models keep."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs: Any):
        kwargs.setdefault("required", False)
        super().__init__(choices=WEEKDAY_CHOICES, **kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, str) and len(value) == 7 and set(value) <= {"0", "1"}:
            return [str(i) for i, flag in enumerate(value) if flag == "1"]
        return value

    def clean(self, value: Any) -> str:
        picked = {int(v) for v in super().clean(value)}
        return "".join("1" if i in picked else "0" for i in range(7))


class RouteForm(forms.Form):
    code = forms.CharField(max_length=32, help_text="Capital letters, digits, '-' or '_'.")
    name = forms.CharField(max_length=200)
    days = WeekdaysField(label="The van runs on")
    hubs = forms.ModelMultipleChoiceField(
        Hub.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Where this van meets the others to swap items.",
    )
    is_active = forms.BooleanField(required=False, initial=True, label="In service")
    notes = forms.CharField(max_length=300, required=False)

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip().upper()


class StopForm(forms.Form):
    position = forms.IntegerField(
        min_value=1, max_value=999, required=False, help_text="Order on the round."
    )
    branch = forms.CharField(max_length=32, required=False, label="Branch code")
    days = WeekdaysField(label="Called on")
    remove = forms.BooleanField(required=False)

    def is_blank(self) -> bool:
        data = self.cleaned_data
        return not data.get("branch", "").strip() and "1" not in data.get("days", "0000000")


StopFormSet = forms.formset_factory(StopForm, extra=3)


def stops_from(formset: forms.BaseFormSet) -> list[StopInput]:
    """The stops as typed, in position order (rows without a position keep their place)."""
    rows = []
    for number, form in enumerate(formset.forms):
        data = form.cleaned_data
        if not data or data.get("remove") or form.is_blank():
            continue
        position = data.get("position")
        rows.append((position if position is not None else number + 1, number, data))
    rows.sort(key=lambda row: (row[0], row[1]))
    return [StopInput(branch_code=d["branch"].strip().upper(), days=d["days"]) for *_, d in rows]


class HubForm(forms.Form):
    code = forms.CharField(max_length=32)
    name = forms.CharField(max_length=200)
    transfer_days = forms.IntegerField(
        min_value=0,
        max_value=MAX_TRANSFER_DAYS,
        initial=1,
        help_text="Extra days an item waits here when it changes vans.",
    )
    notes = forms.CharField(max_length=300, required=False)
