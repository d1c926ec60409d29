"""In Chromium: a patron placing a hold is told when it is expected on the hold shelf."""

from __future__ import annotations

import pytest

from onelibrary.holds.models import Hold
from tests.account.conftest import ADA_PIN
from tests.account.test_browser import log_in


@pytest.mark.browser
def test_a_patron_placing_a_hold_sees_the_expected_date(live_server, transactional_db, pins, page):
    page.goto(f"{live_server.url}/account/login/?next=/catalog/titles/{pins.dune.pk}/")
    log_in(page, pins.ada.card, ADA_PIN)
    page.get_by_role("heading", name="Dune", level=1).wait_for()
    form = page.get_by_role("form", name="Place a hold for me")
    form.get_by_label("Pickup branch").select_option("ELK")
    form.get_by_role("button", name="Place hold").click()

    page.get_by_role("heading", name="My account").wait_for()
    hold = Hold.objects.get()
    day = hold.expected_by
    words = f"expected {day:%A} {day.day} {day:%B}"
    assert page.get_by_text("Your hold on Dune is placed").is_visible()
    assert words in page.get_by_text("Your hold on Dune is placed").inner_text()
    row = page.get_by_role("row").filter(has_text="Dune")
    assert f"then usually 2 days by courier: {words}." in row.inner_text()
