"""Forms of the catalog pages: the search box and the staff item editor."""

from __future__ import annotations

from django import forms

from onelibrary.catalog.actions import CIRCULATION_STATUSES, EDITABLE_STATUSES
from onelibrary.catalog.models import Item

FIELD_CHOICES = [
    ("keyword", "Keyword"),
    ("title", "Title"),
    ("author", "Author"),
    ("subject", "Subject"),
    ("isbn", "ISBN"),
]


class SearchForm(forms.Form):
    q = forms.CharField(label="Search the catalog", required=False, max_length=500)
    field = forms.ChoiceField(label="Search in", choices=FIELD_CHOICES, required=False)
    page = forms.IntegerField(min_value=1, max_value=10_000, required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update(
            {"type": "search", "autocomplete": "off", "placeholder": "Title, author, subject…"}
        )


class ItemForm(forms.ModelForm):
    """The fields a member library's staff keep up to date on their own copies."""

    class Meta:
        model = Item
        fields = [
            "call_number",
            "shelf_location",
            "collection",
            "item_type",
            "status",
            "holdable",
            "floating",
            "price",
        ]
        help_texts = {
            "holdable": "Patrons anywhere in the group may place holds on this copy.",
            "floating": "The copy stays at whichever branch it is returned to.",
        }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        status = self.fields.get("status")
        if status is None:  # the admin's read-only view has no fields to limit
            return
        if self.instance.status in CIRCULATION_STATUSES:
            # The desk owns this status until the loan, transit or hold is over.
            status.disabled = True
            status.help_text = "Set by circulation; it changes at checkin or checkout."
        else:
            status.choices = [(s.value, s.label) for s in EDITABLE_STATUSES]
