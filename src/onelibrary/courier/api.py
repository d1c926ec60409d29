"""Courier routes over the JSON API: the routes, one route with its stops, and the
expected courier days between two branches (docs/api.md, docs/courier.md). Read-only:
routes are edited in the staff pages and the admin. Refusals use apiauth's one error body:
404 no branch or route by that code, 422 a malformed date or code."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Field, Path, Query, Router, Schema

from onelibrary.apiauth import BARCODE_PATTERN, ERROR_RESPONSES, ApiError, StaffApiRequest
from onelibrary.courier import days
from onelibrary.courier.lookup import BadDate, UnknownBranch, find_branch, parse_day
from onelibrary.courier.models import Route, Stop, weekday_names

router = Router(tags=["courier"])

Code = Annotated[str, Path(max_length=32, pattern=BARCODE_PATTERN)]


class StopOut(Schema):
    position: int
    branch: str = Field(description="Branch code.")
    branch_name: str
    days: str = Field(description="Seven digits, Monday first: 1 when the van calls.")
    weekdays: list[str]


class RouteOut(Schema):
    code: str
    name: str
    days: str = Field(description="The weekdays the van runs, Monday first.")
    weekdays: list[str]
    hubs: list[str] = Field(description="Codes of the hubs where this van meets others.")
    is_active: bool
    stop_count: int


class RouteDetailOut(RouteOut):
    stops: list[StopOut]


class LegOut(Schema):
    kind: str = Field(description="direct, pickup, transfer, trunk or delivery.")
    origin: str = Field(description="A branch code, or 'hub CODE'.")
    destination: str
    route: str = Field(description="The route's code; empty for a transfer at a hub.")
    departs: dt.date
    arrives: dt.date
    description: str


class ExpectedOut(Schema):
    sender: str
    receiver: str
    shipped_on: dt.date
    reachable: bool
    days: float | None = Field(
        description="Courier days from shipping to delivery (a learned median may be a half "
        "day); null: no route. The same figure holds routing, transit and floating use."
    )
    arrival: dt.date | None = Field(description="The ship date plus the days rounded up.")
    source: str = Field(
        description="Where the days come from: learned, schedule, matrix, estimate, "
        "same branch or no route (DAYS-1 to DAYS-5 in docs/courier.md)."
    )
    rule: str = Field(description="The rule id of the source: DAYS-1 .. DAYS-5, COURIER-4.")
    scheduled_days: int | None = Field(description="What the route schedule alone says.")
    legs: list[LegOut] = Field(description="The legs of the route schedule's answer.")
    problem: str = Field(description="Why the route schedule has no route, when it has none.")


def route_out(route: Route) -> RouteOut:
    return RouteOut.model_validate(_route_fields(route, _stops(route)))


def route_detail_out(route: Route) -> RouteDetailOut:
    stops = _stops(route)
    return RouteDetailOut.model_validate(
        {
            **_route_fields(route, stops),
            "stops": [
                StopOut(
                    position=s.position,
                    branch=s.branch.code,
                    branch_name=s.branch.name,
                    days=s.days,
                    weekdays=weekday_names(s.days),
                )
                for s in stops
            ],
        }
    )


def _stops(route: Route) -> list[Stop]:
    return list(route.stops.select_related("branch").order_by("position"))


def _route_fields(route: Route, stops: list[Stop]) -> dict[str, object]:
    return {
        "code": route.code,
        "name": route.name,
        "days": route.days,
        "weekdays": weekday_names(route.days),
        "hubs": [hub.code for hub in route.hubs.order_by("code")],
        "is_active": route.is_active,
        "stop_count": len(stops),
    }


@router.get("/routes", response={200: list[RouteOut], **ERROR_RESPONSES}, summary="List routes")
def list_routes(request: StaffApiRequest) -> list[RouteOut]:
    """Every route, active ones first, by code."""
    return [route_out(r) for r in Route.objects.order_by("-is_active", "code")]


@router.get(
    "/routes/{code}",
    response={200: RouteDetailOut, **ERROR_RESPONSES},
    summary="One route with its stops",
)
def get_route(request: StaffApiRequest, code: Code) -> RouteDetailOut:
    route = Route.objects.filter(code=code.strip().upper()).first()
    if route is None:
        raise ApiError(
            404, "unknown_route", f"No route has the code {code.strip()[:40]!r}: list /routes."
        )
    return route_detail_out(route)


@router.get(
    "/expected-days",
    response={200: ExpectedOut, **ERROR_RESPONSES},
    summary="Expected courier days between two branches",
)
def expected_days(
    request: StaffApiRequest,
    from_: Annotated[str, Query(alias="from", max_length=32, pattern=BARCODE_PATTERN)],
    to: Annotated[str, Query(max_length=32, pattern=BARCODE_PATTERN)],
    on: Annotated[
        str, Query(max_length=10, pattern=BARCODE_PATTERN, description="YYYY-MM-DD; today.")
    ] = "",
) -> ExpectedOut:
    """For an item shipped at `from` on `on` (today when left out): the courier days, where
    they come from, the arrival date and the route schedule's legs. No route is an answer
    (reachable false), not an error."""
    try:
        day = parse_day(on)
    except BadDate as error:
        raise ApiError(422, "invalid_date", str(error)) from error
    try:
        sender = find_branch(from_, "sending")
        receiver = find_branch(to, "receiving")
    except UnknownBranch as error:
        raise ApiError(404, "unknown_branch", str(error)) from error
    explained = days.explained(sender.pk, receiver.pk, day)
    found, answer = explained.answer, explained.schedule
    return ExpectedOut(
        sender=sender.code,
        receiver=receiver.code,
        shipped_on=day,
        reachable=found.reachable,
        days=found.days,
        arrival=found.arrival,
        source=found.source.value,
        rule=found.source.rule,
        scheduled_days=answer.days,
        legs=[
            LegOut(
                kind=leg.kind,
                origin=leg.origin,
                destination=leg.destination,
                route=leg.route,
                departs=leg.departs,
                arrives=leg.arrives,
                description=leg.description,
            )
            for leg in answer.legs
        ],
        problem=answer.problem,
    )
