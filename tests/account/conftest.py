"""Account fixtures: the holds-ready world (tests/holds/conftest.py), PINs for Ada and Ben,
a loan each, a hold each, and logged-in clients.

Ada (RIV) has PIN 2468, Ben (PINE) 1357. Ada borrows Dune's Riverton copy; Ben borrows a
copy of *Piranesi* at PINE. Each holds a title the other has not.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth.hashers import make_password
from django.test import Client

from onelibrary.account.models import PatronPin
from onelibrary.circulation import actions as circulation
from onelibrary.circulation.models import Loan
from onelibrary.holds import actions as holds
from onelibrary.holds.models import Hold
from onelibrary.patrons.models import Patron
from tests.holds.conftest import hw, make_copy, make_title  # noqa: F401  (fixture)

ADA_PIN = "2468"
BEN_PIN = "1357"


def give_pin(patron: Patron, pin: str) -> PatronPin:
    return PatronPin.objects.create(patron=patron, pin_hash=make_password(pin), set_by="staff")


def logged_in(card: str, pin: str, **client_args) -> Client:
    client = Client(**client_args)
    response = client.post("/account/login/", {"card": card, "pin": pin})
    assert response.status_code == 302, response.content.decode()
    return client


@dataclass(frozen=True)
class Accounts:
    world: object
    ada_loan: Loan
    ben_loan: Loan
    ada_hold: Hold
    ben_hold: Hold


@pytest.fixture
def pins(hw):  # noqa: F811
    give_pin(hw.ada, ADA_PIN)
    give_pin(hw.ben, BEN_PIN)
    return hw


@pytest.fixture
def accounts(pins) -> Accounts:
    world = pins
    ada_loan = circulation.check_out(world.desk_riv, world.riv_main, world.ada, world.dune_riv).loan
    piranesi = make_title("Piranesi")
    ben_copy = make_copy(world, piranesi, "32000000000027", world.pine, world.pine_main)
    ben_loan = circulation.check_out(world.desk_pine, world.pine_main, world.ben, ben_copy).loan
    # Ada holds Piranesi (Ben has the only copy: it waits); Ben holds Dune (PINE's copy).
    ada_hold = holds.place_hold(None, world.ada, world.riv_main, title=piranesi).hold
    ben_hold = holds.place_hold(None, world.ben, world.pine_main, title=world.dune).hold
    return Accounts(world, ada_loan, ben_loan, ada_hold, ben_hold)


@pytest.fixture
def ada(pins) -> Client:
    return logged_in(pins.ada.card, ADA_PIN)


@pytest.fixture
def ben(pins) -> Client:
    return logged_in(pins.ben.card, BEN_PIN)
