"""The demo group's floating collections (demo/floating.py)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from onelibrary.catalog.models import Item
from onelibrary.floating import placement, report
from onelibrary.floating.models import Capacity, FloatGroup, FloatRule


@pytest.fixture(autouse=True)
def quick_settings(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STATIC_ROOT = tmp_path


def test_it_gives_the_demo_float_groups_rules_and_capacities_to_balance(db):
    call_command(
        "load_demo", "--titles", "600", "--patrons", "100", "--no-marc", stdout=io.StringIO()
    )
    groups = list(FloatGroup.objects.order_by("code"))
    assert [g.code for g in groups] == ["east", "west"]
    assert all(g.libraries.exists() for g in groups)
    assert FloatRule.objects.filter(floats=True).exists()
    assert Capacity.objects.exists()
    for item in Item.objects.filter(collection__in=("DVD", "NEW", "AUDIO"))[:200]:
        assert placement.floating_of(item).floats == item.floating  # flag and rule agree
    figures = [
        c for g in groups for c in report.for_group(g, timezone.localdate()) if c.suggestions
    ]
    assert figures, "the demo has no surplus for the balancing page to suggest moving"
