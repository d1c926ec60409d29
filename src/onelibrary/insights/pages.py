"""The insights pages at /insights/: the group dashboard, each member's page, downloads
of any table as CSV or XLSX. The board page is in board.py, costs in cost_pages.py,
schedules in schedule_pages.py. Who sees what: insights/access.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone

from onelibrary.insights import access, charts, dates, exports, figures, series, tables
from onelibrary.members.access import NotFound

Page = Callable[..., HttpResponse]
LENT_GROUP, LENT_MEMBER = tables.LENT_GROUP, tables.LENT_MEMBER
NOT_YOURS = (
    "The insights are for member staff, directors and boards. Your account has no such role."
)


def signed_in(view: Page) -> Page:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            return view(request, *args, **kwargs)
        except NotFound as error:
            return render(request, "insights/refused.html", {"sentence": error.message}, status=404)

    return wrapper


def refused(request: HttpRequest, sentence: str = NOT_YOURS) -> HttpResponse:
    return render(request, "insights/refused.html", {"sentence": sentence}, status=403)


INSTEAD = " Showing the last 365 days instead."


def period(request: HttpRequest) -> tuple[dt.date, dt.date, str]:
    """The period asked for (?from=YYYY-MM-DD&to=YYYY-MM-DD), else the last 365 days to
    yesterday; and a message saying what was wrong with what was asked, if anything."""
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    default = (yesterday - dt.timedelta(days=364), yesterday)
    raw_from, raw_to = request.GET.get("from", ""), request.GET.get("to", "")
    if not raw_from and not raw_to:
        return *default, ""
    try:
        start, end = dt.date.fromisoformat(raw_from), dt.date.fromisoformat(raw_to)
    except ValueError:
        wrong = f"“{raw_from}” to “{raw_to}” is not a period: write both dates as YYYY-MM-DD."
        return *default, wrong + INSTEAD
    if wrong := dates.out_of_range(start) or dates.out_of_range(end):
        return *default, wrong + INSTEAD
    if end < start:
        return *default, f"{end} is before {start}: give the earlier date first." + INSTEAD
    return start, end, ""


def _query(start: dt.date, end: dt.date) -> str:
    return f"from={start.isoformat()}&to={end.isoformat()}"


# A big group's two slowest sections (the pairs of members: 90,000 of them for 300) come
# in their own requests, so the page answers at once and each part in well under 2 s;
# htmx loads them in place, and without JavaScript each is a link to its own page.
LATER = ("matrix", "transit")
LATER_PAST = tables.MATRIX_ON_PAGE  # members


@dataclass(frozen=True)
class Later:
    """A section the page loads after itself (`_later.html`)."""

    slug: str
    title: str
    later: bool = True


def _pairs_section(slug: str, start: dt.date, end: dt.date) -> tuple[tables.Table, str]:
    if slug == "matrix":
        matrix = tables.matrix_table(start, end)
        return tables.for_page(matrix), charts.heat_map(matrix.codes, matrix.cells)
    return tables.for_page(tables.transit_table(start, end)), ""


def _not_the_group(request: HttpRequest) -> HttpResponse:
    """For an account that may not read the group's figures: a director or board account
    goes straight to its library's page; any other is refused."""
    own = access.own_members(request.user)
    if own:
        return redirect("insights:board", code=own[0].code)
    return refused(request)


@signed_in
def section(request: HttpRequest, slug: str) -> HttpResponse:
    """One of a big group's later sections: the fragment for htmx, else a page of its own."""
    if not access.may_see_group(request.user):
        return _not_the_group(request)
    if slug not in LATER:
        raise Http404(f"No section {slug!r}.")
    start, end, problem = period(request)
    table, svg = _pairs_section(slug, start, end)
    context: dict[str, object] = {"table": table, "svg": svg, "query": _query(start, end)}
    if getattr(request, "htmx", False):
        return render(request, "insights/_table.html", context)
    return render(
        request,
        "insights/section.html",
        {**context, "start": start, "end": end, "problem": problem},
    )


