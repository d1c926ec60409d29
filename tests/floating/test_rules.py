"""Float rules, groups and capacities through floating.actions; Item.floating follows."""

from __future__ import annotations

import pytest
from django.db import connection

from onelibrary.catalog.models import Item
from onelibrary.floating import actions, placement
from onelibrary.floating.models import FloatLog, FloatRule
from tests.floating.conftest import floating_copies, fresh


def test_it_makes_the_items_a_rule_covers_float(world):
    dvd = floating_copies(world, 1, world.riv_main, collection="DVD")[0]
    Item.objects.filter(pk=dvd.pk).update(floating=False)
    actions.save_rule(world.admin_riv, world.riverton, collection="ADULT")
    assert fresh(world.dune_riv).floating is True
    assert fresh(dvd).floating is False  # no rule covers DVDs: its own flag stays
    assert fresh(world.dune_pine).floating is False  # Pine Creek's rules are its own
    log = FloatLog.objects.get(kind="rule_saved")
    assert log.detail["items_changed"] == 1 and log.staff == world.admin_riv


def test_it_lets_the_most_specific_rule_govern(world):
    actions.save_rule(world.central, world.riverton)  # everything floats
    actions.save_rule(world.central, world.riverton, item_type="book", floats=False)
    actions.save_rule(world.central, world.riverton, collection="ADULT", item_type="book")
    assert fresh(world.dune_riv).floating is True
    rule = placement.floating_of(fresh(world.dune_riv)).rule
    assert (rule.collection, rule.item_type) == ("ADULT", "book")
    actions.delete_rule(world.central, rule)
    assert fresh(world.dune_riv).floating is False  # now "book" governs


def test_it_leaves_the_copys_own_flag_where_no_rule_covers_it(world):
    Item.objects.filter(pk=world.dune_riv.pk).update(floating=True)
    assert placement.floating_of(fresh(world.dune_riv)).floats is True
    Item.objects.filter(pk=world.dune_riv.pk).update(floating=False)
    assert placement.floating_of(fresh(world.dune_riv)).floats is False


def test_it_refuses_desk_staff_and_other_libraries_and_changes_nothing(world):
    with pytest.raises(actions.FloatingError) as refused:
        actions.save_rule(world.desk_riv, world.riverton, collection="ADULT")
    assert "library admin" in refused.value.message
    with pytest.raises(actions.FloatingError):
        actions.save_rule(world.admin_riv, world.pine, collection="ADULT")
    with pytest.raises(actions.FloatingError):
        actions.set_capacity(world.admin_riv, world.pine_main, "ADULT", 3)
    assert not FloatRule.objects.exists() and not FloatLog.objects.exists()


def test_it_refuses_a_float_group_the_library_is_not_in(world):
    east = actions.save_group(world.central, "east", "East floats", [world.elk])
    with pytest.raises(actions.FloatingError) as refused:
        actions.save_rule(world.central, world.riverton, collection="ADULT", group=east)
    assert refused.value.code == "not_in_group"
    assert not FloatRule.objects.exists()


def test_it_lets_only_the_central_office_change_float_groups(world):
    with pytest.raises(actions.FloatingError):
        actions.save_group(world.admin_riv, "west", "West", [world.riverton])
    west = actions.save_group(world.central, "west", "West", [world.riverton, world.pine])
    actions.save_rule(world.central, world.riverton, collection="ADULT", group=west)
    with pytest.raises(actions.FloatingError) as refused:
        actions.save_group(world.central, "west", "West", [world.pine])
    assert refused.value.code == "group_in_use"
    assert set(west.libraries.values_list("code", flat=True)) == {"RIV", "PINE"}


def test_it_refuses_odd_capacities(world):
    for collection, capacity in (("", 3), ("A" * 40, 3), ("DVD", -1), ("DVD", 10**7)):
        with pytest.raises(actions.FloatingError):
            actions.set_capacity(world.central, world.pine_main, collection, capacity)


def test_it_counts_with_an_index(world):
    branches = [world.riv_main, world.riv_east, world.pine_main, world.elk_main]
    Item.objects.bulk_create(
        Item(
            barcode=f"3900000{i:07d}",
            title=world.dune,
            owning_library=world.riverton,
            home_branch=branches[i % 4],
            current_branch=branches[i % 4],
            collection=("ADULT", "DVD", "NEW", "KIDS", "AUDIO")[i % 5],
            floating=i % 3 == 0,
        )
        for i in range(2000)
    )
    qs = placement.counted([world.pine_main.pk], "ADULT")
    sql, params = qs.values("home_branch_id").query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE catalog_item")
            cursor.execute(f"EXPLAIN {sql}", params)
        else:
            cursor.execute("ANALYZE")
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "item_float_count" in plan
