"""The patron's forms. Each keeps what was typed (PINs excepted) and says what to fix."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from onelibrary.account.access import pickup_branches
from onelibrary.account.pins import MAX_LENGTH
from onelibrary.holds.actions import MAX_SUSPEND_DAYS
from onelibrary.holds.inputs import local_date
from onelibrary.members.models import Branch
from onelibrary.patrons.actions import ID_METHODS

PIN_ATTRS = {"autocomplete": "current-password"}
NEW_PIN_ATTRS = {"autocomplete": "new-password"}


class LoginForm(forms.Form):
    card = forms.CharField(
        label="Library card number",
        max_length=64,
        help_text="The number under the barcode on your card.",
        widget=forms.TextInput(
            {"autocomplete": "username", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )
    pin = forms.CharField(
        label="PIN", max_length=MAX_LENGTH, strip=False, widget=forms.PasswordInput(PIN_ATTRS)
    )


class BranchChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Branch) -> str:
        return f"{obj.name} — {obj.library.name}"


class PickupForm(forms.Form):
    pickup = BranchChoice(
        label="Pickup branch",
        queryset=Branch.objects.none(),
        to_field_name="code",
        empty_label=None,
        error_messages={"invalid_choice": "Choose an open branch from the list."},
    )

    def __init__(self, *args: Any, initial_branch: Branch | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        pickup = self.fields["pickup"]
        assert isinstance(pickup, BranchChoice)
        pickup.queryset = pickup_branches()
        if initial_branch is not None and not self.is_bound:
            self.initial["pickup"] = initial_branch.code


class SuspendForm(forms.Form):
    until = forms.DateField(
        label="Suspend until",
        help_text="The hold keeps its place but is not filled until after this date "
        "(at most a year from today).",
        widget=forms.DateInput({"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Enter a date such as 2027-01-31."},
    )

    def clean_until(self) -> dt.date:
        until: dt.date = self.cleaned_data["until"]
        today = local_date()
        if until < today:
            raise forms.ValidationError("Choose today or a later date.")
        if until > today + dt.timedelta(days=MAX_SUSPEND_DAYS):
            raise forms.ValidationError("Choose a date at most a year from today.")
        return until


class ChangePinForm(forms.Form):
    old_pin = forms.CharField(
        label="Current PIN",
        max_length=MAX_LENGTH,
        strip=False,
        widget=forms.PasswordInput(PIN_ATTRS),
    )
    new_pin = forms.CharField(
        label="New PIN",
        max_length=MAX_LENGTH,
        strip=False,
        help_text="At least 4 characters or digits; not part of your card number.",
        widget=forms.PasswordInput(NEW_PIN_ATTRS),
    )
    again = forms.CharField(
        label="New PIN again",
        max_length=MAX_LENGTH,
        strip=False,
        widget=forms.PasswordInput(NEW_PIN_ATTRS),
    )


class LoanHistoryForm(forms.Form):
    keep = forms.BooleanField(
        label="Keep a list of what I have borrowed",
        required=False,
        help_text="Off: the link between you and an item is cut when it is returned. "
        "Turning it off also forgets the list kept so far.",
    )


class StaffPinForm(forms.Form):
    card = forms.CharField(label="Patron's library card", max_length=64)
    pin = forms.CharField(
        label="New PIN",
        max_length=MAX_LENGTH,
        strip=False,
        widget=forms.PasswordInput(NEW_PIN_ATTRS),
    )
    again = forms.CharField(
        label="New PIN again",
        max_length=MAX_LENGTH,
        strip=False,
        widget=forms.PasswordInput(NEW_PIN_ATTRS),
    )
    id_method = forms.ChoiceField(
        label="How you checked the patron's ID",
        choices=[("", "— not needed at the patron's home library —"), *ID_METHODS],
        required=False,
        help_text="Needed when you work for another library than the patron's home library.",
    )
