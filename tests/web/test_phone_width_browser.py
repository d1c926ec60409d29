"""Every staff page fits a phone: at 375 px nothing scrolls sideways.

A row of links (`.actions`, the part navigations) once kept to one line and widened the
governance and directory pages to 460 px.
"""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD

PHONE = 375
PAGES = (
    "/desk/",
    "/items/",
    "/governance/",
    "/governance/decisions/",
    "/governance/training/",
    "/governance/monitors/",
    "/directory/",
    "/tickets/",
    "/procedures/",
    "/ledger/",
    "/ledger/policy/",
    "/ledger/settlement/",
    "/ledger/compare/",
    "/ledger/reports/",
    "/outreach/",
    "/holds/late/",
)


@pytest.mark.browser
def test_the_central_office_s_pages_fit_a_phone(live_server, transactional_db, world, rules, page):
    page.set_viewport_size({"width": PHONE, "height": 800})
    page.set_default_timeout(30_000)  # the shared 2-core machine is often busy
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill("central")
    page.get_by_label("Password").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/desk/")
    wide = {}
    for path in PAGES:
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None and response.status == 200, path
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE:
            wide[path] = width
    assert wide == {}
