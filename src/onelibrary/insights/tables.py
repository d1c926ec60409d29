"""Every insights table by name: its columns, its rows and its one-line takeaway,
computed from the data. The pages show them, `charts.py` draws some, `exports.py`
writes any as CSV or XLSX, and a schedule (`schedules.py`) emails one by its name.

A takeaway says what a person should notice, in plain words, from the same rows
("Riverton lent 1,204 more than it borrowed: the group's largest net lender").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from django.template.defaultfilters import pluralize

from onelibrary.insights import figures, series
from onelibrary.insights.measures import percentile
from onelibrary.members.models import Library

Cell = str | int | float | None
LENT_GROUP, LENT_MEMBER = "Lent between members", "Lent to other members"


@dataclass(frozen=True)
class Table:
    slug: str
    title: str
    headers: tuple[str, ...]
    rows: list[tuple[Cell, ...]]
    takeaway: str
    notes: str = ""
    # For a chart, not exported: the matrix's members and cells, the fill histogram.
    codes: list[str] = field(default_factory=list)
    cells: dict[tuple[str, str], int] = field(default_factory=dict)
    histogram: dict[int, int] = field(default_factory=dict)


def n(value: int) -> str:
    return f"{value:,}"


def counted(value: int, thing: str) -> str:
    """ "1 loan", "2 loans", "1,204 loans": a count and its noun, singular for one."""
    return f"{n(value)} {thing}{pluralize(value)}"


def share(part: int, whole: int) -> float | None:
    return None if whole == 0 else round(part / whole, 3)


def pct(value: float | None) -> str:
    """A share as a whole percentage; a share that is not nothing never reads "0%"."""
    if value is None:
        return "—"
    said = f"{value:.0%}"
    return "under 1%" if value > 0 and said == "0%" else said


def _size_label(code: str) -> str:
    return str(Library.SizeClass(code).label) if code in Library.SizeClass.values else code


def members_table(start: dt.date, end: dt.date, of: list[figures.MemberFigures]) -> Table:
    rows: list[tuple[Cell, ...]] = [
        (
            m.code,
            m.name,
            _size_label(m.size_class),
            m.own_loans,
            m.lent,
            m.borrowed,
            m.net,
            m.holds_placed,
            m.holds_filled,
            share(m.holds_filled, m.holds_placed),
            m.fill_days_median,
            m.fill_days_p90,
        )
        for m in of
    ]
    return Table(
        "members",
        "Each member's lending and holds",
        (
            "Code",
            "Member",
            "Size class",
            "Own loans",
            "Lent",
            "Borrowed",
            "Net",
            "Holds placed",
            "Holds filled",
            "Fill rate",
            "Days to shelf (median)",
            "Days to shelf (p90)",
        ),
        rows,
        net_takeaway(of),
        notes="Net = lent to other members' patrons minus borrowed for our own. "
        "Fill rate = holds filled / holds placed in the period.",
    )


def net_takeaway(of: list[figures.MemberFigures]) -> str:
    if not of or all(m.net == 0 for m in of):
        return "Every member lent as much as it borrowed in this period."
    top = max(of, key=lambda m: (m.net, m.code))
    low = min(of, key=lambda m: (m.net, m.code))
    said = f"{top.name} lent {n(top.net)} more than it borrowed: the group's largest net lender"
    if low.net < 0:
        said += f"; {low.name} borrowed {n(-low.net)} more than it lent."
    return said + ("" if said.endswith(".") else ".")


def size_class_table(of: list[figures.MemberFigures]) -> Table:
    classes: dict[str, list[figures.MemberFigures]] = {}
    for m in of:
        classes.setdefault(m.size_class, []).append(m)
    order = [c for c in Library.SizeClass.values if c in classes] + sorted(
        c for c in classes if c not in Library.SizeClass.values
    )
    rows: list[tuple[Cell, ...]] = []
    for c in order:
        ms = classes[c]
        lent, borrowed = sum(m.lent for m in ms), sum(m.borrowed for m in ms)
        placed, filled = sum(m.holds_placed for m in ms), sum(m.holds_filled for m in ms)
        rows.append(
            (
                _size_label(c),
                len(ms),
                sum(m.own_loans for m in ms),
                lent,
                borrowed,
                lent - borrowed,
                placed,
                filled,
                share(filled, placed),
            )
        )
    lenders = [r for r in rows if isinstance(r[5], int) and r[5] > 0]
    if lenders:
        top = max(lenders, key=lambda r: int(r[5] or 0))
        takeaway = f"{top[0]} members together lent {n(int(top[5] or 0))} more than they borrowed."
    else:
        takeaway = "No size class lent more than it borrowed in this period."
    return Table(
        "size-classes",
        "By size class",
        (
            "Size class",
            "Members",
            "Own loans",
            "Lent",
            "Borrowed",
            "Net",
            "Holds placed",
            "Holds filled",
            "Fill rate",
        ),
        rows,
        takeaway,
    )


def matrix_table(start: dt.date, end: dt.date) -> Table:
    cells = figures.matrix(start, end)
    codes = sorted(Library.objects.values_list("code", flat=True))
    rows: list[tuple[Cell, ...]] = [
        (owner, *(cells.get((owner, b), 0) for b in codes)) for owner in codes
    ]
    if cells:
        (owner, borrower), most = max(cells.items(), key=lambda kv: (kv[1], kv[0]))
        total = sum(cells.values())
        takeaway = (
            f"The largest flow: {owner} lent {counted(most, 'item')} to {borrower}'s patrons, "
            f"{pct(most / total)} of all lending between members."
        )
    else:
        takeaway = "No member lent to another in this period."
    return Table(
        "matrix",
        "Who lends to whom",
        ("Lender \\ borrower", *codes),
        rows,
        takeaway,
        notes="A row is what that member lent to each other member's patrons; "
        "a column is what that member's patrons borrowed.",
        codes=codes,
        cells=cells,
    )


def transit_table(start: dt.date, end: dt.date) -> Table:
    pairs = figures.transit_days(start, end)
    rows: list[tuple[Cell, ...]] = [
        (p.sender, p.receiver, p.copies, p.days_median, p.days_p90) for p in pairs
    ]
    timed = [p for p in pairs if p.days_median is not None]
    if timed:
        slow = max(timed, key=lambda p: (p.days_median or 0, p.copies))
        takeaway = (
            f"Copies from {slow.sender} to {slow.receiver} take longest: "
            f"{slow.days_median:g} days half the time."
        )
    else:
        takeaway = "No copy arrived from another member in this period."
    return Table(
        "transit",
        "Days in transit between members",
        ("From", "To", "Copies", "Days (median)", "Days (p90)"),
        rows,
        takeaway,
    )


def route_table(start: dt.date, end: dt.date) -> Table:
    routes = series.transit_by_route(start, end)
    rows: list[tuple[Cell, ...]] = [
        (r.route, r.name, r.copies, r.days_median, r.days_p90) for r in routes
    ]
    timed = [r for r in routes if r.days_p90 is not None]
    if timed:
        slow = max(timed, key=lambda r: (r.days_p90 or 0, r.copies))
        takeaway = (
            f"Copies picked up by the {slow.name} route take longest: one in ten more than "
            f"{slow.days_p90:g} days."
        )
    else:
        takeaway = "No copy picked up by a courier route arrived in this period."
    return Table(
        "routes",
        "Days in transit by courier route",
        ("Route", "Name", "Copies", "Days (median)", "Days (p90)"),
        rows,
        takeaway,
        notes="A copy counts for the route that stops at the branch that sent it.",
    )


def fill_times_table(start: dt.date, end: dt.date, code: str | None = None) -> Table:
    hist = series.fill_histogram(start, end, code)
    rows: list[tuple[Cell, ...]] = [(days, hist[days]) for days in sorted(hist)]
    median, p90 = series_percentiles(hist)
    if median is None:
        takeaway = "No hold was filled in this period."
    else:
        takeaway = (
            f"Half the holds reached the hold shelf within {median:g} days; "
            f"nine in ten within {p90:g}."
        )
    return Table(
        "fill-times",
        "Days from placing a hold to the hold shelf",
        ("Days", "Holds filled"),
        rows,
        takeaway,
        histogram=dict(hist),
    )


def series_percentiles(hist: dict[int, int]) -> tuple[float | None, float | None]:
    return percentile(hist, 0.5), percentile(hist, 0.9)


def buying_table(start: dt.date, end: dt.date, of: list[figures.MemberFigures]) -> Table:
    added = series.copies_added(start, end)
    rows: list[tuple[Cell, ...]] = [
        (
            m.code,
            m.name,
            added[m.code],
            m.holds_placed,
            None if added[m.code] == 0 else round(m.holds_placed / added[m.code], 2),
        )
        for m in of
    ]
    rated = [(m, m.holds_placed / added[m.code]) for m in of if added[m.code]]
    if rated:
        m, most = max(rated, key=lambda mr: (mr[1], mr[0].code))
        takeaway = (
            f"{m.name}'s patrons placed {most:.1f} holds for every copy it added: "
            "the most demand per copy bought."
        )
    else:
        takeaway = "No member recorded a new copy in this period."
    return Table(
        "buying",
        "Buying against demand",
        ("Code", "Member", "Copies added", "Holds placed by its patrons", "Holds per copy added"),
        rows,
        takeaway,
    )


def picking_table(start: dt.date, end: dt.date) -> Table:
    found = series.pick_list_compliance(start, end)
    rows: list[tuple[Cell, ...]] = [
        (code, p.asked, p.pulled, None if p.share is None else round(p.share, 3))
        for code, p in found.items()
    ]
    if found:
        low = min(found.items(), key=lambda kv: (kv[1].share or 0, kv[0]))
        takeaway = (
            f"{low[0]} pulled {pct(low[1].share)} of the copies its pick list asked for, "
            "the lowest share in the group."
        )
    else:
        takeaway = "No pick list asked for a copy in this period."
    return Table(
        "picking",
        "Pick-list compliance",
        ("Lender", "Copies asked for", "Copies pulled", "Share pulled"),
        rows,
        takeaway,
        notes="Pulled: the copy was then sent on, or shelved, for that hold.",
    )


def top_titles_table(start: dt.date, end: dt.date) -> Table:
    found = series.top_titles(start, end)
    rows: list[tuple[Cell, ...]] = [(t.title, t.author, t.loans, t.members) for t in found]
    takeaway = (
        f"“{found[0].title}” was the group's most borrowed title: "
        f"{counted(found[0].loans, 'loan')} by patrons of {counted(found[0].members, 'member')}."
        if found
        else "No loans in this period."
    )
    return Table(
        "top-titles",
        "Top titles across the group",
        ("Title", "Author", "Loans", "Members"),
        rows,
        takeaway,
    )


def trend_table(start: dt.date, end: dt.date, code: str | None = None) -> Table:
    months = series.monthly(start, end, code)
    rows: list[tuple[Cell, ...]] = [
        (m.month.strftime("%Y-%m"), m.own_loans, m.lent, m.holds_filled) for m in months
    ]
    # Compare whole months only: the period's first and last are often partial.
    whole = [m for m in months if m.month >= start and _month_end(m.month) <= end]
    if len(whole) >= 2:
        first, last = whole[0], whole[-1]
        a, b = first.own_loans + first.lent, last.own_loans + last.lent
        change = "rose" if b > a else "fell" if b < a else "held"
        what = "Loans of its copies" if code else "Loans"
        takeaway = (
            f"{what} {change} from {n(a)} in {first.month:%B %Y} to {n(b)} in {last.month:%B %Y}."
        )
    else:
        takeaway = "Not enough whole months yet to show a trend."
    return Table(
        "trend",
        "Month by month",
        ("Month", "Own loans", LENT_MEMBER if code else LENT_GROUP, "Holds filled"),
        rows,
        takeaway,
    )


def _month_end(first: dt.date) -> dt.date:
    return (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)


def gini_takeaway(group: figures.GroupFigures) -> str:
    if group.lent == 0:  # no share to spread: "evenly" would say more than is known
        return "No member lent to another in this period, so there is no net lending to compare."
    g = group.gini_net_lending
    spread = "evenly" if g < 0.2 else "unevenly" if g < 0.5 else "very unevenly"
    return (
        f"The Gini of net lending is {g:.2f}: lending and borrowing are spread {spread} "
        "across the members (0 is every member balanced, near 1 is one member lending all)."
    )


PAGE_ROWS = 100  # pairs of members a page lists; the downloads have them all
MATRIX_ON_PAGE = 30  # members; past this, the page lists the largest flows, not the matrix


def for_page(table: Table) -> Table:
    """The table as a page shows it. The pair tables of a big group are too long to read
    (300 members make 90,000 pairs): the matrix becomes its largest flows, the transit
    table its busiest pairs, each saying so. Downloads and schedules keep every row."""
    if table.slug == "matrix" and len(table.codes) > MATRIX_ON_PAGE:
        total = sum(table.cells.values())
        flows = sorted(table.cells.items(), key=lambda kv: (-kv[1], kv[0]))[:PAGE_ROWS]
        return replace(
            table,
            headers=("Lender", "Borrower's patrons", "Items lent", "Share of lending"),
            rows=[(o, b, n_, pct(n_ / total)) for (o, b), n_ in flows],
            notes=f"The {n(len(flows))} largest of {n(len(table.cells))} flows between "
            f"{len(table.codes)} members; the downloads have the whole matrix.",
        )
    if table.slug == "transit" and len(table.rows) > PAGE_ROWS:
        busiest = sorted(table.rows, key=lambda row: -int(row[2] or 0))[:PAGE_ROWS]
        return replace(
            table,
            rows=busiest,
            notes=f"The {PAGE_ROWS} pairs that carried most copies, of {n(len(table.rows))}; "
            "the downloads have them all.",
        )
    return table


# The tables a schedule may email or a download may name, built for a period.
GROUP_TABLES: dict[str, Callable[[dt.date, dt.date], Table]] = {
    "members": lambda s, e: members_table(s, e, figures.members(s, e)),
    "size-classes": lambda s, e: size_class_table(figures.members(s, e)),
    "matrix": matrix_table,
    "transit": transit_table,
    "routes": route_table,
    "fill-times": fill_times_table,
    "buying": lambda s, e: buying_table(s, e, figures.members(s, e)),
    "picking": picking_table,
    "top-titles": top_titles_table,
    "trend": trend_table,
}


def build(slug: str, start: dt.date, end: dt.date) -> Table:
    """The table named `slug` for the period; KeyError for a name not in GROUP_TABLES."""
    return GROUP_TABLES[slug](start, end)


TITLES = {
    "members": "Each member's lending and holds",
    "size-classes": "By size class",
    "matrix": "Who lends to whom",
    "transit": "Days in transit between members",
    "routes": "Days in transit by courier route",
    "fill-times": "Days from placing a hold to the hold shelf",
    "buying": "Buying against demand",
    "picking": "Pick-list compliance",
    "top-titles": "Top titles across the group",
    "trend": "Month by month",
}


def build_title(slug: str) -> str:
    return TITLES.get(slug, slug)
