"""The holds explain page and the courier page give the same courier days for the same pair
and ship date: both ask the courier app's one service (docs/courier.md, "Courier days").

Ada's hold on Dune is for pickup at ELK. Copies: RIV-MAIN (the daily FAST van to ELK: the
schedule), PINE (enough past trips to ELK: learned) and RIV-EAST (on no route, a row in
the courier-days table).
"""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.test import Client
from django.utils import timezone

from onelibrary.courier import actions as courier_actions
from onelibrary.courier.models import CourierSettings
from onelibrary.holds import actions
from tests.courier.conftest import monday_weeks_ago, trips
from tests.holds.conftest import make_copy

pytestmark = pytest.mark.django_db

ROW = re.compile(
    r'<td data-label="At">(?P<at>[A-Z-]+)</td>(?:(?!</tr>).)*?'  # within one row
    r'<td data-label="Courier days"><a href="(?P<href>/courier/days/\?[^"]+)"[^>]*>'
    r"(?P<days>[\d.]+)</a>",
    re.S,
)
ANSWER = re.compile(r'<p class="answer-days"[^>]*>(?P<days>[\d.]+) days?: arrives')
SOURCE = re.compile(r'<p class="answer-source">From (?P<said>[^<]+) <span class="code">')


def staff_client(user, branch) -> Client:
    client = Client()
    client.force_login(user)
    client.post("/desk/", {"branch": branch.pk})
    return client


@pytest.fixture
def three_sources(hw):
    stop = courier_actions.StopInput
    courier_actions.save_route(
        hw.central,
        None,
        code="FAST",
        name="Daily van",
        days="1111100",
        hubs=[],
        stops=[stop("RIV-MAIN", "1111100"), stop("ELK", "1111100")],
    )
    CourierSettings.objects.create(learned_min_transits=3)
    trips(hw.pine_main, hw.elk_main, days=2, count=3, sent_on=monday_weeks_ago(2))
    make_copy(hw, hw.dune, "31000000000099", library=hw.riverton, branch=hw.riv_east)
    return hw


def test_the_explain_page_and_the_courier_page_give_the_same_days(three_sources):
    hw = three_sources
    today = timezone.localdate()
    monday = today + dt.timedelta(days=7 - today.weekday())
    now = timezone.make_aware(dt.datetime.combine(monday, dt.time(10)))
    hold = actions.place_hold(hw.desk_riv, hw.ada, hw.elk_main, title=hw.dune, now=now).hold
    client = staff_client(hw.desk_riv, hw.riv_main)
    explain = client.get(f"/holds/{hold.pk}/explain/").content.decode()
    rows = {m["at"]: m for m in ROW.finditer(explain)}
    assert set(rows) == {"RIV-MAIN", "PINE", "RIV-EAST"}, explain
    said = {}
    for at, row in rows.items():
        href = html.unescape(row["href"])
        assert f"from={at}" in href and "to=ELK" in href
        courier_page = client.get(href).content.decode()
        shown = ANSWER.search(courier_page)
        assert shown is not None, courier_page
        assert float(shown["days"]) == float(row["days"]), (at, href)
        said[at] = SOURCE.search(courier_page)["said"]
    assert said["RIV-MAIN"] == "the route schedule"
    assert said["PINE"].startswith("learned")
    assert said["RIV-EAST"].startswith("the courier-days table")


def test_the_courier_link_asks_for_the_day_the_copy_ships(three_sources):
    hw = three_sources
    today = timezone.localdate()
    friday = today + dt.timedelta(days=(4 - today.weekday()) % 7 or 7)
    now = timezone.make_aware(dt.datetime.combine(friday, dt.time(10)))
    hold = actions.place_hold(hw.desk_riv, hw.ada, hw.elk_main, title=hw.dune, now=now).hold
    explain = staff_client(hw.desk_riv, hw.riv_main).get(f"/holds/{hold.pk}/explain/")
    rows = {m["at"]: m for m in ROW.finditer(explain.content.decode())}
    # RIV-MAIN is open every day: pulled Saturday (1 pull day), so it ships Saturday.
    saturday = friday + dt.timedelta(days=1)
    assert f"on={saturday:%Y-%m-%d}" in html.unescape(rows["RIV-MAIN"]["href"])
