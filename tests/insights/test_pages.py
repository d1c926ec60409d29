"""The insights pages and tables against the small history worked by hand in
test_figures.py: the numbers a person reads, and each takeaway."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.test import Client

from onelibrary.insights import board, figures, series, tables
from tests.insights.conftest import DAY
from tests.insights.test_figures import NEXT, history  # noqa: F401 - a fixture

PERIOD = {"from": DAY.isoformat(), "to": NEXT.isoformat()}


def as_(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_it_tables_each_member_as_worked_by_hand(history):  # noqa: F811
    from onelibrary.insights import figures

    table = tables.members_table(DAY, NEXT, figures.members(DAY, NEXT))
    rows = {r[0]: r for r in table.rows}
    # code, name, size, own, lent, borrowed, net, placed, filled, rate, median, p90
    assert rows["RIV"][3:] == (2, 2, 1, 1, 2, 2, 1.0, 5.0, 9.0)
    assert rows["ELK"][3:9] == (0, 0, 2, -2, 0, 0)
    assert rows["ELK"][9] is None  # no holds placed: no fill rate, not 0%
    assert table.takeaway == (
        "Riverton City Library lent 1 more than it borrowed: the group's largest net lender; "
        "Elk Valley Library borrowed 2 more than it lent."
    )


def test_it_gives_the_matrix_fill_times_and_size_classes_with_their_takeaways(history):  # noqa: F811
    from onelibrary.insights import figures

    matrix = tables.matrix_table(DAY, NEXT)
    assert matrix.headers == ("Lender \\ borrower", "ELK", "PINE", "RIV")
    assert matrix.rows == [("ELK", 0, 0, 0), ("PINE", 1, 0, 1), ("RIV", 1, 1, 0)]
    assert matrix.takeaway.startswith("The largest flow: RIV lent 1 item to PINE's patrons, 25%")
    fills = tables.fill_times_table(DAY, NEXT)
    assert fills.rows == [(0, 2), (10, 1)]
    assert fills.takeaway == (
        "Half the holds reached the hold shelf within 0 days; nine in ten within 8."
    )
    sizes = {r[0]: r for r in tables.size_class_table(figures.members(DAY, NEXT)).rows}
    assert sizes["City system"][1:6] == (1, 2, 2, 1, 1)
    assert sizes["One-room library"][5] == 1  # Pine Creek: small, and a net lender


def test_an_empty_period_says_so_instead_of_inventing_a_leader(history):  # noqa: F811
    empty = dt.date(2020, 1, 1)
    assert tables.build("members", empty, empty).takeaway == (
        "Every member lent as much as it borrowed in this period."
    )
    assert (
        tables.build("matrix", empty, empty).takeaway == "No member lent to another in this period."
    )
    assert tables.build("top-titles", empty, empty).takeaway == "No loans in this period."
    assert tables.gini_takeaway(figures.group(empty, empty)) == (
        "No member lent to another in this period, so there is no net lending to compare."
    )
    assert tables.gini_takeaway(figures.group(DAY, NEXT)).startswith(
        "The Gini of net lending is 0.50: lending and borrowing are spread very unevenly"
    )


def test_a_count_of_one_reads_in_the_singular(history):  # noqa: F811
    one_day = tables.build("top-titles", NEXT, NEXT)  # one loan of Dune, by an ELK patron
    assert one_day.takeaway == (
        "“Dune” was the group's most borrowed title: 1 loan by patrons of 1 member."
    )
    assert tables.counted(1204, "loan") == "1,204 loans"


def test_the_board_story_says_how_much_the_group_adds(history):  # noqa: F811
    riv = board.story("RIV", DAY, NEXT)
    assert riv.rise == 0.5  # own 2, borrowed 1
    assert "Your circulation is 50% higher with the group than without: 3 loans" in " ".join(
        riv.sentences
    )
    elk = board.story("ELK", DAY, NEXT)  # no own loans: all came from the group
    assert elk.rise is None
    assert "All 2 loans to your patrons came from other members' shelves." in elk.sentences


def test_the_dashboard_shows_the_figures_charts_and_downloads(history):  # noqa: F811
    page = as_(history.central).get("/insights/", PERIOD)
    assert page.status_code == 200
    html = page.content.decode()
    assert "the group&#x27;s largest net lender" in html
    assert html.count("<svg") >= 3  # net bars, heat map, fill times (trend needs 2 months)
    assert 'aria-hidden="true"' in html
    assert f"/insights/table/members.csv?from={DAY}&amp;to={NEXT}" in html


def test_a_bad_period_is_said_and_the_default_shown(history):  # noqa: F811
    page = as_(history.central).get("/insights/", {"from": "yesterday", "to": "2026-03-03"})
    assert page.status_code == 200
    assert "write both dates as YYYY-MM-DD" in page.content.decode()


@pytest.mark.parametrize(
    ("start", "end"), [("0001-01-01", "2026-03-03"), ("2026-03-01", "9999-12-31")]
)
def test_a_period_past_the_calendar_is_said_and_the_default_shown(history, start, end):  # noqa: F811
    page = as_(history.central).get("/insights/", {"from": start, "to": end})
    assert page.status_code == 200  # was a server error: a day before the year 1
    assert "give dates from 1900 to 2199" in page.content.decode()


def test_a_period_far_wider_than_the_history_reads_only_the_days_built(history):  # noqa: F811
    wide = as_(history.central).get("/insights/", {"from": "1900-01-01", "to": "2199-12-31"})
    assert wide.status_code == 200
    built = (DAY - dt.timedelta(days=10), DAY + dt.timedelta(days=5))  # by the fixture
    found = series.top_titles(dt.date(1900, 1, 1), dt.date(2199, 12, 31))
    assert found and found == series.top_titles(*built)
    assert found[0].loans == 8  # every loan of the history, the one outside PERIOD too


def test_the_board_page_prints_as_pdf(history):  # noqa: F811
    import io

    from pypdf import PdfReader

    response = as_(history.central).get("/insights/RIV/board.pdf", PERIOD)
    assert response["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "What the group gives Riverton City Library" in text
    assert "50% higher with the group" in text


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_every_group_table_downloads(history, fmt):  # noqa: F811
    client = as_(history.central)
    for slug in tables.GROUP_TABLES:
        response = client.get(f"/insights/table/{slug}.{fmt}", PERIOD)
        assert response.status_code == 200, slug
        assert f'{slug}-{DAY}-{NEXT}.{fmt}"' in response["Content-Disposition"]


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("yesterday", "2026-03-03", "write both dates as YYYY-MM-DD. Nothing was downloaded."),
        ("0001-01-01", "2026-03-03", "give dates from 1900 to 2199. Nothing was downloaded."),
        ("2026-03-03", "2026-03-02", "give the earlier date first. Nothing was downloaded."),
    ],
)
def test_a_download_of_a_bad_period_is_refused_not_another_period(history, start, end, message):  # noqa: F811
    response = as_(history.central).get("/insights/table/members.csv", {"from": start, "to": end})
    assert response.status_code == 400
    assert response.content.decode().endswith(message)
    assert "Content-Disposition" not in response


def test_it_gives_transit_days_by_the_route_that_picked_the_copies_up(history):  # noqa: F811
    from tests.courier.conftest import make_courier

    make_courier(history)
    table = tables.route_table(DAY, NEXT)
    # Both copies left Pine Creek, on the East loop: 1 and 4 days.
    assert table.rows == [("EAST", "East loop", 2, 2.5, pytest.approx(3.7))]
    assert table.takeaway == (
        "Copies picked up by the East loop route take longest: one in ten more than 3.7 days."
    )


def test_the_trend_compares_whole_months_only(iw):
    from onelibrary.insights.build import rebuild
    from tests.insights.conftest import loan

    for day in (dt.date(2026, 1, 10), dt.date(2026, 1, 11)):
        loan(iw.dune_riv, iw.riverton, day)
    for day in (dt.date(2026, 2, 9), dt.date(2026, 2, 10), dt.date(2026, 3, 1)):
        loan(iw.dune_riv, iw.pine, day)
    rebuild(dt.date(2026, 1, 1), dt.date(2026, 3, 1))
    whole = tables.trend_table(dt.date(2026, 1, 1), dt.date(2026, 2, 28), "RIV")
    assert whole.rows == [("2026-01", 2, 0, 0), ("2026-02", 0, 2, 0)]
    assert whole.headers[2] == "Lent to other members"
    assert (
        whole.takeaway == "Loans of its copies held from 2 in January 2026 to 2 in February 2026."
    )
    # 1 March alone is not a whole month: not compared with February.
    partial = tables.trend_table(dt.date(2026, 1, 5), dt.date(2026, 3, 1))
    assert partial.takeaway == "Not enough whole months yet to show a trend."


def test_a_big_groups_pair_tables_shorten_on_the_page_and_not_in_downloads():
    codes = [f"M{i:02d}" for i in range(tables.MATRIX_ON_PAGE + 5)]
    cells = {(o, b): 1 + (i * 7 + j) % 13 for i, o in enumerate(codes) for j, b in enumerate(codes)}
    cells = {k: v for k, v in cells.items() if k[0] != k[1]}
    matrix = tables.Table("matrix", "Who lends to whom", ("x",), [], "", codes=codes, cells=cells)
    page = tables.for_page(matrix)
    assert len(page.rows) == tables.PAGE_ROWS
    assert page.rows[0][2] == 13 and all(a[2] >= b[2] for a, b in itertools.pairwise(page.rows))
    assert (
        page.notes
        == "The 100 largest of 1,190 flows between 35 members; the downloads have the whole matrix."
    )
    small = tables.Table("matrix", "t", ("x",), [("A", 0)], "", codes=["A", "B"], cells={})
    assert tables.for_page(small) is small

    pairs = [("A", f"B{i}", i, 1.0, 2.0) for i in range(250)]
    transit = tables.for_page(tables.Table("transit", "t", ("From",), pairs, ""))
    assert [r[2] for r in transit.rows[:3]] == [249, 248, 247] and len(transit.rows) == 100
    assert "of 250" in transit.notes


def test_the_charts_of_a_big_group_stay_small_and_legible():
    from onelibrary.insights import charts

    codes = [f"M{i:03d}" for i in range(300)]
    svg = charts.heat_map(codes, {(codes[0], codes[1]): 5, (codes[2], codes[0]): 3})
    assert len(svg) < 400_000  # a 300 × 300 matrix drawn at 12 inches, not 136
    assert 40 <= svg.count(">M") <= 2 * charts.LABELLED + 4  # every k-th member named
    bars = charts.net_bars([(c, i - 150) for i, c in enumerate(codes)])
    assert len(bars) < 400_000


@pytest.fixture
def big(history):  # noqa: F811
    """The small history in a group of 33 members: past the page's limit for pair tables."""
    from onelibrary.members.models import Library

    Library.objects.bulk_create(
        Library(code=f"X{n:02d}", name=f"Extra {n}", size_class="small") for n in range(30)
    )
    return history


