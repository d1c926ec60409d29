"""GET /api/v1/holds/patrons/{card}: a patron's open holds with queue positions."""

from __future__ import annotations

from onelibrary.catalog.models import Item
from onelibrary.circulation import holds_desk
from onelibrary.holds import actions


def test_it_lists_a_patrons_open_holds_with_their_queue_position(hw, api_riv):
    Item.objects.update(status=Item.Status.CHECKED_OUT)
    actions.place_hold(hw.desk_pine, hw.ben, hw.pine_main, title=hw.dune)
    actions.place_hold(hw.desk_riv, hw.ada, hw.riv_main, title=hw.dune)
    response = api_riv.get("/holds/patrons/29000000000017")
    assert response.status_code == 200
    [hold] = response.json()["holds"]
    assert (hold["state"], hold["queue_position"], hold["queue_waiting"]) == ("waiting", 2, 2)
    assert hold["queue_approximate"] is False


def test_it_leaves_closed_holds_out(hw, api_riv):
    hold = actions.place_hold(hw.desk_riv, hw.ada, hw.riv_main, title=hw.dune).hold
    holds_desk.cancel_hold(hw.desk_riv, hold)
    assert api_riv.get("/holds/patrons/29000000000017").json()["holds"] == []


def test_it_answers_404_for_an_unknown_card(hw, api_riv):
    assert api_riv.get("/holds/patrons/123").status_code == 404
