"""POST /api/v1/holds/{id}/resume."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from onelibrary.holds import actions


def test_it_resumes_a_suspended_hold_and_routes_it(hw, api_riv):
    hold = actions.place_hold(hw.desk_riv, hw.ada, hw.riv_main, title=hw.dune).hold
    actions.suspend_hold(hw.desk_riv, hold, timezone.localdate() + dt.timedelta(days=3))
    response = api_riv.post(f"/holds/{hold.pk}/resume")
    assert response.status_code == 200
    assert response.json()["state"] == "routed"
    assert response.json()["suspended_until"] is None


def test_it_answers_409_for_a_hold_that_is_not_suspended(hw, api_riv):
    hold = actions.place_hold(hw.desk_riv, hw.ada, hw.riv_main, title=hw.dune).hold
    assert api_riv.post(f"/holds/{hold.pk}/resume").status_code == 409
