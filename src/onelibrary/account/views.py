"""The patron's own pages under /account/: log in and out, My account, a hold's page, change
PIN, export, and placing a hold from a title page. Every page finds the patron through
`account.session` and every object through `account.access` (scoped to that patron)."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_POST

from onelibrary.account import access, actions, session
from onelibrary.account.access import AccountError
from onelibrary.account.forms import (
    ChangePinForm,
    LoanHistoryForm,
    LoginForm,
    PickupForm,
    StaffPinForm,
    SuspendForm,
)
from onelibrary.catalog.models import Title
from onelibrary.core.refusals import Refusal
from onelibrary.core.requests import AuthenticatedHttpRequest
from onelibrary.holds.actions import Placed
from onelibrary.holds.models import OPEN_STATES, Hold
from onelibrary.holds.queries import queue_position
from onelibrary.patrons.access import PatronError
from onelibrary.patrons.models import Patron

PatronView = Callable[..., HttpResponse]


def login_url(next_url: str) -> str:
    return f"{reverse('account:login')}?{urlencode({'next': next_url})}"


def patron_page(view: PatronView) -> Callable[..., HttpResponse]:
    """The logged-in patron is passed to the view; others are sent to log in and back."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        patron = session.current_patron(request)
        if patron is None:
            back = request.get_full_path() if request.method == "GET" else reverse("account:home")
            return redirect(login_url(back))
        return view(request, patron, *args, **kwargs)

    return wrapped


def safe_next(request: HttpRequest, value: str | None) -> str:
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return reverse("account:home")


# --- logging in and out -------------------------------------------------------------------


def login(request: HttpRequest) -> HttpResponse:
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if session.current_patron(request) is not None and request.method == "GET":
        return redirect(next_url)
    form = LoginForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            patron = actions.log_in(
                form.cleaned_data["card"],
                form.cleaned_data["pin"],
                address=session.client_address(request),
            )
        except AccountError as error:
            form.add_error(error.field if error.code == "invalid_input" else None, error.message)
            status = 429 if error.code == "locked" else 200
        else:
            session.log_in(request, patron)
            return redirect(next_url)
    return render(request, "account/login.html", {"form": form, "next": next_url}, status=status)


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    session.log_out(request)
    messages.success(request, "You are logged out of your account.")
    return redirect("home")


# --- My account ---------------------------------------------------------------------------


def _home_context(patron: Patron) -> dict[str, Any]:
    today = timezone.localdate()
    loans = list(access.my_open_loans(patron))
    return {
        "patron": patron,
        "loans": loans,
        "overdue": {loan.pk for loan in loans if loan.due_date < today},
        "holds": access.my_open_holds(patron),
        "charges": access.my_charges(patron),
        "notices": access.my_notices(patron, limit=20),
        "history": list(access.my_loan_history(patron)[:50]) if patron.keep_loan_history else [],
        "history_form": LoanHistoryForm(initial={"keep": patron.keep_loan_history}),
        "expired": patron.expires_on < today,
        "blocked": bool(patron.block_reason),
        "today": today,
    }


@patron_page
def home(request: HttpRequest, patron: Patron) -> HttpResponse:
    access.record_view(patron, context="My account page")
    return render(request, "account/home.html", _home_context(patron))


def _refusal(request: HttpRequest, error: AccountError | Refusal | PatronError) -> None:
    messages.error(request, error.message)


@require_POST
@patron_page
def renew(request: HttpRequest, patron: Patron, loan_id: int) -> HttpResponse:
    try:
        outcome = actions.renew(patron, loan_id)
    except AccountError as error:
        return _not_yours(request, error)
    except Refusal as error:
        _refusal(request, error)
    else:
        messages.success(request, outcome.message)
    return redirect(reverse("account:home") + "#loans")


