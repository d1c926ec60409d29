"""GET /api/v1/holds/{id}/explanation."""

from __future__ import annotations

from onelibrary.catalog.models import Item
from onelibrary.holds import actions


def test_it_explains_the_routing_of_a_routed_hold(hw, api_riv):
    hold = actions.place_hold(hw.desk_riv, hw.ada, hw.riv_east, title=hw.dune).hold
    response = api_riv.get(f"/holds/{hold.pk}/explanation")
    assert response.status_code == 200
    body = response.json()
    assert body["kind"] == "route" and body["chosen_copy_id"] == hw.dune_riv.pk
    first, second = body["candidates"]
    assert first["chosen"] and first["barcode"] == "31000000000011"
    assert first["cost"]["total"] < second["cost"]["total"]
    assert "31000000000011" in body["reason"]


def test_it_explains_what_routing_would_do_now_for_a_waiting_hold(hw, api_riv):
    Item.objects.update(status=Item.Status.CHECKED_OUT)
    hold = actions.place_hold(hw.desk_riv, hw.ada, hw.riv_main, title=hw.dune).hold
    body = api_riv.get(f"/holds/{hold.pk}/explanation").json()
    assert body["kind"] == "now" and body["chosen_copy_id"] is None
    assert all(c["cost"] is None for c in body["candidates"])
    assert "not available" in body["reason"]


def test_it_answers_404_for_an_unknown_hold(hw, api_riv):
    assert api_riv.get("/holds/77/explanation").status_code == 404
