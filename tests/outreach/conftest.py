"""Outreach on the test world: a partner of Riverton's (a literacy council), one of Pine
Creek's, and logged-in clients for the staff."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client

from onelibrary.outreach import actions, mou
from onelibrary.outreach.models import Memorandum, Partner, PartnerKind
from tests.conftest import PASSWORD, World

# Every section written, in words a librarian would use (none of the avoided terms).
FULL = {s.key: f"{s.title}: what we agreed." for s in mou.SECTIONS}


@dataclass(frozen=True)
class Outreach:
    world: World
    literacy: Partner  # Riverton's
    theatre: Partner  # Pine Creek's


def client_for(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def kind(name_start: str) -> PartnerKind:
    return PartnerKind.objects.get(name__startswith=name_start)


@pytest.fixture
def outreach(world, settings) -> Outreach:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    literacy = actions.create_partner(
        world.admin_riv,
        name="Riverton Literacy Council",
        kind=kind("Community services"),
        libraries=[world.riverton],
        partner_offers="Volunteer tutors",
        library_offers="Rooms on weekday evenings",
    )
    theatre = actions.create_partner(
        world.desk_pine, name="Pine Creek Players", kind=kind("Cultural"), libraries=[world.pine]
    )
    return Outreach(world=world, literacy=literacy, theatre=theatre)


def full_memo(outreach: Outreach) -> Memorandum:
    memo = actions.start_memorandum(
        outreach.world.admin_riv, outreach.literacy, title="Homework help MOU"
    )
    for key, text in FULL.items():
        memo = actions.save_section(outreach.world.admin_riv, memo, key=key, text=text)
    return memo
