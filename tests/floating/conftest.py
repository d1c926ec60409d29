"""Floating fixtures on the shared test world.

`fw`: Riverton floats its ADULT collection within the float group "west" (RIV and PINE;
ELK is outside it), nearby = 2 courier days. Courier days (holds.CourierDays, both ways):
PINE–RIV-MAIN 1, PINE–RIV-EAST 1.5, RIV-MAIN–RIV-EAST 1, ELK–anything 3. Dune's RIV copy
is on loan to Ada, so each test can return it somewhere.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from onelibrary.catalog.models import Item
from onelibrary.circulation import actions as circulation
from onelibrary.courier.models import CourierDays
from onelibrary.floating import actions
from onelibrary.policy.models import GroupPolicy

A_YEAR_AGO = timezone.now() - dt.timedelta(days=365)


def courier(a, b, days):
    CourierDays.objects.create(origin=a, destination=b, days=Decimal(str(days)))
    CourierDays.objects.create(origin=b, destination=a, days=Decimal(str(days)))


@pytest.fixture
def fw(world, rules):
    GroupPolicy.objects.create()
    Item.objects.update(created_at=A_YEAR_AGO)
    west = actions.save_group(world.central, "west", "West floats", [world.riverton, world.pine])
    actions.save_rule(world.central, world.riverton, collection="ADULT", group=west)
    courier(world.pine_main, world.riv_main, 1)
    courier(world.pine_main, world.riv_east, 1.5)
    courier(world.riv_main, world.riv_east, 1)
    for branch in (world.riv_main, world.riv_east, world.pine_main):
        courier(world.elk_main, branch, 3)
    circulation.check_out(world.central, world.riv_main, world.ada, world.dune_riv)
    world.dune_riv.refresh_from_db()
    return world


def floating_copies(world, n: int, branch, *, prefix: str = "3100000099", collection="ADULT"):
    """`n` more floating RIV copies of Dune whose home (and place) is `branch`."""
    return [
        Item.objects.create(
            barcode=f"{prefix}{i:04d}",
            title=world.dune,
            owning_library=world.riverton,
            home_branch=branch,
            current_branch=branch,
            item_type="book",
            collection=collection,
            floating=True,
            created_at=A_YEAR_AGO,
        )
        for i in range(n)
    ]


def fresh(obj):
    obj.refresh_from_db()
    return obj
