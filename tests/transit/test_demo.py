"""The demo group's copies in transit have real transits, and the shipped ones crates."""

import io

import pytest
from django.core.management import call_command
from django.db.models import F

from onelibrary.catalog.models import Item
from onelibrary.transit.models import Crate, Transit


@pytest.fixture(autouse=True)
def quick_settings(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STATIC_ROOT = tmp_path


def test_it_gives_every_demo_copy_in_transit_an_open_transit_home(db):
    call_command(
        "load_demo", "--titles", "300", "--patrons", "200", "--no-marc", stdout=io.StringIO()
    )
    travelling = Item.objects.filter(status=Item.Status.IN_TRANSIT).exclude(
        current_branch=F("home_branch")
    )
    assert travelling.exists()
    open_ones = Transit.objects.filter(state__in=("waiting", "shipped"))
    assert set(open_ones.values_list("item_id", flat=True)) == set(
        travelling.values_list("pk", flat=True)
    )
    assert not open_ones.exclude(receiver=F("item__home_branch")).exists()
    shipped = open_ones.filter(state="shipped")
    assert shipped.exists() and not shipped.filter(crate__isnull=True).exists()
    crate = Crate.objects.first()
    assert crate.state == "shipped" and crate.label.startswith("CRATE-")
    assert crate.lines.count() == crate.transits.count() > 0
