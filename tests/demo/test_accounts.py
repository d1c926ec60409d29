"""The demo group's accounts (demo/accounts.py): a year of losses, damages and payments
booked through the real actions, one dispute open and one decided, ready to settle."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from onelibrary.ledger import settlement
from onelibrary.ledger.models import DamageReport, Decision, Entry, Photo, ReplacementPolicy

QUICK = ("--titles", "300", "--patrons", "200", "--no-marc")


@pytest.fixture(autouse=True)
def quick_settings(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }


def test_the_demo_comes_with_a_year_of_accounts_and_two_disputes(db, tmp_path):
    call_command("load_demo", "--seed", "1", *QUICK, stdout=io.StringIO())
    assert ReplacementPolicy.objects.get(in_force=True).name == "Group replacement policy"
    decisions = set(Entry.objects.values_list("decision", flat=True))
    assert {"LEDGER-1", "LEDGER-2", "DISPUTE-12"} <= decisions
    first, last = Entry.objects.order_by("occurred_at").values_list("occurred_at", flat=True)[
        :: Entry.objects.count() - 1
    ]
    assert (last - first).days > 200  # the losses are spread over the year
    states = sorted(DamageReport.objects.values_list("state", flat=True))
    assert states == ["decided", "disputed"]
    assert Decision.objects.get().reason
    assert Photo.objects.count() >= 2
    assert all((tmp_path / "media" / p.file.name).is_file() for p in Photo.objects.all())
    month = settlement.settle(settlement.period(f"{timezone.localdate():%Y-%m}"))
    assert month.payments and sum(month.balances.values()) == 0
