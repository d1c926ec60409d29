"""Transit fixtures: the shared world with its rules, and a fixed Monday."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from onelibrary.catalog.models import Item
from onelibrary.courier.management.commands.courier_matrix import fill_courier_days
from onelibrary.policy.models import GroupPolicy


@pytest.fixture
def monday():
    return timezone.make_aware(dt.datetime(2026, 11, 2, 12, 0))


@pytest.fixture
def tw(world, rules, settings):
    """The shared world ready for circulation and holds (as tests/holds' `hw`): its rules,
    year-old copies, courier days from the distance matrix, the group policy."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    Item.objects.update(created_at=timezone.now() - dt.timedelta(days=365))
    fill_courier_days()
    GroupPolicy.objects.create()
    for item in (world.dune_riv, world.dune_pine):
        item.refresh_from_db()
    return world


def copy_of(world, barcode: str, *, at, home=None) -> Item:
    """Another copy of Dune, shelved at `home` (default `at`), now at `at`."""
    home = home or at
    return Item.objects.create(
        barcode=barcode,
        title=world.dune,
        owning_library=home.library,
        home_branch=home,
        current_branch=at,
        item_type="book",
        collection="ADULT",
        created_at=timezone.now() - dt.timedelta(days=365),
    )
