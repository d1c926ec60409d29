"""POST /api/v1/holds/{id}/suspend."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from onelibrary.holds import actions

SOON = (timezone.localdate() + dt.timedelta(days=5)).isoformat()


def test_it_suspends_a_hold_until_a_date(hw, api_riv):
    hold = actions.place_hold(hw.desk_riv, hw.ada, hw.riv_main, title=hw.dune).hold
    response = api_riv.post(f"/holds/{hold.pk}/suspend", {"until": SOON})
    assert response.status_code == 200
    body = response.json()
    assert (body["state"], body["suspended_until"], body["assigned_item_barcode"]) == (
        "waiting",
        SOON,
        None,
    )


def test_it_answers_409_for_a_date_in_the_past(hw, api_riv):
    hold = actions.place_hold(hw.desk_riv, hw.ada, hw.riv_main, title=hw.dune).hold
    response = api_riv.post(f"/holds/{hold.pk}/suspend", {"until": "2001-01-01"})
    assert (response.status_code, response.json()["code"]) == (409, "bad_date")


def test_it_answers_422_for_a_malformed_date(hw, api_riv):
    hold = actions.place_hold(hw.desk_riv, hw.ada, hw.riv_main, title=hw.dune).hold
    assert api_riv.post(f"/holds/{hold.pk}/suspend", {"until": "soon"}).status_code == 422