@signed_in
def dashboard(request: HttpRequest) -> HttpResponse:
    if not access.may_see_group(request.user):
        return _not_the_group(request)
    start, end, problem = period(request)
    of = figures.members(start, end)
    group = figures.group(start, end, of)
    fills = tables.fill_times_table(start, end)
    trend = tables.trend_table(start, end)

    def pairs(slug: str) -> tuple[tables.Table | Later, str]:
        if len(of) > LATER_PAST:
            return Later(slug, tables.build_title(slug)), ""
        return _pairs_section(slug, start, end)

    sections = [
        (tables.members_table(start, end, of), charts.net_bars([(m.code, m.net) for m in of])),
        pairs("matrix"),
        (fills, charts.fill_distribution(fills.histogram) if fills.rows else ""),
        (trend, charts.trend(series.monthly(start, end), LENT_GROUP) if trend.rows else ""),
        (tables.size_class_table(of), ""),
        pairs("transit"),
        (tables.route_table(start, end), ""),
        (tables.buying_table(start, end, of), ""),
        (tables.picking_table(start, end), ""),
        (tables.top_titles_table(start, end), ""),
    ]
    return render(
        request,
        "insights/dashboard.html",
        {
            "start": start,
            "end": end,
            "problem": problem,
            "query": _query(start, end),
            "group": group,
            "loans": tables.n(group.loans),
            "lent": tables.n(group.lent),
            "gini_takeaway": tables.gini_takeaway(group),
            "sections": sections,
            "own": access.own_members(request.user),
        },
    )


@signed_in
def member_page(request: HttpRequest, code: str) -> HttpResponse:
    library = access.access_member(request.user, code)
    start, end, problem = period(request)
    of = figures.members(start, end)
    me = next(m for m in of if m.code == library.code)
    fills = tables.fill_times_table(start, end, library.code)
    trend = tables.trend_table(start, end, library.code)
    months = series.monthly(start, end, library.code)
    return render(
        request,
        "insights/member.html",
        {
            "library": library,
            "me": me,
            "fill_rate": tables.pct(tables.share(me.holds_filled, me.holds_placed)),
            "start": start,
            "end": end,
            "problem": problem,
            "query": _query(start, end),
            "sections": [
                (fills, charts.fill_distribution(fills.histogram) if fills.rows else ""),
                (trend, charts.trend(months, LENT_MEMBER) if months else ""),
            ],
            "sees_group": access.may_see_group(request.user),
        },
    )


MEMBER_TABLES: dict[str, Callable[[dt.date, dt.date, str], tables.Table]] = {
    "fill-times": tables.fill_times_table,
    "trend": tables.trend_table,
}


@signed_in
def download(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """Any table as CSV or XLSX: ?member=CODE for a member's own (fill-times, trend). A
    period it cannot read is refused: a file of another period would pass for the one
    asked (the page's own links always carry a good one)."""
    start, end, problem = period(request)
    if problem:
        return HttpResponseBadRequest(
            problem.removesuffix(INSTEAD) + " Nothing was downloaded.",
            content_type="text/plain; charset=utf-8",
        )
    code = request.GET.get("member", "")
    if code:
        library = access.access_member(request.user, code)
        if slug not in MEMBER_TABLES:
            raise Http404(f"No table {slug!r} for one member.")
        table = MEMBER_TABLES[slug](start, end, library.code)
        name = f"{library.code}-{slug}-{start}-{end}"
    else:
        if not access.may_see_group(request.user):
            return refused(request)
        if slug not in tables.GROUP_TABLES:
            raise Http404(f"No table {slug!r}.")
        table = tables.build(slug, start, end)
        name = f"{slug}-{start}-{end}"
    if fmt == "csv":
        body, kind = exports.to_csv(table), "text/csv; charset=utf-8"
    else:
        body, kind = exports.to_xlsx(table), exports.XLSX
    response = HttpResponse(body, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
