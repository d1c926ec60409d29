"""Staff pages for holds under /holds/: place a hold for a patron, a patron's holds, the
branch's pick list, hold shelf and list to clear, and a hold's routing explanation.

Views are plain functions on the desk's terms (`members.desk.desk_page`: login and a
staff role, and the branch chosen at the desk for the branch pages). They change nothing
themselves: every change goes through `holds.actions`, and a refusal is shown as it is.
A hold named by id is found through `holds.access`: another library's hold is a 404.
The pages that move a copy (cancelling a hold, a copy pulled or not found on the pick
list) are the desk's, `circulation/holds_pages.py`, under the same `holds` namespace.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_POST

from onelibrary.catalog.models import Title
from onelibrary.core.refusals import Refusal
from onelibrary.core.requests import AuthenticatedHttpRequest
from onelibrary.holds import actions, late, queries, shelf
from onelibrary.holds.access import access_hold, hold_patron, hold_patron_names
from onelibrary.holds.forms import (
    FindPatronForm,
    PickupForm,
    PlaceHoldForm,
    PullScanForm,
    SuspendForm,
    open_branches,
)
from onelibrary.holds.models import Hold
from onelibrary.members.access import is_staff_member
from onelibrary.members.desk import desk_page
from onelibrary.members.models import Branch
from onelibrary.patrons.lookup import served_patron
from onelibrary.policy.resolve import NoRuleError

REFUSALS = (Refusal, NoRuleError)


def _staff(request: AuthenticatedHttpRequest) -> User:
    return request.user


def _refused(error: Exception) -> str:
    if isinstance(error, Refusal):
        return error.message
    return f"{error} Ask the central office to fix the group's rules."


# --- the title page's part ---------------------------------------------------------------


def title_page_context(request: HttpRequest, title: Title) -> dict[str, Any]:
    """What the public title page shows about holds; the form only to staff."""
    staff = is_staff_member(request.user)
    return {
        "title_holds": queries.title_holds(title),
        "hold_form": PlaceHoldForm(title=title, auto_id="hold_%s") if staff else None,
    }


# --- index, placing ---------------------------------------------------------------------


@desk_page(needs_branch=False)
def index(request: AuthenticatedHttpRequest, branch: Branch | None) -> HttpResponse:
    form = FindPatronForm(request.GET or None)
    if form.is_valid():
        try:
            patron = served_patron(_staff(request), form.cleaned_data["card"], context="holds")
        except Refusal as error:
            form.add_error("card", error.message)
        else:
            return redirect("holds:patron", card=patron.card)
    return render(request, "holds/index.html", {"branch": branch, "form": form})


@desk_page(needs_branch=False)
def place(request: AuthenticatedHttpRequest, branch: Branch | None, title_id: int) -> HttpResponse:
    title = get_object_or_404(Title, pk=title_id)
    form = PlaceHoldForm(request.POST or None, title=title)
    if request.method == "POST" and form.is_valid():
        try:
            patron = served_patron(_staff(request), form.cleaned_data["card"], context="place hold")
            pickup = form.cleaned_data["pickup"] or patron.preferred_branch or branch
            if pickup is None:
                raise actions.HoldError(
                    "no_pickup",
                    f"{patron.first_name} has no preferred branch: choose a pickup branch.",
                )
            placed = actions.place_hold(
                _staff(request), patron, pickup, title=title, item=form.cleaned_data["item"]
            )
        except REFUSALS as error:
            form.add_error(None, _refused(error))
        else:
            messages.success(request, placed.message)
            return redirect("holds:patron", card=patron.card)
    return render(request, "holds/place.html", {"branch": branch, "title": title, "form": form})


# --- a patron's holds ------------------------------------------------------------------


@desk_page(needs_branch=False)
def patron_holds(
    request: AuthenticatedHttpRequest, branch: Branch | None, card: str
) -> HttpResponse:
    try:
        patron = served_patron(_staff(request), card, context="holds")
    except Refusal as error:
        messages.error(request, error.message)
        return redirect("holds:index")
    show_closed = request.GET.get("closed") == "1"
    return render(
        request,
        "holds/patron.html",
        {
            "branch": branch,
            "patron": patron,
            "rows": queries.patron_holds(patron, include_closed=show_closed),
            "show_closed": show_closed,
            "branches": list(open_branches()),
        },
    )


def _hold(request: AuthenticatedHttpRequest, pk: int, *, for_change: bool = True) -> Hold:
    """The hold, if it is this staff member's business (holds.access); else a 404 page."""
    return access_hold(request.user, pk, for_change=for_change)


def _after_change(request: HttpRequest, hold: Hold, done: str | None) -> HttpResponse:
    if done:
        messages.success(request, done)
    assert hold.patron is not None  # changed: open, so it has its patron
    return redirect("holds:patron", card=hold.patron.card)


