"""Circulation fixtures: the group's rules on top of the shared test world."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from onelibrary.policy.models import CirculationRule


@pytest.fixture
def rules(world):
    """A group default (21 days, 2 renewals, 30 items, fine-free, $10 blocks) and PINE's
    override that fines 25 cents a day, capped at $5."""
    default = CirculationRule.objects.create(
        name="Group default",
        loan_days=21,
        renewals_allowed=2,
        max_items_out=30,
        fine_per_day=None,
        fine_cap=None,
        fine_block_threshold=Decimal("10.00"),
        holdable=True,
    )
    pine = CirculationRule.objects.create(
        name="Pine Creek fines",
        library=world.pine,
        fine_per_day=Decimal("0.25"),
        fine_cap=Decimal("5.00"),
    )
    return {"default": default, "pine": pine}


@pytest.fixture
def monday_noon():
    """A fixed Monday, so due dates and closed days are predictable."""
    return timezone.make_aware(dt.datetime(2026, 11, 2, 12, 0))
