"""Who may move a transit (docs/transit.md): staff in their role, the system when no
staff acts; a move the role may not make is refused with nothing changed."""

import pytest

from onelibrary.core.states import SYSTEM
from onelibrary.transit.actions import TransitError, move, role_for, send_item
from onelibrary.transit.models import Transit

from .conftest import copy_of

pytestmark = pytest.mark.django_db


def test_no_staff_is_the_system_not_the_central_office(tw):
    assert role_for(None, tw.pine_main) == SYSTEM
    assert role_for(tw.desk_pine, tw.pine_main) == "desk"


def test_the_system_opens_a_transit_but_may_not_pack_it(tw, monday):
    item = copy_of(tw, "31000000000029", at=tw.pine_main, home=tw.riv_main)
    transit = send_item(None, item, tw.pine_main, tw.riv_main, reason="return_home", now=monday)
    assert transit.state == Transit.State.WAITING
    with pytest.raises(TransitError, match=r"Your role \(system\) may not pack a transit"):
        move(transit, "pack", SYSTEM)
    assert Transit.objects.get(pk=transit.pk).state == Transit.State.WAITING
