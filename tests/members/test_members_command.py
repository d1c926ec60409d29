"""`onelibrary members` (members/management/commands/members.py)."""

from __future__ import annotations

import io
import json

from django.core.management import call_command


def members(*args: str) -> str:
    out = io.StringIO()
    call_command("members", *args, stdout=out)
    return out.getvalue()


def test_it_prints_a_json_list_of_libraries_with_their_branches(world):
    data = json.loads(members("--json"))

    assert isinstance(data, list)
    assert [lib["code"] for lib in data] == ["ELK", "PINE", "RIV"]
    assert all({"code", "name", "branches"} <= lib.keys() for lib in data)
    riverton = data[2]
    assert riverton["name"] == "Riverton City Library"
    assert [b["code"] for b in riverton["branches"]] == ["RIV-EAST", "RIV-MAIN"]
    east = riverton["branches"][0]
    assert east == {
        "code": "RIV-EAST",
        "name": "Riverton Eastside",
        "town": "Riverton",
        "latitude": 46.88,
        "longitude": -113.95,
        "open_days": "1111100",
        "courier_stop": "RIV2",
        "is_active": True,
    }


def test_it_gives_null_coordinates_for_a_branch_without_them(world):
    world.elk_main.latitude = None
    world.elk_main.longitude = None
    world.elk_main.save()

    elk = json.loads(members("--json"))[0]

    assert elk["branches"][0]["latitude"] is None
    assert elk["branches"][0]["longitude"] is None
    assert "no coordinates" in members()


def test_it_prints_an_empty_json_list_without_members(db):
    assert json.loads(members("--json")) == []


def test_it_prints_a_readable_table(world):
    out = members()

    assert "RIV        Riverton City Library  [City system, Active, 2 branches]" in out
    assert "PINE-" not in out
    pine = next(line for line in out.splitlines() if line.startswith("  PINE "))
    assert "-T-T-S-" in pine  # open Tue, Thu, Sat
    assert "47.50000, -111.30000" in pine
    assert out.rstrip().endswith("3 member libraries, 4 branches.")


def test_it_says_how_to_add_members_when_there_are_none(db):
    assert "onelibrary load-demo" in members()
