"""Forms of the catalog pages: the search box and the staff item editor."""

from __future__ import annotations

from typing import Any

from django import forms

from onelibrary.catalog.facets import (
    FIRST_DECADE,
    LANGUAGE,
    LAST_DECADE,
    SORTS,
    SearchFilters,
    parse_decade,
)
from onelibrary.catalog.models import Item, Title
from onelibrary.members.models import Library

FIELD_CHOICES = [
    ("keyword", "Keyword"),
    ("title", "Title"),
    ("author", "Author"),
    ("subject", "Subject"),
    ("isbn", "ISBN"),
]


class SearchForm(forms.Form):
    """The public search: words, where to look, order, and the facets chosen.

    A facet value that is not well formed or names nothing is an error the page shows;
    the search then runs without that facet (see catalog.views.search)."""

    q = forms.CharField(
        label="Search the catalog",
        required=False,
        max_length=500,
        error_messages={
            "max_length": "This search is %(show_value)d characters long; a search can be at "
            "most %(limit_value)d. Shorten it to a few words and search again.",
        },
    )
    field = forms.ChoiceField(label="Search in", choices=FIELD_CHOICES, required=False)
    sort = forms.ChoiceField(label="Sort by", choices=list(SORTS.items()), required=False)
    page = forms.IntegerField(
        min_value=1, required=False, error_messages={"invalid": "Page must be a whole number."}
    )
    format = forms.CharField(required=False, max_length=32)
    language = forms.CharField(required=False, max_length=32)
    decade = forms.CharField(required=False, max_length=32)
    library = forms.CharField(required=False, max_length=64)
    available = forms.BooleanField(required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update(
            {"type": "search", "autocomplete": "off", "placeholder": "Title, author, subject…"}
        )

    def clean_format(self) -> str:
        value = self.cleaned_data["format"].strip()
        if value and value not in Title.Format.values:
            raise forms.ValidationError(
                f"There is no format “{value}”; choose one from the Format list."
            )
        return value

    def clean_language(self) -> str:
        value = self.cleaned_data["language"].strip().lower()
        if value and not LANGUAGE.match(value):
            raise forms.ValidationError(
                f"“{value}” is not a language code; choose one from the Language list."
            )
        return value

    def clean_decade(self) -> int | None:
        value = self.cleaned_data["decade"].strip()
        if not value:
            return None
        decade = parse_decade(value)
        if decade is None:
            raise forms.ValidationError(
                f"“{value}” is not a decade; give its first year, like 1990, "
                f"between {FIRST_DECADE} and {LAST_DECADE}."
            )
        return decade

    def clean_library(self) -> str:
        value = self.cleaned_data["library"].strip()
        if value and not Library.objects.filter(code=value).exists():
            raise forms.ValidationError(
                f"No member library has the code “{value}”; choose one from the Library list."
            )
        return value

    def filters(self) -> SearchFilters:
        """The facets that were valid; call after is_valid()."""
        data = getattr(self, "cleaned_data", {})
        return SearchFilters(
            format=data.get("format", ""),
            language=data.get("language", ""),
            decade=data.get("decade"),
            library=data.get("library", ""),
            available=bool(data.get("available")),
        )


class ItemForm(forms.ModelForm):
    """The fields a member library's staff keep up to date on their own copies.

    Not the status: a copy is declared lost, damaged, missing, found or withdrawn at the
    desk, with a note and an event (docs/circulation/item-desk.md)."""

    class Meta:
        model = Item
        fields = [
            "call_number",
            "shelf_location",
            "collection",
            "item_type",
            "holdable",
            "holds_exemption",
            "floating",
            "price",
        ]
        help_texts = {
            "holdable": "Patrons anywhere in the group may place holds on this copy.",
            "floating": "The copy stays at whichever branch it is returned to.",
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("holdable"):
            data["holds_exemption"] = None  # a holdable copy is kept from nothing
        return data
