"""The branch home: where staff land after logging in, and what the header's "Desk" opens.

For the branch the staff member works at (`members.desk.current_branch`; with none chosen
yet, the branch chooser alone) it counts the day's work, each count a link to its list:
holds to pull, items to send (by destination, with a button that opens a crate for one),
crates on their way (and how many are due today) and crates to unpack, copies waiting on
the hold shelf and copies to clear from it, late transits, unprocessed scans; and, for the
central office, the patrons waiting for its review. Each figure is one count (or one
grouped count) query: the page stays cheap however busy the branch
(tests/circulation/test_branch_home.py pins the number). The central office's review
counts are the exception: the home library review reads every active record, as its own
page does.

The circulation app holds it because it is the layer above holds, transit and floating
that may ask each of them (docs/architecture.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from onelibrary.circulation.models import UnprocessedScan
from onelibrary.core.requests import AuthenticatedHttpRequest
from onelibrary.holds import queries as hold_queries
from onelibrary.holds.models import Hold
from onelibrary.members.access import is_central_office
from onelibrary.members.desk import (
    SESSION_BRANCH,
    desk_branches,
    desk_page,
    forbidden,
    leave_branch,
)
from onelibrary.members.desk_forms import BranchChoiceForm
from onelibrary.members.models import Branch
from onelibrary.patrons import actions as patron_actions
from onelibrary.patrons.office_views import untold_duplicates
from onelibrary.transit import late
from onelibrary.transit.models import Crate, Transit

C = Crate.State
T = Transit.State


@dataclass(frozen=True)
class SendTo:
    """One destination with items waiting here, and the open crate for it, if any."""

    receiver_id: int
    code: str
    name: str
    count: int
    open_crate: str  # its label; "" when a crate must be opened


@dataclass(frozen=True)
class Review:
    """Patrons waiting for a review page the staff member may open."""

    count: int
    says: str
    url: str


@dataclass(frozen=True)
class Day:
    pull: int
    send: list[SendTo]
    crates_coming: int
    crates_due: int
    to_unpack: int
    on_shelf: int
    to_clear: int
    late: int
    unprocessed: int

    @property
    def send_total(self) -> int:
        return sum(s.count for s in self.send)


def the_day(branch: Branch) -> Day:
    """The branch's work, counted: one query a figure, two for the to-send groups."""
    today = timezone.localdate()
    waiting = (
        Transit.objects.filter(sender=branch, state__in=(T.WAITING, T.PACKED))
        .values("receiver_id", "receiver__code", "receiver__name")
        .annotate(n=Count("pk"))
        .order_by("receiver__code")
    )
    open_crates = dict(
        Crate.objects.filter(origin=branch, state=C.OPEN, destination__isnull=False)
        .order_by("opened_at", "pk")
        .values_list("destination_id", "label")
    )
    send = [
        SendTo(
            row["receiver_id"],
            row["receiver__code"],
            row["receiver__name"],
            row["n"],
            open_crates.get(row["receiver_id"], ""),
        )
        for row in waiting
    ]
    # A crate due in two days may come early: all shipped here are counted, due ones too.
    coming = Crate.objects.filter(destination=branch, state=C.SHIPPED).aggregate(
        all=Count("pk"), due=Count("pk", filter=Q(expected_on__lte=today))
    )
    return Day(
        pull=hold_queries.pick_list_count(branch),
        send=send,
        crates_coming=coming["all"],
        crates_due=coming["due"],
        to_unpack=Crate.objects.filter(received_branch=branch, state=C.RECEIVED).count(),
        on_shelf=Hold.objects.filter(pickup_branch=branch, state=Hold.State.ON_SHELF).count(),
        to_clear=hold_queries.to_clear_count(branch),
        late=late.late_count(branch, today),
        unprocessed=UnprocessedScan.objects.filter(branch=branch, resolved_at__isnull=True).count(),
    )


def reviews(staff: User) -> list[Review]:
    """The patron reviews the staff member may open, with what waits in each: both are the
    central office's (patrons/office_views.py). Others see none."""
    if not is_central_office(staff):
        return []
    return [
        Review(
            len(patron_actions.home_changes()),
            "whose home library the group's rule would change",
            reverse("patrons:home_review"),
        ),
        Review(
            len(untold_duplicates()),
            "registered that may be a duplicate the desk was not shown",
            reverse("patrons:duplicate_review"),
        ),
    ]


@desk_page(needs_branch=False)
def home(request: AuthenticatedHttpRequest, branch: Branch | None) -> HttpResponse:
    """The branch home, with the branch chooser (posting a choice lands back here, or on
    the page that sent the staff member to choose)."""
    allowed = desk_branches(request.user)
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    if request.method == "POST":
        form = BranchChoiceForm(request.POST, branches=allowed)
        if not form.is_valid():
            return forbidden(
                request,
                "You cannot work at that branch's desk: you do not work for its library. "
                "Choose one of your own library's branches.",
            )
        chosen = form.cleaned_data["branch"]
        if branch is None or chosen.pk != branch.pk:
            leave_branch(request)
        request.session[SESSION_BRANCH] = chosen.pk
        return redirect(next_url or reverse("desk:home"))
    libraries: dict[str, list[Branch]] = {}
    for choice in allowed:
        libraries.setdefault(choice.library.name, []).append(choice)
    return render(
        request,
        "circulation/home.html",
        {
            "branch": branch,
            "day": the_day(branch) if branch is not None else None,
            "reviews": reviews(request.user) if branch is not None else [],
            "libraries": libraries,
            "choosing": branch is None or bool(next_url),
            "next": next_url,
        },
    )
