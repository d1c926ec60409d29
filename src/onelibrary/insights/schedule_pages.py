"""The scheduled-reports page (the schedules with their last run and result, and a form
to add one) and its short help page for library staff."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.models import User
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from onelibrary.insights import access, schedules, tables
from onelibrary.insights.models import ReportSchedule
from onelibrary.insights.pages import refused, signed_in
from onelibrary.members.access import insights_library_ids

REPORTS = [(slug, tables.build_title(slug)) for slug in tables.GROUP_TABLES]


class ScheduleForm(forms.ModelForm):
    report = forms.ChoiceField(label="Report")
    recipients = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple, label="Send to"
    )

    class Meta:
        model = ReportSchedule
        fields = ["name", "report", "period", "every", "recipients"]

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        report = self.fields["report"]
        assert isinstance(report, forms.ChoiceField)
        report.choices = REPORTS
        # Staff of the same member (all staff, for the central office), with an email.
        allowed = insights_library_ids(user)
        staff = User.objects.filter(staff_roles__isnull=False).exclude(email="")
        if allowed is not None:
            staff = staff.filter(Q(staff_roles__library__in=allowed) | Q(pk=user.pk))
        recipients = self.fields["recipients"]
        assert isinstance(recipients, forms.ModelMultipleChoiceField)
        recipients.queryset = staff.distinct().order_by("username")


@signed_in
def schedules_page(request: HttpRequest) -> HttpResponse:
    if not access.may_see_group(request.user):
        return refused(request)
    user = request.user
    assert isinstance(user, User)
    form = ScheduleForm(request.POST or None, user=user)
    if request.method == "POST":
        if form.is_valid():
            schedule = form.save(commit=False)
            schedule.created_by = user
            schedule.next_run_at = schedules.next_after(timezone.now(), schedule.every)
            schedule.save()
            form.save_m2m()
            messages.success(
                request,
                f"“{schedule.name}” will first be sent on "
                f"{timezone.localtime(schedule.next_run_at):%A %d %B at %H:%M}.",
            )
            return redirect("insights:schedules")
        messages.error(request, "The schedule was not saved: see the notes by the fields.")
    found = ReportSchedule.objects.prefetch_related("recipients")
    if not access.may_set_costs(user):  # the central office sees every schedule
        found = found.filter(Q(created_by=user) | Q(recipients=user)).distinct()
    return render(
        request,
        "insights/schedules.html",
        {"schedules": found, "form": form},
    )


@signed_in
def schedules_help(request: HttpRequest) -> HttpResponse:
    return render(request, "insights/schedules_help.html", {})
