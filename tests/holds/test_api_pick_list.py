"""GET /api/v1/holds/branches/{code}/pick-list."""

from __future__ import annotations

from onelibrary.holds import actions


def test_it_lists_the_copies_to_pull_at_a_branch(hw, api_riv):
    hold = actions.place_hold(hw.desk_riv, hw.ada, hw.riv_main, item=hw.dune_pine).hold
    response = api_riv.get("/holds/branches/PINE/pick-list")
    assert response.status_code == 200
    [copy] = response.json()["copies"]
    assert (copy["hold_id"], copy["item_barcode"], copy["pickup_branch"]) == (
        hold.pk,
        "32000000000019",
        "RIV-MAIN",
    )
    assert copy["overdue"] is False
    assert api_riv.get("/holds/branches/RIV-MAIN/pick-list").json()["copies"] == []


def test_it_answers_404_for_an_unknown_branch(hw, api_riv):
    response = api_riv.get("/holds/branches/NOWHERE/pick-list")
    assert (response.status_code, response.json()["code"]) == (404, "unknown_branch")
