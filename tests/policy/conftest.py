"""Policy fixtures: the group's rules, with one member overriding DVDs and one fining."""

from __future__ import annotations

from decimal import Decimal

import pytest

from onelibrary.catalog.models import Item, Title
from onelibrary.policy.models import CirculationRule


@pytest.fixture
def rules(world):
    """Group default 21 days, DVDs 14; Pine Creek lends DVDs for 7 days and fines."""
    dvd = Title.objects.create(title="Arrival", format=Title.Format.VIDEO, title_key="arrival")
    Item.objects.create(
        barcode="31000000000029",
        title=dvd,
        owning_library=world.riverton,
        home_branch=world.riv_main,
        current_branch=world.riv_main,
        item_type="dvd",
    )
    return {
        "default": CirculationRule.objects.create(
            name="Group default",
            loan_days=21,
            renewals_allowed=2,
            max_items_out=30,
            fine_block_threshold=Decimal("10.00"),
            holdable=True,
        ),
        "dvds": CirculationRule.objects.create(name="Group DVDs", item_type="dvd", loan_days=14),
        "pine_dvds": CirculationRule.objects.create(
            name="Pine Creek DVDs", library=world.pine, item_type="dvd", loan_days=7
        ),
        "pine_fines": CirculationRule.objects.create(
            name="Pine Creek fines",
            library=world.pine,
            fine_per_day=Decimal("0.25"),
            fine_cap=Decimal("5.00"),
        ),
    }