@require_POST
@desk_page(needs_branch=False)
def suspend(request: AuthenticatedHttpRequest, branch: Branch | None, pk: int) -> HttpResponse:
    hold = _hold(request, pk)
    form = SuspendForm(request.POST)
    done = None
    if not form.is_valid():
        messages.error(request, "Choose the date until which the hold waits (today or later).")
    else:
        until = form.cleaned_data["until"]
        try:
            actions.suspend_hold(_staff(request), hold, until)
        except REFUSALS as error:
            messages.error(request, _refused(error))
        else:
            done = f"{hold.title.title}: suspended until {until:%a %d %b %Y}."
    return _after_change(request, hold, done)


@require_POST
@desk_page(needs_branch=False)
def resume(request: AuthenticatedHttpRequest, branch: Branch | None, pk: int) -> HttpResponse:
    hold = _hold(request, pk)
    try:
        actions.resume_hold(_staff(request), hold)
    except REFUSALS as error:
        messages.error(request, _refused(error))
        return _after_change(request, hold, None)
    return _after_change(request, hold, f"{hold.title.title}: the hold is active again.")


@require_POST
@desk_page(needs_branch=False)
def change_pickup(
    request: AuthenticatedHttpRequest, branch: Branch | None, pk: int
) -> HttpResponse:
    hold = _hold(request, pk)
    form = PickupForm(request.POST)
    done = None
    if not form.is_valid():
        messages.error(request, "Choose an open branch as the new pickup branch.")
    else:
        try:
            done = actions.change_pickup(_staff(request), hold, form.cleaned_data["pickup"])
        except REFUSALS as error:
            messages.error(request, _refused(error))
    return _after_change(request, hold, done)


@desk_page(needs_branch=False)
def explain(request: AuthenticatedHttpRequest, branch: Branch | None, pk: int) -> HttpResponse:
    hold = _hold(request, pk, for_change=False)
    patron = hold_patron(request.user, hold, context="hold explanation")
    stored = hold.explanation or {}
    now = queries.current_explanation(hold)
    pickup = hold.pickup_branch.code
    return render(
        request,
        "holds/explain.html",
        {
            "branch": branch,
            "hold": hold,
            "patron": patron,
            "stored": stored,
            "stored_at": parse_datetime(str(stored.get("at", ""))),
            "stored_rows": queries.explanation_rows(stored, pickup_code=pickup),
            "now": now,
            "now_rows": queries.explanation_rows(now, pickup_code=pickup) if now else [],
            "queue": queries.queue_position(hold),
        },
    )


# --- the branch's lists ------------------------------------------------------------------


@desk_page()
def pick_list(request: AuthenticatedHttpRequest, branch: Branch) -> HttpResponse:
    rows = [{"hold": h, "overdue": queries.pull_overdue(h)} for h in queries.pick_list(branch)]
    return render(
        request,
        "holds/pick_list.html",
        {"branch": branch, "rows": rows, "form": PullScanForm(), "last": _last_pull(request)},
    )


def _last_pull(request: HttpRequest) -> dict[str, str] | None:
    return request.session.pop("holds_last_pull", None)


def _named(request: AuthenticatedHttpRequest, holds: list[Hold], context: str) -> list[dict]:
    """Each hold with its patron's name, read through the audited patron access."""
    names = hold_patron_names(request.user, holds, context=context)
    return [{"hold": h, "who": names.get(h.patron_id or 0, "—")} for h in holds]


@desk_page()
def hold_shelf(request: AuthenticatedHttpRequest, branch: Branch) -> HttpResponse:
    on_shelf, arriving = queries.hold_shelf(branch), queries.arriving(branch)
    named = _named(request, on_shelf + arriving, "hold shelf")
    return render(
        request,
        "holds/shelf.html",
        {
            "branch": branch,
            "on_shelf": named[: len(on_shelf)],
            "arriving": named[len(on_shelf) :],
            "to_clear": len(queries.to_clear(branch)),
        },
    )


@desk_page()
def clear_list(request: AuthenticatedHttpRequest, branch: Branch) -> HttpResponse:
    rows = queries.to_clear(branch)
    names = hold_patron_names(request.user, [row["hold"] for row in rows], context="to clear")
    for row in rows:
        row["who"] = names.get(row["hold"].patron_id or 0, "—")
    return render(request, "holds/clear.html", {"branch": branch, "rows": rows})


@require_POST
@desk_page()
def clear(request: AuthenticatedHttpRequest, branch: Branch, pk: int) -> HttpResponse:
    hold = _hold(request, pk)
    try:
        shelf.clear_from_shelf(_staff(request), branch, hold)
    except REFUSALS as error:
        messages.error(request, _refused(error))
    else:
        messages.success(request, f"{hold.assigned_item} is off the hold shelf.")
    return redirect(reverse("holds:clear_list"))


@desk_page()
def late_list(request: AuthenticatedHttpRequest, branch: Branch) -> HttpResponse:
    """Holds for pickup here that passed the day the patron was told (holds.late)."""
    return render(request, "holds/late.html", {"branch": branch, "holds": late.late_at(branch)})
