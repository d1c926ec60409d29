"""The patron's side of waiting: when each hold is expected on the hold shelf, on My
account, the hold's page, the confirmation and the API; the late line and notice
(docs/holds/expected.md)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from onelibrary.holds import actions as holds
from onelibrary.holds import late
from onelibrary.holds.models import Hold
from tests.holds.conftest import make_copy, make_title

API = "/api/v1/account"


def said(day: dt.date) -> str:
    return f"{day:%A} {day.day} {day:%B}"


def expected_back(accounts) -> dt.date:
    """Ada's Piranesi: Ben's copy is due back at Pine Creek, 2 courier days to Riverton
    Main, which is closed on Sundays."""
    day = accounts.ben_loan.due_date + dt.timedelta(days=2)
    return day + dt.timedelta(days=1) if day.weekday() == 6 else day


def test_my_account_says_when_each_hold_is_expected(accounts, ada):
    page = ada.get("/account/").content.decode()
    first = expected_back(accounts)
    days = (first - timezone.localdate()).days
    assert f"Waiting for a copy to come back: about {days} days, between {said(first)} and" in page
    assert "Later than we said" not in page


def test_the_holds_page_says_when_and_the_api_gives_it(accounts, ada):
    page = ada.get(f"/account/holds/{accounts.ada_hold.pk}/").content.decode()
    assert f"between {said(expected_back(accounts))}" in page
    body = ada.get(f"{API}/holds").json()
    expected = body[0]["expected"]
    assert expected["rule"] == "EXPECT-4" and expected["about"] is True
    assert expected["earliest"] == expected_back(accounts).isoformat()
    assert expected["basis"] == "loan due dates, courier days (DAYS-3)"


def test_placing_a_hold_says_when_it_is_expected(pins, ada):
    response = ada.post(f"/account/titles/{pins.dune.pk}/hold/", {"pickup": "ELK"}, follow=True)
    page = response.content.decode()
    assert "Your hold on Dune is placed, for pickup at Elk Valley." in page
    assert "then usually 2 days by courier: expected " in page


def test_a_late_hold_says_so_and_the_notice_is_listed(
    accounts, ada, django_capture_on_commit_callbacks
):
    three_days_ago = timezone.localdate() - dt.timedelta(days=3)
    Hold.objects.filter(pk=accounts.ada_hold.pk).update(expected_by=three_days_ago)
    page = ada.get("/account/").content.decode()
    assert f"Later than we said: we expected it by {said(three_days_ago)}." in page
    with django_capture_on_commit_callbacks(execute=True):
        late.notice_late_holds()
    page = ada.get("/account/").content.decode()
    assert "“Your hold on Piranesi is taking longer than we said” emailed to ada@example.org" in (
        page
    )


@pytest.mark.parametrize("more", [0, 6])
def test_my_account_does_not_query_per_hold(accounts, ada, more, django_assert_max_num_queries):
    world = accounts.world
    for n in range(more):
        title = make_title(f"Title {n}")
        status = "checked_out" if n % 2 else "available"
        make_copy(world, title, f"3500000000{n:04d}", world.elk, world.elk_main, status=status)
        holds.place_hold(None, world.ada, world.riv_main, title=title)
    # 24 whether Ada has 1 hold or 7: the holds, their queue and their expected days
    # are read for all of them at once (and her charges with their payments, once).
    with django_assert_max_num_queries(24):
        response = ada.get("/account/")
    assert response.content.decode().count('class="expected"') == 1 + more
