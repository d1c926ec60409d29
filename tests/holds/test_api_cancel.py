"""POST /api/v1/holds/{id}/cancel."""

from __future__ import annotations

from onelibrary.holds import actions
from onelibrary.holds.models import Hold
from onelibrary.patrons.models import PatronAudit


def test_it_cancels_a_hold(hw, api_riv):
    hold = actions.place_hold(hw.desk_riv, hw.ada, hw.riv_main, title=hw.dune).hold
    response = api_riv.post(f"/holds/{hold.pk}/cancel")
    assert response.status_code == 200
    assert response.json()["state"] == "cancelled"
    assert response.json()["patron_card"] == hw.ada.card
    assert "stays on the shelf" in response.json()["message"]
    assert Hold.objects.get().state == Hold.State.CANCELLED
    audit = PatronAudit.objects.get(patron=hw.ada, staff=hw.desk_riv)
    assert (audit.via, audit.detail["context"]) == ("api", "cancel hold")


def test_another_library_s_staff_get_404_and_the_hold_stays(hw, api_pine):
    hold = actions.place_hold(hw.desk_riv, hw.ada, hw.riv_main, title=hw.dune).hold
    response = api_pine.post(f"/holds/{hold.pk}/cancel")
    assert (response.status_code, response.json()["code"]) == (404, "unknown_hold")
    assert hw.ada.card not in response.content.decode()
    assert Hold.objects.get().state != Hold.State.CANCELLED


def test_it_answers_409_for_a_hold_already_closed(hw, api_riv):
    hold = actions.place_hold(hw.desk_riv, hw.ada, hw.riv_main, title=hw.dune).hold
    api_riv.post(f"/holds/{hold.pk}/cancel")
    response = api_riv.post(f"/holds/{hold.pk}/cancel")
    assert (response.status_code, response.json()["code"]) == (409, "bad_transition")


def test_it_answers_404_for_an_unknown_hold(hw, api_riv):
    response = api_riv.post("/holds/4242/cancel")
    assert (response.status_code, response.json()["code"]) == (404, "unknown_hold")
