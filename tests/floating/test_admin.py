"""Float rules and groups in the admin go through floating.actions."""

from __future__ import annotations

from django.contrib.auth.models import User

from onelibrary.floating import actions
from onelibrary.floating.models import FloatGroup, FloatLog, FloatRule
from tests.conftest import PASSWORD
from tests.floating.conftest import fresh


def login(client, username):
    User.objects.filter(username=username).update(is_staff=True)  # to enter the admin
    assert client.login(username=username, password=PASSWORD)


def rule_form(library, group="", **fields):
    return {
        "library": library.pk,
        "collection": "ADULT",
        "item_type": "",
        "floats": "on",
        "float_group": group,
        **fields,
    }


def test_it_adds_a_rule_for_a_library_admins_own_library_and_floats_its_items(world, client):
    login(client, "admin.riv")
    response = client.post("/admin/floating/floatrule/add/", rule_form(world.riverton))
    assert response.status_code == 302
    assert FloatRule.objects.get().library == world.riverton
    assert fresh(world.dune_riv).floating is True
    assert FloatLog.objects.get(kind="rule_saved").staff.username == "admin.riv"


def test_it_refuses_a_rule_for_another_library_or_outside_its_group(world, client):
    login(client, "admin.riv")
    response = client.post("/admin/floating/floatrule/add/", rule_form(world.pine))
    assert response.status_code == 200 and not FloatRule.objects.exists()
    east = actions.save_group(world.central, "east", "East", [world.elk])
    login(client, "central")
    response = client.post("/admin/floating/floatrule/add/", rule_form(world.riverton, east.pk))
    assert "is not a member of the float group East" in response.content.decode()
    assert not FloatRule.objects.exists()


def test_it_changes_a_rules_collection_and_deletes_rules_through_actions(world, client):
    rule = actions.save_rule(world.central, world.riverton, collection="ADULT")
    login(client, "central")
    client.post(
        f"/admin/floating/floatrule/{rule.pk}/change/", rule_form(world.riverton, collection="DVD")
    )
    assert list(FloatRule.objects.values_list("collection", flat=True)) == ["DVD"]
    client.post(f"/admin/floating/floatrule/{FloatRule.objects.get().pk}/delete/", {"post": "yes"})
    assert not FloatRule.objects.exists()
    assert FloatLog.objects.filter(kind="rule_deleted").count() == 2


def test_it_saves_float_groups_for_the_central_office_only(world, client):
    form = {"code": "west", "name": "West", "libraries": [world.riverton.pk], "nearby_days": "1.5"}
    login(client, "admin.riv")
    assert client.post("/admin/floating/floatgroup/add/", form).status_code == 403
    login(client, "central")
    assert client.post("/admin/floating/floatgroup/add/", form).status_code == 302
    group = FloatGroup.objects.get()
    assert list(group.libraries.all()) == [world.riverton] and float(group.nearby_days) == 1.5
    assert FloatLog.objects.filter(kind="group_saved").exists()
