"""Staff pages under /courier/: the routes, one route's schedule and performance, the hubs,
and the expected-days question. Every staff member may look; the central office edits
(through courier.actions; a refusal is shown as it is, with nothing changed)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from onelibrary.courier import actions, days, learned
from onelibrary.courier.forms import HubForm, RouteForm, StopFormSet, stops_from
from onelibrary.courier.lookup import branch_choices, parse_question
from onelibrary.courier.models import Hub, Route
from onelibrary.courier.validation import WEEKDAY_NAMES
from onelibrary.members.access import is_central_office, is_staff_member
from onelibrary.members.models import Branch

View = Callable[..., HttpResponse]


def staff_page(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_staff_member(request.user):
            return refused(
                request, "The courier pages are for library staff. Log in with a staff account."
            )
        return view(request, *args, **kwargs)

    return wrapper


def central_office_page(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_central_office(request.user):
            return refused(
                request,
                "Only the central office changes courier routes and hubs. Ask them to make "
                "the change.",
            )
        return view(request, *args, **kwargs)

    return staff_page(wrapper)


def refused(request: HttpRequest, sentence: str) -> HttpResponse:
    return render(request, "courier/refused.html", {"sentence": sentence}, status=403)


def _context(request: HttpRequest, **more: Any) -> dict[str, Any]:
    return {"can_edit": is_central_office(request.user), **more}


# --- routes ------------------------------------------------------------------------------


@staff_page
def route_list(request: HttpRequest) -> HttpResponse:
    routes = (
        Route.objects.annotate(stop_count=Count("stops", distinct=True))
        .prefetch_related("hubs")
        .order_by("-is_active", "code")
    )
    hubs = Hub.objects.annotate(route_count=Count("routes")).order_by("code")
    unserved = Branch.objects.filter(is_active=True, courier_stops__isnull=True).order_by("code")
    return render(
        request,
        "courier/route_list.html",
        _context(request, routes=routes, hubs=hubs, unserved=unserved),
    )


@staff_page
def route_detail(request: HttpRequest, code: str) -> HttpResponse:
    route = get_object_or_404(Route.objects.prefetch_related("hubs"), code=code.upper())
    stops = list(route.stops.select_related("branch").order_by("position"))
    grid = [
        (stop, [stop.days[i] == "1" and route.days[i] == "1" for i in range(7)]) for stop in stops
    ]
    performance = learned.route_performance(route)
    return render(
        request,
        "courier/route_detail.html",
        _context(
            request,
            route=route,
            grid=grid,
            weekdays=WEEKDAY_NAMES,
            route_runs=[route.days[i] == "1" for i in range(7)],
            performance=performance,
            settings=learned.current_settings(),
            events=route_events(route),
        ),
    )


def route_events(route: Route) -> list:
    from onelibrary.courier.models import CourierEvent

    return list(CourierEvent.objects.filter(subject=route.code).select_related("staff")[:10])


def _route_initial(route: Route) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    data = {
        "code": route.code,
        "name": route.name,
        "days": route.days,
        "hubs": list(route.hubs.all()),
        "is_active": route.is_active,
        "notes": route.notes,
    }
    stops = [
        {"position": s.position, "branch": s.branch.code, "days": s.days}
        for s in route.stops.select_related("branch").order_by("position")
    ]
    return data, stops


@central_office_page
def route_edit(request: HttpRequest, code: str | None = None) -> HttpResponse:
    route = get_object_or_404(Route, code=code.upper()) if code else None
    problems: list[str] = []
    if request.method == "POST":
        form = RouteForm(request.POST)
        formset = StopFormSet(request.POST, prefix="stops")
        if form.is_valid() and formset.is_valid():
            data = form.cleaned_data
            try:
                saved = actions.save_route(
                    request.user,
                    route,
                    code=data["code"],
                    name=data["name"],
                    days=data["days"],
                    hubs=list(data["hubs"]),
                    stops=stops_from(formset),
                    is_active=data["is_active"],
                    notes=data["notes"],
                )
            except actions.CourierError as error:
                problems = error.problems
            else:
                messages.success(request, f"Route {saved.code} saved.")
                return redirect("courier:route", code=saved.code)
    elif route is not None:
        initial, stops = _route_initial(route)
        form = RouteForm(initial=initial)
        formset = StopFormSet(initial=stops, prefix="stops")
    else:
        form = RouteForm(initial={"days": "1111100", "is_active": True})
        formset = StopFormSet(prefix="stops")
    branches = Branch.objects.filter(is_active=True).order_by("code").values_list("code", "name")
    return render(
        request,
        "courier/route_edit.html",
        _context(
            request,
            route=route,
            form=form,
            formset=formset,
            problems=problems,
            branches=branches,
        ),
    )


@central_office_page
@require_POST
def route_delete(request: HttpRequest, code: str) -> HttpResponse:
    route = get_object_or_404(Route, code=code.upper())
    try:
        actions.delete_route(request.user, route)
    except actions.CourierError as error:
        messages.error(request, error.message)
        return redirect("courier:route", code=route.code)
    messages.success(request, f"Route {code.upper()} removed.")
    return redirect("courier:routes")


# --- hubs --------------------------------------------------------------------------------


@central_office_page
def hub_edit(request: HttpRequest, code: str | None = None) -> HttpResponse:
    hub = get_object_or_404(Hub, code=code.upper()) if code else None
    problems: list[str] = []
    if request.method == "POST":
        form = HubForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                actions.save_hub(
                    request.user,
                    hub,
                    code=data["code"],
                    name=data["name"],
                    transfer_days=data["transfer_days"],
                    notes=data["notes"],
                )
            except actions.CourierError as error:
                problems = error.problems
            else:
                messages.success(request, f"Hub {data['code'].strip().upper()} saved.")
                return redirect("courier:routes")
    elif hub is not None:
        form = HubForm(
            initial={
                "code": hub.code,
                "name": hub.name,
                "transfer_days": hub.transfer_days,
                "notes": hub.notes,
            }
        )
    else:
        form = HubForm()
    return render(
        request, "courier/hub_edit.html", _context(request, hub=hub, form=form, problems=problems)
    )


@central_office_page
@require_POST
def hub_delete(request: HttpRequest, code: str) -> HttpResponse:
    hub = get_object_or_404(Hub, code=code.upper())
    try:
        actions.delete_hub(request.user, hub)
    except actions.CourierError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Hub {hub.code} removed.")
    return redirect("courier:routes")


# --- expected days -------------------------------------------------------------------------


@staff_page
def expected_days(request: HttpRequest) -> HttpResponse:
    """?from=CODE&to=CODE&on=YYYY-MM-DD: the answer and its legs."""
    asked = {k: request.GET.get(k, "").strip()[:100] for k in ("from", "to", "on")}
    context: dict[str, Any] = {
        "asked": asked,
        "answer": None,
        "problem": "",
        "branches": branch_choices(),
    }
    if any(asked.values()):
        try:
            sender, receiver, on = parse_question(asked["from"], asked["to"], asked["on"])
        except ValueError as error:
            context["problem"] = str(error)
        else:
            context.update(
                sender=sender, receiver=receiver, answer=days.explained(sender.pk, receiver.pk, on)
            )
    return render(request, "courier/expected.html", _context(request, **context))
