"""A leaving member's reconciliation (MEMBER-9): what it has out and in, its holds, its
patrons; the actions that settle each; and leaving refused until it is clear."""

from __future__ import annotations

from decimal import Decimal

import pytest

from onelibrary.circulation.actions import check_in, check_out
from onelibrary.governance import actions, reconcile
from onelibrary.governance.actions import GovernanceError
from onelibrary.holds import actions as holds
from onelibrary.holds.models import Hold
from onelibrary.ledger import book
from onelibrary.members.models import Library
from onelibrary.patrons.models import Patron, PatronAudit
from tests.holds.conftest import make_copy, make_title

pytestmark = pytest.mark.django_db
S = Library.Status


@pytest.fixture
def leaving(hw):
    """Pine Creek, about to leave: its Dune lent to Ada (RIV); Riverton's Piranesi lent to
    Ben (PINE); Ada's hold on Piranesi for pickup at PINE; a hold of Ada's on Pine's Circe,
    routed to Pine's copy. Then Pine Creek gives notice."""
    check_out(hw.desk_pine, hw.pine_main, hw.ada, hw.dune_pine)
    piranesi = make_title("Piranesi")
    theirs = make_copy(hw, piranesi, "31000000000300", hw.riverton, hw.riv_main)
    check_out(hw.desk_riv, hw.riv_main, hw.ben, theirs)
    make_copy(hw, piranesi, "31000000000301", hw.riverton, hw.riv_east)
    for_pickup_here = holds.place_hold(hw.desk_riv, hw.ada, hw.pine_main, title=piranesi).hold
    circe = make_title("Circe")
    make_copy(hw, circe, "32000000000302", hw.pine, hw.pine_main)
    on_its_copy = holds.place_hold(hw.desk_riv, hw.ada, hw.riv_main, title=circe).hold
    assert on_its_copy.state == Hold.State.ROUTED
    actions.change_status(hw.central, hw.pine, "give_notice")
    hw.pine.refresh_from_db()
    return hw, for_pickup_here, on_its_copy, theirs


def test_member_9_the_reconciliation_lists_what_must_be_settled(leaving):
    w, for_pickup_here, on_its_copy, theirs = leaving
    found = reconcile.reconcile(w.pine)
    assert [i.barcode for i in found.out_at_others] == [w.dune_pine.barcode]
    assert [i.barcode for i in found.others_here] == [theirs.barcode]
    assert found.holds_here == [for_pickup_here]
    assert found.holds_on_its_copies == [on_its_copy]
    assert found.patrons == [w.ben]
    assert found.balance.known and found.balance.amount == 0
    assert not found.cleared
    with pytest.raises(GovernanceError) as refused:
        actions.change_status(w.central, w.pine, "leave")
    assert refused.value.decision == "MEMBER-9"
    assert "1 of its copies out at other members" in refused.value.message
    w.pine.refresh_from_db()
    assert w.pine.status == S.LEAVING


def test_member_9_settled_it_leaves(leaving):
    w, for_pickup_here, on_its_copy, theirs = leaving
    actions.reroute_hold(w.central, w.pine, on_its_copy)
    on_its_copy.refresh_from_db()
    assert on_its_copy.state == Hold.State.WAITING  # no other copy: it waits, not on Pine's
    actions.cancel_hold(w.central, w.pine, on_its_copy)
    actions.move_pickup(w.central, w.pine, for_pickup_here, w.riv_main)
    for_pickup_here.refresh_from_db()
    assert for_pickup_here.pickup_branch == w.riv_main
    check_in(w.desk_riv, w.riv_main, w.dune_pine)  # Ada returns Pine's Dune at Riverton…
    check_in(w.desk_pine, w.pine_main, w.dune_pine)  # …it comes home (the courier between)
    check_in(w.desk_pine, w.pine_main, theirs)  # Ben returns Riverton's Piranesi at Pine…
    check_in(w.desk_riv, w.riv_main, theirs)  # …and it goes home
    assert actions.move_patrons(w.central, w.pine, w.elk) == 1
    assert Patron.objects.get(pk=w.ben.pk).home_library == w.elk
    assert PatronAudit.objects.filter(patron=w.ben, action=PatronAudit.Action.HOME_CHANGE).exists()
    found = reconcile.reconcile(w.pine)
    assert found.cleared, found.what_remains()
    actions.change_status(w.central, w.pine, "leave")
    w.pine.refresh_from_db()
    assert w.pine.status == S.LEFT


def test_its_actions_are_the_central_offices_and_for_a_leaving_member_only(leaving):
    w, for_pickup_here, on_its_copy, _ = leaving
    with pytest.raises(GovernanceError):
        actions.cancel_hold(w.desk_pine, w.pine, for_pickup_here)
    with pytest.raises(GovernanceError) as refused:
        actions.reroute_hold(w.central, w.riverton, on_its_copy)
    assert refused.value.code == "not_leaving"
    for_pickup_here.refresh_from_db()
    assert for_pickup_here.state in (Hold.State.WAITING, Hold.State.ROUTED)


def test_the_page_lists_it_with_its_actions_and_acts(leaving):
    from django.test import Client

    from tests.conftest import PASSWORD

    w, for_pickup_here, on_its_copy, _ = leaving
    client = Client()
    client.login(username="central", password=PASSWORD)
    page = client.get("/governance/members/PINE/reconcile/").content.decode()
    assert "Not cleared yet" in page
    assert w.dune_pine.barcode in page and "Re-route to another copy" in page
    assert "Move all 1 to" in page and "Ben" not in page  # patrons as a count, not by name
    client.post(
        "/governance/members/PINE/reconcile/step/", {"what": "cancel", "hold": on_its_copy.pk}
    )
    on_its_copy.refresh_from_db()
    assert on_its_copy.state == Hold.State.CANCELLED


def test_member_9_a_balance_this_month_keeps_it_from_leaving(hw):
    actions.change_status(hw.central, hw.pine, "give_notice")
    book.post(
        kind="replacement",
        debtor=hw.pine,
        creditor=hw.riverton,
        amount=Decimal("24.99"),
        source=("test", 1),
        reason="Dune, lost by a Pine Creek patron",
        decision="LEDGER-1",
    )
    found = reconcile.reconcile(hw.pine)
    assert found.balance == reconcile.Balance(Decimal("24.99"), known=True)
    assert "a balance of $24.99 with the group" in found.what_remains()
    with pytest.raises(GovernanceError) as refused:
        actions.change_status(hw.central, hw.pine, "leave")
    assert refused.value.decision == "MEMBER-9"
    assert reconcile.reconcile(hw.riverton).balance.amount == Decimal("-24.99")
