"""My account shows the patron's charges with what was paid, waived and refunded: read
only, and only their own."""

from __future__ import annotations

from onelibrary.circulation import money
from tests.circulation.money_world import charge


def test_it_shows_charges_with_their_payments_read_only(accounts, ada):
    world = accounts.world
    fine = charge(world.ada, world.dune_riv, "12.00")
    charge(world.ben, world.dune_pine, "3.00")  # Ben's: never on Ada's page
    money.take_payment(world.desk_riv, world.riv_main, world.ada, "5.00", "card")
    money.waive(world.admin_riv, world.riv_main, fine, "1.00", "staff note, not for the patron")
    page = ada.get("/account/").content.decode()
    assert "Charges and payments" in page
    assert "Overdue fine</strong>: Dune — $12.00 to Riverton City Library" in page
    assert "$6.00 still to pay" in page
    assert "paid $5.00 (card)" in page and "waived $1.00" in page
    assert "staff note" not in page  # the reason is the library's
    assert "$3.00" not in page
    assert "/desk/" not in page  # nothing to pay with here: the desk takes payments


def test_it_says_when_there_are_no_charges(accounts, ada):
    assert "You have no charges." in ada.get("/account/").content.decode()
