"""Placing a hold: on a title or one copy, the limits and refusals, routing on placement."""

from __future__ import annotations

import datetime as dt

import pytest

from onelibrary.account import access as account_access
from onelibrary.catalog.models import Item
from onelibrary.circulation import actions as circulation
from onelibrary.circulation import holds_desk
from onelibrary.holds import actions, routing
from onelibrary.holds.actions import HoldError
from onelibrary.holds.forms import PlaceHoldForm
from onelibrary.holds.models import Hold, HoldEvent
from onelibrary.members.models import Branch, Library
from onelibrary.policy.models import CirculationRule
from tests.holds.conftest import fresh, make_copy, make_title


def place(world, patron=None, pickup=None, **what):
    what.setdefault("title", None if "item" in what else world.dune)
    return actions.place_hold(world.desk_riv, patron or world.ada, pickup or world.riv_main, **what)


def test_it_routes_a_title_hold_on_placement_and_keeps_the_explanation(hw):
    placed = place(hw)
    hold = placed.hold
    assert hold.state == Hold.State.ROUTED
    assert hold.assigned_item == hw.dune_riv  # on the shelf at the pickup branch
    assert hold.placed_by == hw.desk_riv and hold.routed_at is not None
    assert hold.explanation["chosen_copy_id"] == hw.dune_riv.pk
    assert hold.explanation["reason"]
    chosen = [c for c in hold.explanation["candidates"] if c["copy_id"] == hw.dune_riv.pk]
    assert chosen[0]["barcode"] == "31000000000011" and chosen[0]["cost"]["courier_days"] == 0
    assert list(HoldEvent.objects.filter(hold=hold).values_list("kind", flat=True)) == [
        "routed",
        "placed",
    ]
    routed = HoldEvent.objects.get(hold=hold, kind="routed")
    assert (routed.lender, routed.borrower) == ("RIV", "RIV")
    assert "will be pulled" in placed.message
    assert fresh(hw.dune_riv).status == Item.Status.AVAILABLE  # still on its shelf


def test_it_places_a_hold_on_one_copy_and_routes_only_that_copy(hw):
    hold = place(hw, item=hw.dune_pine).hold
    assert hold.item == hw.dune_pine and hold.title == hw.dune
    assert hold.assigned_item == hw.dune_pine


def test_it_accepts_a_hold_as_waiting_when_every_copy_is_out_and_says_so(hw):
    circulation.check_out(hw.central, hw.riv_main, hw.ben, hw.dune_riv)
    circulation.check_out(hw.central, hw.pine_main, hw.ben, hw.dune_pine)
    placed = place(hw)
    assert placed.hold.state == Hold.State.WAITING and placed.hold.assigned_item is None
    assert "It waits for a copy. No copy can fill this hold" in placed.message
    assert "Number 1 of 1 waiting" in placed.message
    assert placed.hold.explanation["chosen_copy_id"] is None


def test_it_refuses_a_second_hold_on_the_same_title(hw):
    place(hw)
    with pytest.raises(HoldError) as refused:
        place(hw, item=hw.dune_pine)
    assert refused.value.code == "duplicate_hold"
    assert Hold.objects.count() == 1


def test_it_allows_a_new_hold_once_the_first_is_closed(hw):
    first = place(hw).hold
    holds_desk.cancel_hold(hw.desk_riv, first)
    assert place(hw).hold.state == Hold.State.ROUTED


def test_it_refuses_more_holds_than_the_rule_allows(hw, rules):
    CirculationRule.objects.filter(pk=rules["default"].pk).update(max_holds=1)
    other = make_title()
    make_copy(hw, other, "33000000000001")
    place(hw, title=other)
    with pytest.raises(HoldError) as refused:
        place(hw)
    assert refused.value.code == "hold_limit"
    assert "the rule allows 1" in refused.value.message
    assert Hold.objects.count() == 1


def test_it_takes_the_hold_limit_from_the_patrons_home_library(hw, rules):
    CirculationRule.objects.create(name="Pine: two holds", library=hw.pine, max_holds=0)
    with pytest.raises(HoldError) as refused:
        place(hw, patron=hw.ben, pickup=hw.pine_main)
    assert refused.value.code == "hold_limit"
    assert place(hw).hold.state == Hold.State.ROUTED  # Ada is Riverton's: no limit


def test_it_refuses_a_title_whose_every_copy_is_kept_from_group_holds(hw, reference):
    title = make_title("Atlas of the Plains")
    for n in range(3):
        make_copy(hw, title, f"3400000000000{n}", collection="REF")
    CirculationRule.objects.create(
        name="Reference", collection="REF", holdable=False, exempt_reason=reference
    )
    with pytest.raises(HoldError) as refused:
        place(hw, title=title)
    assert refused.value.code == "not_holdable"
    assert "all 3 copies are exempt from group holds (reference only)" in refused.value.message
    assert not Hold.objects.exists() and not HoldEvent.objects.exists()


def test_it_refuses_a_copy_marked_not_holdable(hw):
    Item.objects.filter(pk=hw.dune_pine.pk).update(holdable=False)
    with pytest.raises(HoldError) as refused:
        place(hw, item=fresh(hw.dune_pine))
    assert "Copy 32000000000019 of Dune cannot be held: it is marked not holdable" in (
        refused.value.message
    )
    assert place(hw).hold.assigned_item == hw.dune_riv  # the title still has a copy


def test_it_refuses_a_title_with_no_copy_in_the_group(hw):
    with pytest.raises(HoldError) as refused:
        place(hw, title=make_title())
    assert "No library in the group has a copy of Piranesi" in refused.value.message


