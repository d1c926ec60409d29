"""The member directory: libraries and their branches, public like a library's front door."""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from onelibrary.members.models import WEEKDAYS, Branch, Library

UPCOMING_CLOSED_DATES = 12
# Copies are counted through the branches' and libraries' own relations, so the directory
# needs nothing from the catalog above it; a withdrawn copy is no longer in the collection.
WITHDRAWN = "withdrawn"


def library_list(request: HttpRequest) -> HttpResponse:
    libraries = Library.objects.annotate(
        branch_count=Count("branches", filter=Q(branches__is_active=True))
    ).order_by("name")
    return render(request, "members/library_list.html", {"libraries": libraries})


def library_detail(request: HttpRequest, code: str) -> HttpResponse:
    library = get_object_or_404(Library, code=code)
    branches = library.branches.annotate(
        shelved=Count("home_items", filter=~Q(home_items__status=WITHDRAWN))
    ).order_by("-is_active", "name")
    copies = library.items.exclude(status=WITHDRAWN)
    return render(
        request,
        "members/library_detail.html",
        {"library": library, "branches": branches, "copies_owned": copies.count()},
    )


def branch_detail(request: HttpRequest, code: str) -> HttpResponse:
    branch = get_object_or_404(Branch.objects.select_related("library"), code=code)
    today = timezone.localdate()
    closed = branch.closed_dates.filter(date__gte=today).order_by("date")[:UPCOMING_CLOSED_DATES]

    return render(
        request,
        "members/branch_detail.html",
        {
            "branch": branch,
            "week": [
                (day, flag == "1") for day, flag in zip(WEEKDAYS, branch.open_days, strict=True)
            ],
            "closed_dates": closed,
            "shelved": branch.home_items.exclude(status=WITHDRAWN).count(),
            "here_now": branch.current_items.exclude(status=WITHDRAWN).count(),
        },
    )
