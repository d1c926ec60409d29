"""Forms for the patron pages and the API's input checks: each says what to fix, in words.

A form shows what was typed back with the problems; the action behind it saves all of it or
nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.functional import cached_property

from onelibrary.members.models import Branch, Library
from onelibrary.patrons import cards
from onelibrary.patrons.actions import ID_METHODS, REGISTER_FIELDS
from onelibrary.patrons.fields import (
    EDITABLE_FIELDS,
    FIELD_LABELS,
    GROUP_CHOICES,
    ROLE_RELATIONS,
)
from onelibrary.patrons.models import Patron, PatronSettings

PHONE = re.compile(r"^[0-9 +().\-/]*$")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _branches() -> QuerySet[Branch]:
    return Branch.objects.filter(is_active=True).select_related("library")


class FieldChecks:
    """The checks every way of changing a patron applies (the pages, the API, the admin)."""

    cleaned_data: dict[str, Any]

    @cached_property
    def settings(self) -> PatronSettings:
        return PatronSettings.current()

    def clean_first_name(self) -> str:
        return " ".join(self.cleaned_data["first_name"].split())

    def clean_last_name(self) -> str:
        return " ".join(self.cleaned_data["last_name"].split())

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        if not PHONE.match(phone):
            raise forms.ValidationError(
                "A phone number has digits, spaces and + ( ) - only, e.g. (406) 555-0142."
            )
        return phone

    def clean_postcode(self) -> str:
        postcode = self.cleaned_data["postcode"].strip().upper()
        if postcode and not re.match(self.settings.postcode_pattern, postcode):
            raise forms.ValidationError(
                f"{postcode} is not a postcode we know: use e.g. {self.settings.postcode_example}."
            )
        return postcode

    def clean_birth_date(self) -> dt.date | None:
        born = self.cleaned_data["birth_date"]
        if born is not None and born > timezone.localdate():
            raise forms.ValidationError("A birth date cannot be in the future.")
        if born is not None and born.year < 1900:
            raise forms.ValidationError("Check the year: a birth date before 1900 is unlikely.")
        return born

    def clean_expires_on(self) -> dt.date | None:
        expires = self.cleaned_data.get("expires_on")  # optional at registration
        if expires is not None and expires.year > timezone.localdate().year + 20:
            raise forms.ValidationError("Check the year: a card is valid for at most 20 years.")
        return expires


class PatronForm(FieldChecks, forms.Form):
    """The record's fields; built with only the fields the staff member may change."""

    first_name = forms.CharField(max_length=100)
    last_name = forms.CharField(max_length=100)
    expires_on = forms.DateField(widget=DATE)
    email = forms.EmailField(
        required=False,
        max_length=254,
        error_messages={"invalid": "Enter an email address like name@example.org."},
    )
    phone = forms.CharField(required=False, max_length=40)
    address = forms.CharField(required=False, max_length=300, label="Street address")
    town = forms.CharField(required=False, max_length=100)
    postcode = forms.CharField(required=False, max_length=16)
    birth_date = forms.DateField(required=False, widget=DATE)
    category = forms.ChoiceField(choices=Patron.Category.choices)
    preferred_branch = forms.ModelChoiceField(
        queryset=Branch.objects.none(), required=False, to_field_name="code"
    )
    keep_loan_history = forms.BooleanField(
        required=False,
        label="Keep loan history",
        help_text="Only when the patron asks: keeps the list of what they returned.",
    )
    block_reason = forms.CharField(
        required=False,
        max_length=300,
        label="Block",
        help_text="Why the patron may not borrow; leave empty when there is no block.",
    )
    notes = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, allowed: tuple[str, ...] = EDITABLE_FIELDS, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for name in list(self.fields):
            if name in EDITABLE_FIELDS and name not in allowed:
                del self.fields[name]
            elif name in EDITABLE_FIELDS:
                self.fields[name].label = FIELD_LABELS[name]
        branch = self.fields.get("preferred_branch")
        if isinstance(branch, forms.ModelChoiceField):
            branch.queryset = _branches()
        if "postcode" in self.fields:
            self.fields["postcode"].help_text = f"For example {self.settings.postcode_example}."

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.fields if name in EDITABLE_FIELDS}


