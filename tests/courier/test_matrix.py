"""The courier-days matrix (DAYS-3) and the command that fills it from distance (DAYS-4's
estimate): `onelibrary courier-matrix`."""

from __future__ import annotations

import io
from decimal import Decimal

from django.core.management import call_command

from onelibrary.courier.distance import estimated_days, great_circle_km
from onelibrary.courier.models import CourierDays
from onelibrary.members.models import Branch


def days(origin, destination) -> Decimal:
    return CourierDays.objects.get(origin=origin, destination=destination).days


def test_it_fills_courier_days_from_distance(world):
    out = io.StringIO()
    call_command("courier_matrix", stdout=out)
    assert "16 branch pairs written" in out.getvalue()
    assert days(world.riv_main, world.riv_main) == 0
    assert days(world.riv_main, world.riv_east) == 1  # one library
    assert days(world.riv_main, world.pine_main) == Decimal("2.0")  # 215 km: 1 + 0.86
    assert days(world.pine_main, world.elk_main) == days(world.elk_main, world.pine_main)


def test_it_keeps_corrected_courier_days_unless_told_to_replace_them(world):
    call_command("courier_matrix", stdout=io.StringIO())
    CourierDays.objects.filter(origin=world.pine_main, destination=world.elk_main).update(days=5)
    call_command("courier_matrix", stdout=io.StringIO())
    assert days(world.pine_main, world.elk_main) == 5
    call_command("courier_matrix", "--replace", stdout=io.StringIO())
    assert days(world.pine_main, world.elk_main) == 2


def test_it_leaves_out_branches_without_coordinates(world):
    Branch.objects.filter(pk=world.elk_main.pk).update(latitude=None, longitude=None)
    out = io.StringIO()
    call_command("courier_matrix", stdout=out)
    assert "6 pairs left out" in out.getvalue()
    assert (
        not CourierDays.objects.filter(origin=world.elk_main)
        .exclude(destination=world.elk_main)
        .exists()
    )


def test_it_rounds_courier_days_to_half_days():
    near = Branch(pk=1, library_id=1, latitude=Decimal("46.0"), longitude=Decimal("-110.0"))
    far = Branch(pk=2, library_id=2, latitude=Decimal("46.0"), longitude=Decimal("-104.0"))
    km = great_circle_km((46.0, -110.0), (46.0, -104.0))
    assert 460 < km < 470  # 1 + 1.86 days
    assert estimated_days(near, far) == 3.0
