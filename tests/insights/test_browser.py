"""The dashboard and the board page in headless Chromium, axe clean: charts drawn without
JavaScript, each beside its table."""

from __future__ import annotations

import pytest

from onelibrary.members.models import StaffRole
from tests.axe import check_page
from tests.conftest import PASSWORD, make_staff
from tests.insights.conftest import DAY
from tests.insights.test_figures import NEXT, history  # noqa: F401 - a fixture

PERIOD = f"from={DAY}&to={NEXT}"


def log_in(page, live_server, username: str, next_path: str) -> None:
    page.goto(f"{live_server.url}/login/?next={next_path}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.keyboard.press("Enter")


@pytest.mark.browser
def test_the_dashboard_shows_charts_and_tables_axe_clean(
    live_server,
    transactional_db,
    history,  # noqa: F811
    page,
):
    page.set_default_timeout(30_000)
    log_in(page, live_server, "desk.pine", f"/insights/?{PERIOD}")
    page.get_by_role("heading", name="Insights: what each member gives and takes").wait_for()
    assert page.get_by_text("the group's largest net lender").first.is_visible()
    assert page.locator("figure.chart svg").count() >= 3
    matrix = page.get_by_role("table", name="Who lends to whom")
    assert matrix.get_by_role("rowheader", name="RIV").is_visible()
    check_page(page)


@pytest.mark.browser
def test_the_board_page_speaks_plainly_axe_clean(
    live_server,
    transactional_db,
    history,  # noqa: F811
    page,
):
    make_staff("board.riv", StaffRole.Role.BOARD, history.riverton)
    page.set_default_timeout(30_000)
    log_in(page, live_server, "board.riv", f"/insights/?{PERIOD}")
    page.get_by_role("heading", name="What the group gives Riverton City Library").wait_for()
    assert page.get_by_text(
        "Your circulation is 50% higher with the group than without"
    ).is_visible()
    assert page.get_by_role("link", name="Print as PDF").is_visible()
    assert page.get_by_role("link", name="Check out").count() == 0  # no staff links
    check_page(page)


@pytest.mark.browser
def test_a_big_groups_pair_tables_load_in_place_axe_clean(
    live_server,
    transactional_db,
    history,  # noqa: F811
    page,
):
    from onelibrary.members.models import Library

    Library.objects.bulk_create(
        Library(code=f"X{n:02d}", name=f"Extra {n}", size_class="small") for n in range(30)
    )
    page.set_default_timeout(30_000)
    log_in(page, live_server, "desk.pine", f"/insights/?{PERIOD}")
    page.get_by_role("heading", name="Insights: what each member gives and takes").wait_for()
    # The two pair sections arrive by themselves, in place, with their takeaways.
    flows = page.get_by_role("table", name="Who lends to whom")
    flows.get_by_role("rowheader", name="RIV").first.wait_for()
    assert page.get_by_text("largest of 4 flows between 33 members").is_visible()
    page.get_by_role("table", name="Days in transit between members").wait_for()
    assert page.locator("[aria-busy=true]").count() == 0
    assert page.locator("figure.chart svg").count() >= 3
    check_page(page)
