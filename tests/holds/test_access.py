"""holds.access: whose business a hold is (docs/architecture.md, 'Permissions')."""

from __future__ import annotations

import pytest

from onelibrary.catalog.models import Item
from onelibrary.holds.access import access_hold
from onelibrary.holds.actions import place_hold
from onelibrary.holds.models import Hold
from onelibrary.members.access import NotFound
from onelibrary.members.models import Library
from tests.conftest import make_staff

from .conftest import A_YEAR_AGO, make_copy, make_title

pytestmark = pytest.mark.django_db


@pytest.fixture
def routed(hw) -> Hold:
    """Ben (PINE) holds Piranesi for pickup at PINE; its one copy is Elk Valley's and is
    at Riverton Main now, so Riverton lends it and Elk Valley owns it."""
    title = make_title("Piranesi")
    Item.objects.create(
        barcode="35000000000013",
        title=title,
        owning_library=hw.elk,
        home_branch=hw.elk_main,
        current_branch=hw.riv_main,
        item_type="book",
        collection="ADULT",
        created_at=A_YEAR_AGO,
    )
    hold = place_hold(hw.desk_pine, hw.ben, hw.pine_main, title=title).hold
    hold.refresh_from_db()
    assert hold.state == Hold.State.ROUTED
    return hold


def may(user, hold: Hold, *, for_change: bool) -> bool:
    try:
        access_hold(user, hold.pk, for_change=for_change)
    except NotFound:
        return False
    return True


def test_the_patron_s_library_and_its_pickup_branch_may_act(hw, routed):
    assert may(hw.desk_pine, routed, for_change=True)


def test_the_lending_branch_may_act_on_another_member_s_hold(hw, routed):
    assert may(hw.desk_riv, routed, for_change=True)
    assert may(hw.admin_riv, routed, for_change=True)


def test_the_copy_s_owner_may_look_but_not_change(hw, routed):
    elk = make_staff("desk.elk", "desk", hw.elk)
    assert may(elk, routed, for_change=False)
    assert not may(elk, routed, for_change=True)


def test_a_library_with_no_part_in_it_sees_nothing_and_the_central_office_all(hw, routed):
    ash = Library.objects.create(code="ASH", name="Ash Springs Library", size_class="medium")
    outsider = make_staff("desk.ash", "desk", ash)
    assert not may(outsider, routed, for_change=False)
    assert may(hw.central, routed, for_change=True)


def test_the_pickup_branch_of_another_member_may_act_before_any_copy_is_routed(hw):
    title = make_title("Kindred")  # its one copy is out on loan: the hold waits
    make_copy(hw, title, "35000000000021", status=Item.Status.CHECKED_OUT)
    hold = place_hold(hw.desk_riv, hw.ada, hw.pine_main, title=title).hold
    assert hold.state == Hold.State.WAITING
    assert may(hw.desk_pine, hold, for_change=True)  # pickup at PINE
    assert may(hw.desk_riv, hold, for_change=True)  # Ada's home library
    elk = make_staff("desk.elk", "desk", hw.elk)
    assert not may(elk, hold, for_change=False)


def test_an_unknown_id_and_another_s_hold_are_refused_alike(hw, routed):
    elk_outsider = make_staff("desk.elk", "desk", hw.elk)
    with pytest.raises(NotFound) as theirs:
        access_hold(elk_outsider, routed.pk, for_change=True)
    with pytest.raises(NotFound) as nobody:
        access_hold(elk_outsider, 999999, for_change=True)
    assert theirs.value.code == nobody.value.code == "unknown_hold"
    assert theirs.value.message.replace(str(routed.pk), "N") == nobody.value.message.replace(
        "999999", "N"
    )
