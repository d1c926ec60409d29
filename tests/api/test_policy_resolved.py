"""GET /api/v1/policy/resolved: the governing rule, setting by setting, and why."""

from __future__ import annotations

from onelibrary.policy.models import CirculationRule, GroupPolicy

DUNE_RIV = "31000000000011"
DUNE_PINE = "32000000000019"
ADA = "29000000000017"


def test_it_names_the_rule_each_setting_comes_from_and_why(world, rules, desk_riv):
    response = desk_riv.get("/policy/resolved", item_barcode=DUNE_PINE, patron_card=ADA)
    assert response.status_code == 200
    body = response.json()
    assert body["situation"] == {
        "library": "PINE",
        "patron_category": "adult",
        "item_type": "book",
        "collection": "ADULT",
    }
    fine = body["settings"]["fine_per_day"]
    assert fine["value"] == "0.25"
    assert (fine["rule_id"], fine["rule"]) == (rules["pine"].pk, "Pine Creek fines")
    assert "library PINE" in fine["why"]
    loan_days = body["settings"]["loan_days"]
    assert (loan_days["value"], loan_days["rule"]) == (21, "Group default")
    assert "the group default" in loan_days["why"]
    assert body["settings"]["holdable"]["value"] is True
    assert any("Pine Creek fines" in line for line in body["explanation"])


def test_it_follows_the_groups_choice_of_governing_library(world, rules, desk_riv):
    policy = GroupPolicy.current()
    policy.governing_library = GroupPolicy.GoverningLibrary.CHECKOUT
    policy.save()
    response = desk_riv.get("/policy/resolved", item_barcode=DUNE_RIV, branch="PINE")
    assert response.json()["situation"]["library"] == "PINE"
    assert response.json()["settings"]["fine_per_day"]["rule"] == "Pine Creek fines"


def test_it_answers_404_for_an_unknown_item(world, rules, desk_riv):
    response = desk_riv.get("/policy/resolved", item_barcode="31999999999999")
    assert response.status_code == 404


def test_it_answers_409_when_the_group_default_is_missing(world, rules, desk_riv):
    CirculationRule.objects.all().delete()
    response = desk_riv.get("/policy/resolved", item_barcode=DUNE_RIV)
    assert response.status_code == 409
    assert response.json()["code"] == "policy_incomplete"
    assert "group default rule" in response.json()["message"]
