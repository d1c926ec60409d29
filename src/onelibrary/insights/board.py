""" "What the group gives us": one page per member for its director and board, in plain
words, printable as PDF. Read by the central office, the member's staff, and its
director or board account (a read-only role that sees this and its insights only).

"With the group" and "without" are defined plainly on the page: without the group, the
member's patrons would have had only its own loans; with it, they also had the items
borrowed from other members. The rise is borrowed / own loans.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from weasyprint import HTML

from onelibrary.insights import access, charts, figures, series, tables
from onelibrary.insights.pages import period, signed_in


@dataclass(frozen=True)
class BoardStory:
    """The board page's sentences, each from the figures."""

    name: str
    sentences: list[str]
    rise: float | None  # circulation with the group over without, minus 1


def story(code: str, start: dt.date, end: dt.date) -> BoardStory:
    of = figures.members(start, end)
    me = next(m for m in of if m.code == code)
    n = tables.n
    said = []
    said.append(
        f"Your patrons borrowed {n(me.borrowed)} items from other members "
        f"({n(me.borrowed_by_hold)} through holds, {n(me.borrowed_walkin)} picked up at "
        "another member's desk)."
    )
    said.append(f"Other members' patrons borrowed {n(me.lent)} of your items.")
    rise = None if me.own_loans == 0 else me.borrowed / me.own_loans
    if rise is not None:
        said.append(
            f"Your circulation is {rise:.0%} higher with the group than without: "
            f"{n(me.own_loans + me.borrowed)} loans to your patrons instead of the "
            f"{n(me.own_loans)} from your own shelves."
        )
    elif me.borrowed:
        said.append(f"All {n(me.borrowed)} loans to your patrons came from other members' shelves.")
    if me.net > 0:
        said.append(f"You lent {n(me.net)} more items than you borrowed: a net lender.")
    elif me.net < 0:
        said.append(f"You borrowed {n(-me.net)} more items than you lent: a net borrower.")
    else:
        said.append("You lent exactly as many items as you borrowed.")
    if me.holds_placed:
        said.append(
            f"Your patrons placed {n(me.holds_placed)} holds and picked up {n(me.holds_filled)}."
        )
    if me.fill_days_median is not None:
        said.append(
            f"Half of their holds were waiting for them within {me.fill_days_median:g} days, "
            f"nine in ten within {me.fill_days_p90:g}."
        )
    return BoardStory(me.name, said, rise)


@signed_in
def board_page(request: HttpRequest, code: str) -> HttpResponse:
    return render(request, "insights/board.html", _context(request, code, for_pdf=False))


@signed_in
def board_pdf(request: HttpRequest, code: str) -> HttpResponse:
    html = render_to_string("insights/board_print.html", _context(request, code, for_pdf=True))
    response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{code}-what-the-group-gives-us.pdf"'
    return response


def _context(request: HttpRequest, code: str, *, for_pdf: bool) -> dict[str, object]:
    library = access.access_member(request.user, code)
    start, end, problem = period(request)
    months = series.monthly(start, end, library.code)
    return {
        "library": library,
        "for_pdf": for_pdf,
        "story": story(library.code, start, end),
        "start": start,
        "end": end,
        "problem": problem,
        "query": f"from={start.isoformat()}&to={end.isoformat()}",
        "trend": tables.trend_table(start, end, library.code),
        "trend_svg": charts.trend(months, tables.LENT_MEMBER) if months else "",
        # WeasyPrint draws an SVG image more quietly than inline SVG with style attributes.
        "trend_img": charts.as_data_uri(charts.trend(months, tables.LENT_MEMBER))
        if months and for_pdf
        else "",
    }
