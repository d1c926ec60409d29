"""The outreach forms. They read what was typed; the actions decide (a name, a number,
a date not past) so each refusal and its decision id live in one place."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet

from onelibrary.members.models import Library
from onelibrary.outreach.models import Interaction, NeedsAssessment, PartnerKind

TEXT = {"rows": 3}


class DateInput(forms.DateInput):
    input_type = "date"


class PartnerForm(forms.Form):
    name = forms.CharField(max_length=200, required=False, label="Organisation's name")
    kind = forms.ModelChoiceField(
        PartnerKind.objects.all(),
        label="Kind of partner",
        help_text="From the Compatible Library Partners Chart.",
        empty_label=None,
    )
    libraries = forms.ModelMultipleChoiceField(
        Library.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Member libraries involved",
    )
    website = forms.URLField(required=False, assume_scheme="https")
    about = forms.CharField(required=False, widget=forms.Textarea(TEXT), label="About them")
    partner_offers = forms.CharField(
        required=False, widget=forms.Textarea(TEXT), label="What they offer"
    )
    partner_needs = forms.CharField(
        required=False, widget=forms.Textarea(TEXT), label="What they need"
    )
    library_offers = forms.CharField(
        required=False,
        widget=forms.Textarea(TEXT),
        label="What the library offers",
        help_text="Space, publicity, research help, staff time, a trusted name…",
    )
    library_needs = forms.CharField(
        required=False, widget=forms.Textarea(TEXT), label="What the library needs"
    )

    def __init__(self, *args: object, libraries: QuerySet[Library], **kwargs: object):
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["libraries"].queryset = libraries  # type: ignore[attr-defined]


class ContactForm(forms.Form):
    name = forms.CharField(max_length=200, required=False)
    role = forms.CharField(max_length=200, required=False, label="Role or title")
    email = forms.EmailField(required=False)
    phone = forms.CharField(max_length=40, required=False)


class InteractionForm(forms.Form):
    kind = forms.ChoiceField(choices=Interaction.Kind.choices, label="What kind")
    on = forms.DateField(widget=DateInput, label="Date")
    notes = forms.CharField(
        required=False,
        widget=forms.Textarea(TEXT),
        help_text="Who was there, what was discussed, what was agreed, what happens next.",
    )


class AssessmentForm(forms.ModelForm):
    class Meta:
        model = NeedsAssessment
        fields = [
            "community_needs",
            "strengths",
            "weaknesses",
            "opportunities",
            "threats",
            "chances",
            "chances_note",
        ]
        widgets = {
            name: forms.Textarea(TEXT)
            for name in (
                "community_needs",
                "strengths",
                "weaknesses",
                "opportunities",
                "threats",
                "chances_note",
            )
        }
        labels = {
            "community_needs": "Community needs this would answer",
            "strengths": "Strengths (the library's)",
            "weaknesses": "Weaknesses (the library's)",
            "opportunities": "Opportunities (in the community)",
            "threats": "Threats (in the community)",
            "chances": "Chances of success",
            "chances_note": "Why you judge the chances so",
        }


class ProjectForm(forms.Form):
    name = forms.CharField(max_length=200, required=False)
    description = forms.CharField(required=False, widget=forms.Textarea(TEXT))
    starts_on = forms.DateField(required=False, widget=DateInput, label="Starts")
    ends_on = forms.DateField(required=False, widget=DateInput, label="Ends")


class IndicatorForm(forms.Form):
    name = forms.CharField(
        max_length=200, required=False, help_text="What is counted, such as “people attending”."
    )
    unit = forms.CharField(max_length=60, required=False, help_text="Such as people, %, hours.")
    target = forms.CharField(max_length=30, required=False, help_text="A number, such as 40.")
    higher_is_better = forms.ChoiceField(
        choices=[("yes", "Reaching or passing the target"), ("no", "Staying at or under it")],
        label="Met when",
    )


class ValueForm(forms.Form):
    on = forms.DateField(widget=DateInput, label="Date measured")
    value = forms.CharField(max_length=30, required=False, help_text="A number, such as 12.")
    note = forms.CharField(max_length=300, required=False)


class MemorandumForm(forms.Form):
    title = forms.CharField(
        max_length=200,
        required=False,
        initial="Memorandum of understanding",
        help_text="Not “partnership agreement” or “joint venture”: those suggest a legal "
        "arrangement.",
    )


class SectionForm(forms.Form):
    text = forms.CharField(required=False, max_length=20000, widget=forms.Textarea({"rows": 12}))


class SignOffForm(forms.Form):
    note = forms.CharField(max_length=300, required=False, label="Note for this version")


class SignForm(forms.Form):
    library_signer = forms.CharField(
        max_length=200, required=False, label="Signed for the library by"
    )
    library_position = forms.CharField(max_length=200, required=False, label="Their position")
    library_signed_on = forms.DateField(required=False, widget=DateInput, label="On")
    partner_signer = forms.CharField(
        max_length=200, required=False, label="Signed for the partner by"
    )
    partner_position = forms.CharField(max_length=200, required=False, label="Their position")
    partner_signed_on = forms.DateField(required=False, widget=DateInput, label="On")


class ReviewForm(forms.Form):
    review_on = forms.DateField(widget=DateInput, label="Revisit on")
