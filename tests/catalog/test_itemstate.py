"""The copy's state table (docs/circulation/item-states.md), and its one writer."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from onelibrary.catalog import itemstate
from onelibrary.catalog.models import Item
from onelibrary.core.states import CENTRAL_OFFICE, DESK, LIBRARY_ADMIN, PATRON, SYSTEM

S = Item.Status
SRC = Path(__file__).resolve().parents[2] / "src" / "onelibrary"


def after(before: str, trigger: str, role: str = DESK) -> str:
    return itemstate.TABLE.next_state(before, trigger, role)


def test_it_item_1_lends_from_the_shelf_the_hold_shelf_or_a_transit_not_yet_gone():
    for before in (S.AVAILABLE, S.ON_HOLD_SHELF, S.IN_TRANSIT):
        assert after(before, "lend") == S.CHECKED_OUT
    with pytest.raises(itemstate.TransitionError, match="'Lost' cannot be given 'lend'"):
        after(S.LOST, "lend")
    with pytest.raises(itemstate.TransitionError):
        after(S.AVAILABLE, "lend", SYSTEM)


def test_it_item_2_shelves_a_returned_received_or_found_copy():
    for before in (S.CHECKED_OUT, S.IN_TRANSIT, S.LOST, S.MISSING, S.ON_HOLD_SHELF):
        assert after(before, "shelve", SYSTEM) == S.AVAILABLE


def test_it_item_3_sends_a_copy_and_a_copy_in_transit_on():
    assert after(S.CHECKED_OUT, "send") == S.IN_TRANSIT
    assert after(S.IN_TRANSIT, "send", SYSTEM) == S.IN_TRANSIT
    with pytest.raises(itemstate.TransitionError):
        after(S.WITHDRAWN, "send")


def test_it_item_4_puts_a_copy_on_the_hold_shelf():
    assert after(S.IN_TRANSIT, "hold_shelf", SYSTEM) == S.ON_HOLD_SHELF
    with pytest.raises(itemstate.TransitionError):
        after(S.DAMAGED, "hold_shelf")


def test_it_item_5_declares_a_copy_missing():
    for before in (S.AVAILABLE, S.CHECKED_OUT, S.IN_TRANSIT):
        assert after(before, "declare_missing", SYSTEM) == S.MISSING


def test_it_item_6_marks_a_borrowed_copy_lost():
    assert after(S.CHECKED_OUT, "mark_lost") == S.LOST
    assert after(S.MISSING, "mark_lost", SYSTEM) == S.LOST
    with pytest.raises(itemstate.TransitionError):
        after(S.AVAILABLE, "mark_lost")


def test_it_item_7_marks_damage_by_staff_only():
    assert after(S.AVAILABLE, "mark_damaged") == S.DAMAGED
    with pytest.raises(itemstate.TransitionError, match="may not mark damaged"):
        after(S.AVAILABLE, "mark_damaged", SYSTEM)


def test_it_item_8_and_item_9_send_a_copy_to_processing_and_back():
    assert after(S.DAMAGED, "process") == S.IN_PROCESSING
    assert after(S.IN_PROCESSING, "shelve") == S.AVAILABLE
    assert after(S.DAMAGED, "shelve") == S.AVAILABLE
    with pytest.raises(itemstate.TransitionError):
        after(S.DAMAGED, "shelve", SYSTEM)


def test_it_item_10_and_item_11_withdraw_and_reinstate_by_an_admin_only():
    for role in (LIBRARY_ADMIN, CENTRAL_OFFICE):
        assert after(S.DAMAGED, "withdraw", role) == S.WITHDRAWN
        assert after(S.WITHDRAWN, "reinstate", role) == S.AVAILABLE
    for role in (DESK, SYSTEM, PATRON):
        with pytest.raises(itemstate.TransitionError):
            after(S.DAMAGED, "withdraw", role)


def test_it_has_a_trigger_into_every_status():
    assert set(itemstate.TRIGGER_FOR) == set(S)
    for status, trigger in itemstate.TRIGGER_FOR.items():
        assert any(t.after == status for t in itemstate.TABLE.transitions if t.trigger == trigger)


def test_the_docs_list_every_trigger_of_the_table():
    doc = (SRC.parents[1] / "docs" / "circulation" / "item-states.md").read_text()
    listed = set(re.findall(r"^\| ITEM-\d+ \| (\w+) \|", doc, re.M))
    assert listed == itemstate.TABLE.triggers()


STATE = r"(?:status|current_branch|home_branch)"
WRITES = re.compile(
    # Item.objects….update(…status=…): a bulk write of a state field
    r"\bItem\.objects(?:\s*\.\s*[a-z_]+\((?:[^()]|\([^()]*\))*\))*\s*\.\s*update\("
    rf"(?:[^()]|\([^()]*\))*\b{STATE}\s*="
    # item.status = …: a field set on a copy (then saved)
    rf"|\b\w*item\.{STATE}\s*=[^=]",
    re.S,
)


def test_the_check_finds_a_write_outside_the_module():
    assert WRITES.search('Item.objects.filter(pk=item.pk).update(\n    status="lost"\n)')
    assert WRITES.search("Item.objects.filter(pk=item.pk).update(current_branch=branch)")
    assert WRITES.search("    item.current_branch = branch")
    assert not WRITES.search("CrateItem.objects.filter(crate=crate).update(arrived_at=now)")
    assert not WRITES.search("Item.objects.filter(x=1).exclude(y=2).update(floating=True)")
    assert not WRITES.search("Item.objects.filter(pk=1).first()\nHold.objects.update(x=1)")


def test_no_code_but_the_item_state_module_writes_a_copys_state():
    offenders = []
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts or path.name == "itemstate.py":
            continue
        for statement in path.read_text().split("\n\n"):
            if WRITES.search(statement):
                offenders.append(f"{path.relative_to(SRC)}: {statement.strip()[:80]}")
    assert offenders == []


@pytest.mark.django_db
def test_a_move_from_a_stale_row_is_refused_and_changes_nothing(world):
    stale = Item.objects.get(pk=world.dune_riv.pk)
    fresh = Item.objects.get(pk=world.dune_riv.pk)
    itemstate.move(fresh, "send", SYSTEM, at=world.pine_main)
    with pytest.raises(itemstate.ItemChanged, match="Scan it again"):
        itemstate.move(stale, "lend", DESK, at=world.riv_main)
    row = Item.objects.get(pk=world.dune_riv.pk)
    assert (row.status, row.current_branch_id) == (S.IN_TRANSIT, world.pine_main.pk)


@pytest.mark.django_db
def test_reserve_gives_only_an_available_copy(world):
    assert itemstate.reserve(world.dune_riv.pk)
    assert Item.objects.get(pk=world.dune_riv.pk).status == S.AVAILABLE
    itemstate.move(Item.objects.get(pk=world.dune_riv.pk), "lend", DESK, at=world.riv_main)
    assert not itemstate.reserve(world.dune_riv.pk)


@pytest.mark.django_db
def test_the_hand_written_update_does_what_the_orms_would(world):
    from onelibrary.catalog.itemstate import _update_if

    orm_copy, sql_copy = world.dune_riv, world.dune_pine
    changes = {"status": S.IN_TRANSIT, "current_branch": world.elk_main, "floating": True}
    Item.objects.filter(pk=orm_copy.pk, status=S.AVAILABLE).update(**changes)
    columns = {"status": S.IN_TRANSIT, "current_branch_id": world.elk_main.pk, "floating": True}
    assert _update_if(sql_copy.pk, S.AVAILABLE, columns) == 1
    assert _update_if(sql_copy.pk, S.AVAILABLE, columns) == 0  # no longer available
    fields = ("status", "current_branch_id", "home_branch_id", "floating")
    by_orm = Item.objects.filter(pk=orm_copy.pk).values(*fields).get()
    by_sql = Item.objects.filter(pk=sql_copy.pk).values(*fields).get()
    assert by_sql == {**by_orm, "home_branch_id": sql_copy.home_branch_id}
    with pytest.raises(AssertionError):
        _update_if(sql_copy.pk, S.IN_TRANSIT, {"barcode": "x"})
