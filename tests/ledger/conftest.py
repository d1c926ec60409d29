"""Ledger fixtures: the shared world ready for circulation and transit, a policy in force."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from onelibrary.catalog.models import Item
from onelibrary.courier.management.commands.courier_matrix import fill_courier_days
from onelibrary.ledger import policies
from onelibrary.policy.models import GroupPolicy


@pytest.fixture
def monday():
    return timezone.make_aware(dt.datetime(2026, 11, 2, 12, 0))


@pytest.fixture
def lw(world, rules, settings):
    """The shared world with year-old copies, courier days, the group policy, and Dune at
    Riverton priced $24.99."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    Item.objects.update(created_at=timezone.now() - dt.timedelta(days=365))
    Item.objects.filter(pk=world.dune_riv.pk).update(price=Decimal("24.99"))
    fill_courier_days()
    GroupPolicy.objects.create()
    for item in (world.dune_riv, world.dune_pine):
        item.refresh_from_db()
    return world


@pytest.fixture
def usual(db):
    """The usual policy in force: borrower pays price + $5, the group carries the courier."""
    return policies.create("Usual", policies.usual_terms(), adopt=True)