@require_POST
@patron_page
def loan_history(request: HttpRequest, patron: Patron) -> HttpResponse:
    form = LoanHistoryForm(request.POST)
    form.is_valid()  # a checkbox: absent means no
    keep = bool(form.cleaned_data.get("keep"))
    unlinked = actions.set_loan_history(patron, keep)
    if keep:
        messages.success(request, "Your loan history is kept from now on.")
    else:
        messages.success(
            request,
            "Your loan history is not kept"
            + (
                f"; {unlinked} returned loan{'s' if unlinked != 1 else ''} forgotten."
                if unlinked
                else "."
            ),
        )
    return redirect(reverse("account:home") + "#settings")


@require_POST
@patron_page
def export(request: HttpRequest, patron: Patron) -> HttpResponse:
    data = actions.export_my_data(patron)
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json"
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="my-library-data-{stamp}.json"'
    return response


@patron_page
def change_pin(request: HttpRequest, patron: Patron) -> HttpResponse:
    form = ChangePinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.change_pin(
                patron,
                form.cleaned_data["old_pin"],
                form.cleaned_data["new_pin"],
                form.cleaned_data["again"],
                address=session.client_address(request),
            )
        except AccountError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            session.refresh(request, patron)
            messages.success(request, "Your PIN is changed. Use the new one from now on.")
            return redirect(reverse("account:home") + "#settings")
    return render(request, "account/change_pin.html", {"patron": patron, "form": form})


# --- holds --------------------------------------------------------------------------------


def _not_yours(request: HttpRequest, error: AccountError) -> HttpResponse:
    """Another patron's loan or hold answers exactly like one that does not exist."""
    return render(request, "account/not_found.html", {"message": error.message}, status=404)