def test_a_big_groups_pair_sections_come_after_the_page_and_on_their_own(big):
    client = as_(big.central)
    html = client.get("/insights/", PERIOD).content.decode()
    later = f'hx-get="/insights/section/matrix/?from={DAY}&amp;to={NEXT}"'
    assert later in html and 'hx-get="/insights/section/transit/' in html
    assert "The largest flow" not in html  # not computed for the page itself
    assert 'href="/insights/section/matrix/' in html  # without JavaScript: a link

    fragment = client.get("/insights/section/matrix/", PERIOD, HTTP_HX_REQUEST="true")
    text = fragment.content.decode()
    assert fragment.status_code == 200 and "<html" not in text
    assert "The largest flow: RIV lent 1 item" in text and "<svg" in text
    assert "largest of 4 flows between 33 members" in text  # the page's short form

    whole = client.get("/insights/section/transit/", PERIOD).content.decode()
    assert "<h1>Days in transit between members</h1>" in whole and "<html" in whole
    assert "PINE" in whole and "Back to the group's insights" in whole
    assert client.get("/insights/section/members/", PERIOD).status_code == 404


def test_a_small_group_has_every_section_on_the_page(history):  # noqa: F811
    html = as_(history.central).get("/insights/", PERIOD).content.decode()
    assert "hx-get" not in html and "The largest flow" in html


def test_the_later_sections_are_refused_to_whoever_may_not_see_the_group(big):
    from onelibrary.members.models import StaffRole
    from tests.conftest import make_staff

    board = make_staff("board.riv", StaffRole.Role.BOARD, big.riverton)
    page = as_(board).get("/insights/section/matrix/", PERIOD)
    assert (page.status_code, page["Location"]) == (302, "/insights/RIV/board/")  # its own
    from django.contrib.auth.models import User

    nobody = User.objects.create_user("no.role", password="x")  # signed in, no staff role
    assert as_(nobody).get("/insights/section/matrix/", PERIOD).status_code == 403


def test_a_small_share_reads_under_one_percent_never_zero():
    assert [tables.pct(v) for v in (None, 0, 0.0002, 0.005, 0.006, 0.25)] == [
        "—",
        "0%",
        "under 1%",
        "under 1%",
        "1%",
        "25%",
    ]