def test_it_refuses_a_pickup_branch_closed_for_good_and_names_the_nearest_open(hw):
    Branch.objects.filter(pk=hw.riv_east.pk).update(is_active=False)
    with pytest.raises(HoldError) as refused:
        place(hw, pickup=fresh(hw.riv_east))
    assert refused.value.code == "pickup_closed"
    message = refused.value.message
    assert "Riverton Eastside is closed for good" in message
    assert "The nearest open branches are Riverton Main (RIV-MAIN), Pine Creek (PINE)" in message
    assert not Hold.objects.exists()


def test_it_refuses_a_patron_whose_card_has_expired(hw):
    hw.ada.expires_on = dt.date.today() - dt.timedelta(days=1)
    hw.ada.save()
    with pytest.raises(HoldError) as refused:
        place(hw)
    assert refused.value.code == "card_expired"


def test_it_writes_nothing_when_routing_fails(hw, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the solver fell over")

    monkeypatch.setattr(routing, "route", broken)
    with pytest.raises(RuntimeError):
        place(hw)
    assert not Hold.objects.exists() and not HoldEvent.objects.exists()


def test_it_never_assigns_a_copy_that_is_not_available(hw, monkeypatch):
    Item.objects.filter(pk=hw.dune_riv.pk).update(status=Item.Status.IN_PROCESSING)
    Item.objects.filter(pk=hw.dune_pine.pk).update(status=Item.Status.CHECKED_OUT)
    real = routing.route

    def careless(holds, copies, network, **kwargs):
        answer = real(holds, copies, network, **kwargs)
        return routing.Routing({holds[0].id: hw.dune_riv.pk}, answer.explanations)

    monkeypatch.setattr(routing, "route", careless)
    hold = place(hw).hold
    assert hold.state == Hold.State.WAITING and hold.assigned_item is None


def test_it_lets_a_new_copy_fill_only_its_own_librarys_patrons(hw):
    title = make_title()
    from django.utils import timezone

    make_copy(hw, title, "35000000000001", created_at=timezone.now())  # ELK's, brand new
    hold = place(hw, title=title).hold
    assert hold.state == Hold.State.WAITING
    assert "window" in hold.explanation["reason"]


def test_it_names_copies_by_barcode_in_the_stored_reason(hw):
    hold = place(hw, pickup=hw.riv_east).hold
    assert "Copy 31000000000011 at Riverton Main" in hold.explanation["reason"]


def test_it_counts_the_reasons_when_the_copies_differ(hw, reference):
    title = make_title("Atlas of the Plains")
    make_copy(hw, title, "34000000000010", collection="REF")
    make_copy(hw, title, "34000000000011", collection="REF")
    make_copy(hw, title, "34000000000012", status=Item.Status.LOST)
    CirculationRule.objects.create(name="Reference", collection="REF", exempt_reason=reference)
    with pytest.raises(HoldError) as refused:
        place(hw, title=title)
    assert refused.value.message == (
        "Atlas of the Plains cannot be held: none of its 3 copies can fill it "
        "(2 exempt from group holds (reference only), 1 lost, missing, damaged or withdrawn)."
    )


# --- HOLD-18: only an active member's branch is a pickup branch (issue 13, bug 11) -----


@pytest.mark.parametrize("status", ["applicant", "onboarding", "leaving"])
def test_hold_18_refuses_a_pickup_branch_of_a_member_that_is_not_active(hw, status):
    Library.objects.filter(pk=hw.elk.pk).update(status=status)
    with pytest.raises(HoldError) as refused:
        place(hw, pickup=Branch.objects.select_related("library").get(pk=hw.elk_main.pk))
    assert (refused.value.code, refused.value.decision) == ("pickup_not_member", "HOLD-18")
    message = refused.value.message
    assert message.startswith("Elk Valley cannot be a pickup branch: Elk Valley Library ")
    assert "Choose a branch of an active member." in message
    assert "Elk Valley (ELK)" not in message  # not among the branches offered instead
    assert not Hold.objects.exists()


def test_hold_18_refuses_to_change_a_hold_to_an_onboarding_members_branch(hw):
    hold = place(hw).hold
    Library.objects.filter(pk=hw.elk.pk).update(status=Library.Status.ONBOARDING)
    with pytest.raises(HoldError) as refused:
        actions.change_pickup(
            hw.desk_riv, hold, Branch.objects.select_related("library").get(pk=hw.elk_main.pk)
        )
    assert refused.value.decision == "HOLD-18"
    assert fresh(hold).pickup_branch == hw.riv_main


def test_it_offers_only_active_members_branches_for_pickup(hw):
    Library.objects.filter(pk=hw.elk.pk).update(status=Library.Status.APPLICANT)
    Library.objects.filter(pk=hw.pine.pk).update(status=Library.Status.ONBOARDING)
    offered = {b.code for b in PlaceHoldForm(title=hw.dune).fields["pickup"].queryset}
    assert offered == {"RIV-MAIN", "RIV-EAST"}
    assert {b.code for b in account_access.pickup_branches()} == {"RIV-MAIN", "RIV-EAST"}


def test_it_speaks_to_the_patron_placing_their_own_hold_and_of_them_to_staff(hw):
    """Bug 10 (issue 13): "Ada already has a hold" on Ada's own page."""
    place(hw)
    for staff, expected in ((None, "You already have a hold on Dune."), (hw.desk_riv, "Ada")):
        with pytest.raises(HoldError) as refused:
            actions.place_hold(staff, hw.ada, hw.riv_main, title=hw.dune)
        assert refused.value.message.startswith(expected)
    hw.ada.expires_on = dt.date.today() - dt.timedelta(days=1)
    hw.ada.save()
    with pytest.raises(HoldError) as refused:
        actions.place_hold(None, hw.ada, hw.riv_main, title=hw.dune)
    assert refused.value.message.startswith("Your card expired on ")
    assert "Renew your card at any library desk" in refused.value.message
