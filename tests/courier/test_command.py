"""onelibrary courier-days FROM TO [--on YYYY-MM-DD]."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from onelibrary.courier.models import CourierDays
from onelibrary.members.models import Branch


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("courier_days", *args, stdout=out)
    return out.getvalue()


def test_it_prints_the_answer_and_its_legs(world, courier):
    assert run("RIV-MAIN", "pine", "--on", "2030-01-07") == (
        "RIV-MAIN -> PINE, shipped Mon 2030-01-07: 3 days, arrives Thu 2030-01-10, "
        "from the route schedule (DAYS-2).\n"
        "  1. route WEST picks up at RIV-MAIN on Mon 07 Jan, to hub MID\n"
        "  2. changes vans at hub MID: 1 transfer day\n"
        "  3. route EAST delivers to PINE on Thu 10 Jan\n"
    )


def test_it_prints_a_direct_trip_and_no_route(world, courier):
    assert run("RIV-MAIN", "RIV-EAST", "--on", "2030-01-07").splitlines() == [
        "RIV-MAIN -> RIV-EAST, shipped Mon 2030-01-07: 1 day, arrives Tue 2030-01-08, "
        "from the route schedule (DAYS-2).",
        "  1. route WEST picks up at RIV-MAIN on Mon 07 Jan and delivers to RIV-EAST on Tue 08 Jan",
    ]
    Branch.objects.filter(pk=world.elk_main.pk).update(latitude=None, longitude=None)
    assert run("ELK", "PINE", "--on", "2030-01-07").splitlines() == [
        "ELK -> PINE, shipped Mon 2030-01-07: no route: no route, no table row and no "
        "coordinates to estimate from (DAYS-5).",
        "  ELK is not a stop on any courier route.",
    ]


def test_it_says_where_a_figure_off_the_routes_comes_from(world, courier):
    CourierDays.objects.create(origin=world.elk_main, destination=world.pine_main, days=2)
    assert run("ELK", "PINE", "--on", "2030-01-07").splitlines() == [
        "ELK -> PINE, shipped Mon 2030-01-07: 2 days, arrives Wed 2030-01-09, from the "
        "courier-days table (no route connects the two branches) (DAYS-3).",
        "  ELK is not a stop on any courier route.",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("NOWHERE", "PINE"), "No branch has the code 'NOWHERE'"),
        (("PINE", ""), "Type the receiving branch's code."),
        (("PINE", "ELK", "--on", "2030-13-01"), "is not a date: write it as YYYY-MM-DD"),
        (("PINE", "ELK", "--on", "9999-01-01"), "years from today"),
    ],
)
def test_it_refuses_bad_codes_and_dates_with_exit_code_2(world, courier, args, message):
    with pytest.raises(CommandError) as refused:
        run(*args)
    assert message in str(refused.value) and refused.value.returncode == 2


def test_the_onelibrary_command_exits_with_2(world, courier, capsys):
    from onelibrary.cli import main

    with pytest.raises(SystemExit) as stopped:
        main(["courier-days", "NOWHERE", "PINE"])
    assert stopped.value.code == 2
    assert "No branch has the code 'NOWHERE'" in capsys.readouterr().err
