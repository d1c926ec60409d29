"""Two desks (or a double click) sending the same payment form at the same moment take the
money once (MONEY-5): the second waits for the first's lock on the patron's charges, then
finds its token. On PostgreSQL the two run truly at once; on SQLite the second writer
waits for the first (BEGIN IMMEDIATE)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from onelibrary.circulation import money
from onelibrary.circulation.models import ChargeEntry, Payment
from tests.circulation.money_world import charge

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_money_5_the_same_form_sent_twice_at_once_pays_once(world, rules):
    charge(world.ada, world.dune_riv, "12.00")
    start = threading.Barrier(2)
    taken: list[money.Taken] = []
    errors: list[BaseException] = []

    def submit() -> None:
        try:
            start.wait()
            taken.append(
                money.take_payment(
                    world.desk_riv, world.riv_main, world.ada, "12.00", "cash", token="race-1234"
                )
            )
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert sorted(t.repeated for t in taken) == [False, True]
    assert Payment.objects.count() == 1
    assert ChargeEntry.objects.count() == 1
