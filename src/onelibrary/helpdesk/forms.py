"""The report form, worded to ask for what was seen rather than a conclusion, and the
triage and reply forms. The actions decide; these only carry what was typed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.db.models import QuerySet

from onelibrary.helpdesk.models import Report
from onelibrary.members.access import technical_staff
from onelibrary.members.models import Branch

TEXT = {"rows": 3}


class BranchField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Branch) -> str:
        return f"{obj.name} ({obj.library.name})"


class ReportForm(forms.Form):
    symptom = forms.CharField(
        label="What did you see?",
        required=False,  # the action refuses an empty one (HELP-1), with the reason
        widget=forms.Textarea(attrs={"rows": 4, "autocomplete": "off"}),
        help_text="Describe it as you saw it, not what you think the cause is. For example: "
        "“The check-in page showed a red message: ‘No rule covers this item’” — rather than "
        "“the server is down”. Or: “The slip printer's light blinks orange and nothing "
        "comes out.”",
    )
    doing = forms.CharField(
        label="What were you doing just before?",
        required=False,
        widget=forms.Textarea(attrs=TEXT),
        help_text="For example: “Checking in a crate from Pine Creek; the third item.”",
    )
    message_seen = forms.CharField(
        label="The exact message, if there was one",
        required=False,
        widget=forms.Textarea(attrs=TEXT),
        help_text="Copy it word for word, or attach a screenshot below.",
    )
    screenshot = forms.FileField(
        label="Screenshot (optional)",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
        help_text="A picture of the screen: PNG, JPEG, GIF, WebP or BMP, at most 8 MB.",
    )
    kept_screenshot = forms.CharField(required=False, widget=forms.HiddenInput)
    started = forms.CharField(
        label="When did it start?",
        required=False,
        max_length=200,
        help_text="For example: “Today about 10:40”, “since Monday”, “every morning”.",
    )
    tried = forms.CharField(
        label="What have you tried already?",
        required=False,
        widget=forms.Textarea(attrs=TEXT),
        help_text="Anything counts, even “nothing yet”: it saves trying it twice.",
    )
    device = forms.CharField(
        label="Which computer or device?",
        required=False,
        max_length=200,
        help_text="A name on a label, or where it stands: “Circulation desk PC 2”, "
        "“the scanner at the returns desk”.",
    )
    branch = BranchField(
        label="Branch",
        queryset=Branch.objects.none(),
        empty_label="Choose the branch where it happened",
        error_messages={
            "required": "Choose the branch where it happened.",
            "invalid_choice": "Choose one of your library's branches from the list (HELP-4).",
        },
    )
    affects = forms.ChoiceField(
        label="How many people does it affect?",
        choices=Report.Affects.choices,
        initial=Report.Affects.UNSURE,
        widget=forms.RadioSelect,
    )
    # What OneLibrary knew when the form was opened (HELP-8): shown, editable, never trusted.
    context_page = forms.CharField(label="Page", required=False, max_length=500)
    context_decision = forms.CharField(label="Decision id", required=False, max_length=40)
    context_message = forms.CharField(
        label="Message OneLibrary showed", required=False, widget=forms.Textarea(attrs=TEXT)
    )
    context_at = forms.CharField(label="When", required=False, max_length=100)
    context_scan = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, branches: QuerySet[Branch], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = branches  # type: ignore[attr-defined]


class ReplyForm(forms.Form):
    text = forms.CharField(
        label="Your reply",
        required=False,  # the action refuses an empty one (HELP-7)
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class AssigneeField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.get_username()


class TriageForm(forms.Form):
    category = forms.ChoiceField(label="Category", choices=Report.Category.choices)
    priority = forms.ChoiceField(label="Priority", choices=Report.Priority.choices)
    status = forms.ChoiceField(label="Status", choices=Report.Status.choices)
    assignee = AssigneeField(
        label="Assigned to", queryset=User.objects.none(), required=False, empty_label="Nobody yet"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = [u.pk for u in technical_staff()]
        self.fields["assignee"].queryset = User.objects.filter(pk__in=people).order_by("username")  # type: ignore[attr-defined]