def _hold_page(
    request: HttpRequest,
    patron: Patron,
    hold: Hold,
    *,
    pickup_form: PickupForm | None = None,
    suspend_form: SuspendForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    row = next((r for r in access.my_open_holds(patron) if r["hold"].pk == hold.pk), {})
    return render(
        request,
        "account/hold.html",
        {
            "patron": patron,
            "hold": hold,
            "queue": row.get("queue"),
            "expected": row.get("expected"),
            "pickup_form": pickup_form
            or PickupForm(initial_branch=hold.pickup_branch, auto_id="pickup_%s"),
            "suspend_form": suspend_form or SuspendForm(auto_id="suspend_%s"),
            "error": error,
            "today": timezone.localdate(),
            "can_suspend": hold.state in (Hold.State.WAITING, Hold.State.ROUTED),
            "can_move": hold.state
            in (Hold.State.WAITING, Hold.State.ROUTED, Hold.State.IN_TRANSIT),
        },
        status=status,
    )


@patron_page
def hold_detail(request: HttpRequest, patron: Patron, hold_id: int) -> HttpResponse:
    try:
        hold = access.my_hold(patron, hold_id)
    except AccountError as error:
        return _not_yours(request, error)
    return _hold_page(request, patron, hold)


@require_POST
@patron_page
def hold_cancel(request: HttpRequest, patron: Patron, hold_id: int) -> HttpResponse:
    try:
        message = actions.cancel_hold(patron, hold_id)
    except AccountError as error:
        return _not_yours(request, error)
    except Refusal as error:
        _refusal(request, error)
        return redirect("account:hold", hold_id=hold_id)
    messages.success(request, message)
    return redirect(reverse("account:home") + "#holds")


@require_POST
@patron_page
def hold_suspend(request: HttpRequest, patron: Patron, hold_id: int) -> HttpResponse:
    try:
        hold = access.my_hold(patron, hold_id)
    except AccountError as error:
        return _not_yours(request, error)
    form = SuspendForm(request.POST, auto_id="suspend_%s")
    if not form.is_valid():
        return _hold_page(request, patron, hold, suspend_form=form, status=422)
    try:
        message = actions.suspend_hold(patron, hold_id, form.cleaned_data["until"])
    except Refusal as error:
        form.add_error("until", error.message)
        return _hold_page(request, patron, hold, suspend_form=form, status=409)
    messages.success(request, message)
    return redirect("account:hold", hold_id=hold_id)


@require_POST
@patron_page
def hold_resume(request: HttpRequest, patron: Patron, hold_id: int) -> HttpResponse:
    try:
        message = actions.resume_hold(patron, hold_id)
    except AccountError as error:
        return _not_yours(request, error)
    except Refusal as error:
        _refusal(request, error)
    else:
        messages.success(request, message)
    return redirect("account:hold", hold_id=hold_id)


@require_POST
@patron_page
def hold_pickup(request: HttpRequest, patron: Patron, hold_id: int) -> HttpResponse:
    try:
        hold = access.my_hold(patron, hold_id)
    except AccountError as error:
        return _not_yours(request, error)
    form = PickupForm(request.POST, auto_id="pickup_%s")
    if not form.is_valid():
        return _hold_page(request, patron, hold, pickup_form=form, status=422)
    try:
        message = actions.change_pickup(patron, hold_id, form.cleaned_data["pickup"].code)
    except (AccountError, Refusal) as error:
        form.add_error("pickup", error.message)
        return _hold_page(request, patron, hold, pickup_form=form, status=409)
    messages.success(request, message)
    return redirect("account:hold", hold_id=hold_id)


# --- placing a hold from the title page ----------------------------------------------------


def title_context(request: HttpRequest, title: Title) -> dict[str, Any]:
    """What the public title page shows a patron: the place-hold form (or their hold), or
    a link to log in and come back. For catalog.views.title_detail."""
    patron = session.current_patron(request)
    context: dict[str, Any] = {
        "account_patron": patron,
        "account_login_url": login_url(
            reverse("title_detail", args=[title.pk]) + "#place-hold-patron"
        ),
    }
    if patron is not None:
        context["account_hold"] = (
            Hold.objects.filter(patron=patron, title=title, state__in=OPEN_STATES)
            .select_related("pickup_branch")
            .first()
        )
        context["account_hold_form"] = PickupForm(
            initial_branch=access.default_pickup(patron), auto_id="place_%s"
        )
    return context


@patron_page
def place_hold(request: HttpRequest, patron: Patron, title_id: int) -> HttpResponse:
    title = Title.objects.filter(pk=title_id).first()
    if title is None:
        return render(
            request,
            "account/not_found.html",
            {"message": f"There is no title #{title_id}."},
            status=404,
        )
    if request.method != "POST":
        form = PickupForm(initial_branch=access.default_pickup(patron), auto_id="place_%s")
        return render(request, "account/place_hold.html", {"title": title, "form": form})
    form = PickupForm(request.POST, auto_id="place_%s")
    status = 422
    if form.is_valid():
        try:
            placed = actions.place_hold(patron, title.pk, form.cleaned_data["pickup"].code)
        except (AccountError, Refusal) as error:
            form.add_error(None, error.message)
            status = 409
        else:
            messages.success(request, _placed_message(placed))
            return redirect(reverse("account:home") + "#holds")
    return render(request, "account/place_hold.html", {"title": title, "form": form}, status=status)


def _placed_message(placed: Placed) -> str:
    """The patron's confirmation, with when the copy is expected (EXPECT-1 … 6)."""
    hold = placed.hold
    start = f"Your hold on {hold.title.title} is placed, for pickup at {hold.pickup_branch.name}."
    if hold.state == Hold.State.ROUTED:
        start += " A copy is being fetched; we email you when it is ready."
    else:
        start = f"{start} {queue_position(hold).sentence}".strip()
    if placed.expected is None:
        return start
    return f"{start} {placed.expected.words}"


# --- staff: set a patron's PIN ------------------------------------------------------------


@login_required
def staff_pin(request: AuthenticatedHttpRequest) -> HttpResponse:
    # From a patron's record the card comes filled in (?card=...).
    form = StaffPinForm(request.POST or None, initial={"card": request.GET.get("card", "")[:64]})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            patron = actions.set_pin_by_staff(
                request.user, data["card"], data["pin"], data["again"], id_method=data["id_method"]
            )
        except AccountError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        except PatronError as error:
            form.add_error(
                "id_method" if error.code == "id_check_required" else "card", error.message
            )
        else:
            messages.success(
                request,
                f"The PIN of {patron.first_name} {patron.last_name} ({patron.card}) is set.",
            )
            return HttpResponseRedirect(reverse("account:staff_pin"))
    return render(request, "account/staff_pin.html", {"form": form})
