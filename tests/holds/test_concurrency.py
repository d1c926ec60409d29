"""Two desks at once: routing one title takes turns, and a copy fills one hold."""

from __future__ import annotations

import threading

from django.db import connection

from onelibrary.catalog.models import Item
from onelibrary.circulation import holds_desk
from onelibrary.holds import actions
from onelibrary.holds.actions import HoldError
from onelibrary.holds.models import Hold


def at_once(*calls):
    barrier = threading.Barrier(len(calls))
    results, errors = [], []

    def run(call):
        try:
            barrier.wait()
            results.append(call())
        except HoldError as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def test_it_gives_the_one_copy_to_one_of_two_holds_placed_at_once(transactional_db, hw):
    Item.objects.filter(pk=hw.dune_pine.pk).update(status=Item.Status.CHECKED_OUT)
    results, errors = at_once(
        lambda: actions.place_hold(hw.desk_riv, hw.ada, hw.riv_main, title=hw.dune),
        lambda: actions.place_hold(hw.desk_pine, hw.ben, hw.pine_main, title=hw.dune),
    )
    assert errors == [] and len(results) == 2
    states = sorted(Hold.objects.values_list("state", flat=True))
    assert states == [Hold.State.ROUTED, Hold.State.WAITING]
    assert Hold.objects.get(state=Hold.State.ROUTED).assigned_item == hw.dune_riv


def test_it_pulls_a_copy_scanned_at_two_desks_once(transactional_db, hw):
    hold = actions.place_hold(hw.desk_riv, hw.ada, hw.pine_main, item=hw.dune_riv).hold
    results, errors = at_once(
        lambda: holds_desk.pull_copy(hw.desk_riv, hw.riv_main, hw.dune_riv),
        lambda: holds_desk.pull_copy(hw.admin_riv, hw.riv_main, hw.dune_riv),
    )
    assert len(results) == 1 and len(errors) == 1
    assert errors[0].code in ("not_on_pick_list", "hold_changed")
    hold.refresh_from_db()
    assert hold.state == Hold.State.IN_TRANSIT
    assert hold.events.filter(kind="in_transit").count() == 1
