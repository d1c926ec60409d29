"""The only code that changes courier routes, hubs and the trips learned from. Each route
or hub action checks who is asking (the central office edits; every staff member may
look), validates with `courier.validation`, writes in one transaction and records a
`CourierEvent`. A refusal raises `CourierError` with every problem and changes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.utils import timezone

from onelibrary.courier import service
from onelibrary.courier.models import (
    MAX_TRANSFER_DAYS,
    CourierEvent,
    CourierTrip,
    Hub,
    Route,
    Stop,
)
from onelibrary.courier.validation import StopDraft, hub_problems, route_problems
from onelibrary.members.access import is_central_office
from onelibrary.members.models import Branch


class CourierError(Exception):
    def __init__(self, code: str, message: str, problems: Sequence[str] = ()):
        super().__init__(message)
        self.code = code
        self.message = message
        self.problems = list(problems) or [message]


@dataclass(frozen=True)
class StopInput:
    branch_code: str
    days: str  # seven digits, Monday first


def _may_edit(staff: User | AnonymousUser) -> None:
    if not is_central_office(staff):
        raise CourierError(
            "not_central_office",
            "Only the central office changes courier routes and hubs. Ask them to make the change.",
        )


def _actor(staff: User | AnonymousUser) -> User | None:
    return staff if isinstance(staff, User) else None


def stop_drafts(stops: Sequence[StopInput]) -> tuple[list[StopDraft], dict[str, Branch]]:
    codes = {s.branch_code.strip().upper() for s in stops}
    branches = {b.code: b for b in Branch.objects.filter(code__in=codes)}
    drafts = []
    for stop in stops:
        code = stop.branch_code.strip().upper()
        branch = branches.get(code)
        drafts.append(
            StopDraft(
                branch_code=code,
                days=stop.days,
                known=branch is not None,
                open_for_good=branch is None or branch.is_active,
            )
        )
    return drafts, branches


def save_route(
    staff: User | AnonymousUser,
    route: Route | None,
    *,
    code: str,
    name: str,
    days: str,
    hubs: Sequence[Hub],
    stops: Sequence[StopInput],
    is_active: bool = True,
    notes: str = "",
) -> Route:
    """Add a route (route=None, or an unsaved Route) or replace an existing one's fields,
    hubs and stops, in the order given (positions 1, 2, 3 …)."""
    _may_edit(staff)
    code = code.strip().upper()
    drafts, branches = stop_drafts(stops)
    problems = route_problems(
        code=code, name=name, days=days, stops=drafts, hub_count=len(set(hubs))
    )
    route = route if route is not None else Route()
    taken = Route.objects.filter(code=code)
    if route.pk:
        taken = taken.exclude(pk=route.pk)
    if taken.exists():
        problems.insert(0, f"Another route already has the code {code}: choose another code.")
    if problems:
        raise CourierError("invalid_route", problems[0], problems)
    adding = route.pk is None
    before = None if adding else describe_route(Route.objects.get(pk=route.pk))
    with transaction.atomic():
        route.code, route.name, route.days = code, name.strip(), days
        route.is_active, route.notes = is_active, notes.strip()
        route.save()
        route.hubs.set(hubs)
        route.stops.all().delete()
        Stop.objects.bulk_create(
            Stop(route=route, branch=branches[d.branch_code], position=n, days=d.days)
            for n, d in enumerate(drafts, start=1)
        )
        after = describe_route(route)
        CourierEvent.objects.create(
            staff=_actor(staff),
            kind=CourierEvent.Kind.ROUTE_ADDED if adding else CourierEvent.Kind.ROUTE_CHANGED,
            subject=code,
            detail={"before": before, "after": after},
        )
    return route


def delete_route(staff: User | AnonymousUser, route: Route) -> None:
    _may_edit(staff)
    with transaction.atomic():
        before = describe_route(route)
        code = route.code
        route.delete()
        CourierEvent.objects.create(
            staff=_actor(staff),
            kind=CourierEvent.Kind.ROUTE_REMOVED,
            subject=code,
            detail={"before": before},
        )


def save_hub(
    staff: User | AnonymousUser,
    hub: Hub | None,
    *,
    code: str,
    name: str,
    transfer_days: int | None,
    notes: str = "",
) -> Hub:
    _may_edit(staff)
    code = code.strip().upper()
    problems = hub_problems(
        code=code, name=name, transfer_days=transfer_days, max_days=MAX_TRANSFER_DAYS
    )
    hub = hub if hub is not None else Hub()
    taken = Hub.objects.filter(code=code)
    if hub.pk:
        taken = taken.exclude(pk=hub.pk)
    if taken.exists():
        problems.insert(0, f"Another hub already has the code {code}: choose another code.")
    if problems:
        raise CourierError("invalid_hub", problems[0], problems)
    assert transfer_days is not None  # hub_problems names a missing one
    adding = hub.pk is None
    before = None if adding else _hub_detail(Hub.objects.get(pk=hub.pk))
    with transaction.atomic():
        hub.code, hub.name, hub.transfer_days, hub.notes = (
            code,
            name.strip(),
            transfer_days,
            notes.strip(),
        )
        hub.save()
        CourierEvent.objects.create(
            staff=_actor(staff),
            kind=CourierEvent.Kind.HUB_ADDED if adding else CourierEvent.Kind.HUB_CHANGED,
            subject=code,
            detail={"before": before, "after": _hub_detail(hub)},
        )
    return hub


def delete_hub(staff: User | AnonymousUser, hub: Hub) -> None:
    _may_edit(staff)
    using = list(hub.routes.order_by("code").values_list("code", flat=True))
    if using:
        raise CourierError(
            "hub_in_use",
            f"Routes {', '.join(using)} meet at hub {hub.code}: take the hub off those routes "
            "first.",
        )
    with transaction.atomic():
        before = _hub_detail(hub)
        hub.delete()
        CourierEvent.objects.create(
            staff=_actor(staff),
            kind=CourierEvent.Kind.HUB_REMOVED,
            subject=before["code"],
            detail={"before": before},
        )


def describe_route(route: Route) -> dict:
    return {
        "code": route.code,
        "name": route.name,
        "days": route.days,
        "is_active": route.is_active,
        "hubs": sorted(route.hubs.values_list("code", flat=True)),
        "stops": [
            [code, days]
            for code, days in route.stops.order_by("position").values_list("branch__code", "days")
        ],
    }


def _hub_detail(hub: Hub) -> dict:
    return {"code": hub.code, "name": hub.name, "transfer_days": hub.transfer_days}


def record_trip(
    sender_id: int, receiver_id: int, *, shipped_at: dt.datetime, received_at: dt.datetime
) -> CourierTrip | None:
    """Keep one trip for the learned times (DAYS-1): the transit app calls this when it
    receives a shipped item at its receiver, inside its own transaction.

    Days are counted between local dates. The scheduled days are the route schedule's for
    the ship date, asked now: not the transit's expected date, which may itself have come
    from the learned times and would then hide a schedule that is wrong. None (nothing
    kept) for an item received where it was sent."""
    if sender_id == receiver_id:
        return None
    shipped_on = timezone.localtime(shipped_at).date()
    received_on = timezone.localtime(received_at).date()
    return CourierTrip.objects.create(
        sender_id=sender_id,
        receiver_id=receiver_id,
        shipped_on=shipped_on,
        received_on=received_on,
        days=max(0, (received_on - shipped_on).days),
        scheduled_days=service.scheduled_days(sender_id, receiver_id, shipped_on),
    )