class IdCheckForm(forms.Form):
    """For staff of another library than the patron's home library."""

    id_checked = forms.BooleanField(
        required=True,
        label="I checked the patron's ID",
        error_messages={"required": "Check the patron's ID and tick this box before saving."},
    )
    id_method = forms.ChoiceField(
        choices=[("", "— choose —"), *ID_METHODS],
        label="How the ID was checked",
        error_messages={"required": "Say how you checked the patron's ID."},
    )


class RegisterForm(PatronForm):
    library = forms.ModelChoiceField(
        queryset=Library.objects.none(),
        label="Registering library",
        help_text="The library you register the patron for.",
    )
    card = forms.CharField(
        required=False,
        max_length=32,
        label="Card number",
        help_text="Leave empty to issue the next card number, or scan a new blank card.",
    )
    confirm_new = forms.BooleanField(required=False, widget=forms.HiddenInput)

    field_order = ["library", "card"]

    def __init__(self, *args: Any, libraries: QuerySet[Library], **kwargs: Any):
        super().__init__(*args, allowed=REGISTER_FIELDS, **kwargs)
        library = self.fields["library"]
        assert isinstance(library, forms.ModelChoiceField)
        library.queryset = libraries
        self.fields["expires_on"].required = False
        self.fields[
            "expires_on"
        ].help_text = f"Leave empty for {self.settings.card_years} years from today."
        self.only_library = libraries.first() if libraries.count() == 1 else None
        if self.only_library is not None:
            self.fields["library"].required = False
            self.fields["library"].widget = forms.HiddenInput()

    def clean_library(self) -> Library:
        library = self.cleaned_data["library"] or self.only_library
        assert library is not None  # the field is required unless there is one library
        return library

    def clean_card(self) -> str:
        typed = self.cleaned_data["card"].strip()
        if not typed:
            return ""
        try:
            card = cards.check_card(typed)
        except cards.CardError as error:
            raise forms.ValidationError(error.message) from error
        if Patron.objects.filter(card=card).exists():
            raise forms.ValidationError(f"Card {card} already belongs to a patron.")
        return card

    def registration(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in REGISTER_FIELDS}


class FindForm(forms.Form):
    q = forms.CharField(
        max_length=100,
        label="Card number or name",
        help_text="Scan a card, or type a name (last name, or first and last).",
    )


class MergeForm(forms.Form):
    keep = forms.CharField(max_length=32, label="Card of the record to keep")
    away = forms.CharField(max_length=32, label="Card of the duplicate to merge into it")
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)


class HomeChangesForm(forms.Form):
    patrons = forms.TypedMultipleChoiceField(coerce=int, choices=[])

    def __init__(self, *args: Any, choices: list[int], **kwargs: Any):
        super().__init__(*args, **kwargs)
        patrons = self.fields["patrons"]
        assert isinstance(patrons, forms.ChoiceField)
        patrons.choices = [(pk, pk) for pk in choices]
        self.fields["patrons"].error_messages["required"] = "Tick at least one patron."


def permission_key(role: str, relation: str, group: str, right: str) -> str:
    return f"{role}-{relation}-{group}-{right}"


class PermissionTableForm(forms.Form):
    """One checkbox per role, relation, field group and right (view, edit)."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for role, relation in ROLE_RELATIONS:
            for group, _ in GROUP_CHOICES:
                for right in ("view", "edit"):
                    key = permission_key(role, relation, group, right)
                    self.fields[key] = forms.BooleanField(required=False)

    def table(self) -> dict[tuple[str, str, str], tuple[bool, bool]]:
        return {
            (role, relation, group): (
                self.cleaned_data[permission_key(role, relation, group, "view")],
                self.cleaned_data[permission_key(role, relation, group, "edit")],
            )
            for role, relation in ROLE_RELATIONS
            for group, _ in GROUP_CHOICES
        }


class SettingsForm(forms.ModelForm):
    class Meta:
        model = PatronSettings
        fields = [
            "home_library_rule",
            "require_id_check",
            "card_prefix",
            "card_years",
            "postcode_pattern",
            "postcode_example",
        ]
