"""`onelibrary simulate --from-db`: the live group and its last year's holds, replayed
under the same policies and the same --compare table."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from onelibrary.simulation import live
from tests.insights.conftest import hold


@pytest.fixture
def recent(world):
    """Holds of the last weeks: Riverton's and Pine Creek's patrons on Dune; one of Elk
    Valley, which owns no copy (so is not a member of the simulated group), and one too
    old to replay."""
    today = timezone.localdate()
    for item in (world.dune_riv, world.dune_pine):
        item.refresh_from_db()
    for days_ago in (20, 12, 5):
        hold(world, world.riverton, today - dt.timedelta(days=days_ago))
    hold(
        world,
        world.pine,
        today - dt.timedelta(days=9),
        shelved=today - dt.timedelta(days=4),
        filled=today - dt.timedelta(days=1),
    )
    hold(world, world.elk, today - dt.timedelta(days=3))
    hold(world, world.riverton, today - dt.timedelta(days=400))
    return world


def test_it_reads_the_live_group_and_its_years_holds(recent):
    replay = live.from_db(seed=1, days=365)
    assert [m.code for m in replay.world.members] == ["PINE", "RIV"]  # ELK owns no copy
    assert {b.code for b in replay.world.branches} == {"PINE", "RIV-MAIN", "RIV-EAST"}
    assert len(replay.world.copies) == 2 and len(replay.world.titles) == 1
    # Four holds in the year; Elk Valley's is left out with its member, and said so.
    assert (replay.holds_replayed, replay.holds_left_out) == (4, 1)
    days = sorted(h.day for h in replay.demand.holds)
    assert days == [345, 353, 356, 360]
    filled = next(h for h in replay.demand.holds if h.day == 356)
    assert filled.pickup_delay == 3  # from the shelf to the pickup, as it happened
    assert replay.demand.releases == ()


def test_the_command_compares_policies_on_the_live_group(recent):
    out = io.StringIO()
    call_command(
        "simulate", "--from-db", "--compare", "--days", "60", "--jobs", "1", "--json", stdout=out
    )
    text = out.getvalue()
    assert "Compared 10 policies on the live group (2 members), its 4 holds of the 60 days" in text
    payload = json.loads(text.strip().splitlines()[-1])
    assert payload["group"] == "live"
    assert len(payload["variants"]) == 10
    assert all(v["holds_placed"] == 4 for v in payload["variants"])


def test_from_db_refuses_a_group_size_and_an_empty_database(db):
    with pytest.raises(CommandError, match="drop --group"):
        call_command("simulate", "--from-db", "--group", "small", stdout=io.StringIO())
    with pytest.raises(CommandError, match="no active member with copies"):
        call_command("simulate", "--from-db", stdout=io.StringIO())
