"""Checkout actions, one test per CHECKOUT-n case in docs/circulation/checkout.md."""

import datetime as dt
from decimal import Decimal

import pytest

from onelibrary.catalog.models import Item
from onelibrary.circulation import actions, scans
from onelibrary.circulation.models import Charge, Event, Loan, UnprocessedScan
from onelibrary.core.refusals import Refusal


def out(world, *, staff=None, branch=None, patron=None, item=None, **kw):
    return actions.check_out(
        staff or world.desk_riv,
        branch or world.riv_main,
        patron or world.ada,
        item or world.dune_riv,
        **kw,
    )


def test_it_checkout_1_lends_an_available_item_under_the_group_rule(world, rules, monday_noon):
    outcome = out(world, now=monday_noon)
    loan = Loan.objects.get(item=world.dune_riv)
    assert outcome.decision == "CHECKOUT-1"
    assert loan.state == Loan.State.ACTIVE and loan.patron == world.ada
    assert loan.due_date == dt.date(2026, 11, 23)
    assert loan.rule["loan_days"]["rule"] == "Group default"
    world.dune_riv.refresh_from_db()
    assert world.dune_riv.status == Item.Status.CHECKED_OUT
    event = Event.objects.get(kind="checkout")
    assert (event.staff, event.branch, event.patron) == (world.desk_riv, world.riv_main, world.ada)
    assert event.rule["loan_days"]["value"] == 21


def test_it_checkout_2_refuses_an_unknown_barcode_and_keeps_the_scan(world, rules):
    with pytest.raises(Refusal, match="No item in the group has the barcode 999"):
        scans.checkout_scan(world.desk_riv, world.riv_main, world.ada.card, "999")
    assert not Loan.objects.exists()
    kept = UnprocessedScan.objects.get()
    assert (kept.code, kept.barcode, kept.screen) == ("unknown_item", "999", "checkout")


def test_it_checkout_3_says_a_patron_card_is_not_an_item(world, rules):
    with pytest.raises(Refusal, match="is a patron's library card, not an item"):
        scans.checkout_scan(world.desk_riv, world.riv_main, world.ada.card, world.ben.card)
    assert not Loan.objects.exists()
    assert UnprocessedScan.objects.get().code == "patron_card_as_item"


def test_it_checkout_4_does_not_double_a_repeated_scan(world, rules):
    out(world)
    again = out(world)
    assert again.decision == "CHECKOUT-4" and again.repeated
    assert Loan.objects.count() == 1
    assert Event.objects.filter(kind="checkout").count() == 1


def test_it_checkout_5_refuses_an_item_out_to_another_patron(world, rules):
    out(world)
    with pytest.raises(Refusal, match="checked out to another patron") as refused:
        out(world, patron=world.ben)
    assert refused.value.decision == "CHECKOUT-5"
    assert Loan.objects.get().patron == world.ada


def test_it_checkout_6_blocks_an_expired_card(world, rules):
    world.ada.expires_on = dt.date.today() - dt.timedelta(days=1)
    world.ada.save()
    with pytest.raises(Refusal, match="card expired") as refused:
        out(world)
    assert refused.value.decision == "CHECKOUT-6"
    assert not refused.value.overridable  # desk staff may not override
    assert not Loan.objects.exists()


def test_it_checkout_7_blocks_too_many_items(world, rules):
    rules["default"].max_items_out = 1
    rules["default"].save()
    out(world, item=world.dune_riv)
    with pytest.raises(Refusal, match="has 1 items out; the limit is 1") as refused:
        out(world, item=world.dune_pine)
    assert refused.value.decision == "CHECKOUT-7"
    assert Loan.objects.count() == 1


def test_it_checkout_8_blocks_fines_over_the_threshold(world, rules):
    Charge.objects.create(
        patron=world.ada,
        item=world.dune_pine,
        library=world.pine,
        kind=Charge.Kind.OVERDUE,
        amount=Decimal("12.50"),
    )
    with pytest.raises(Refusal, match=r"owes \$12.50") as refused:
        out(world)
    assert refused.value.decision == "CHECKOUT-8"


def test_it_checkout_9_lets_a_library_admin_override_with_a_reason(world, rules):
    world.ada.expires_on = dt.date.today() - dt.timedelta(days=1)
    world.ada.save()
    with pytest.raises(Refusal) as refused:
        out(world, staff=world.admin_riv)
    assert refused.value.overridable
    outcome = out(world, staff=world.admin_riv, override_reason="Renewing card by post")
    assert outcome.decision == "CHECKOUT-9"
    event = Event.objects.get(kind="checkout")
    assert event.detail["overridden"] == ["card_expired"]
    assert event.detail["override_reason"] == "Renewing card by post"


def test_it_checkout_9_refuses_an_override_by_desk_staff(world, rules):
    world.ada.expires_on = dt.date.today() - dt.timedelta(days=1)
    world.ada.save()
    with pytest.raises(Refusal, match="Only a library admin"):
        out(world, override_reason="please")
    assert not Loan.objects.exists()


@pytest.mark.parametrize("status", ["lost", "missing", "withdrawn", "damaged"])
def test_it_checkout_10_refuses_an_item_not_fit_to_lend(world, rules, status):
    Item.objects.filter(pk=world.dune_riv.pk).update(status=status)
    with pytest.raises(Refusal, match="Check it in first") as refused:
        out(world)
    assert refused.value.decision == "CHECKOUT-10"


def test_it_checkout_11_refuses_an_item_on_the_hold_shelf(world, rules):
    Item.objects.filter(pk=world.dune_riv.pk).update(status="on_hold_shelf")
    with pytest.raises(Refusal, match="hold shelf") as refused:
        out(world)
    assert refused.value.decision == "CHECKOUT-11"


def test_it_checkout_12_refuses_an_item_in_transit(world, rules):
    Item.objects.filter(pk=world.dune_riv.pk).update(status="in_transit")
    with pytest.raises(Refusal, match="in transit") as refused:
        out(world)
    assert refused.value.decision == "CHECKOUT-12"


def test_it_checkout_13_moves_the_due_date_to_the_branchs_next_open_day(world, rules, monday_noon):
    # Pine Creek opens Tuesday, Thursday and Saturday: 21 days from Monday is a Monday.
    outcome = out(
        world,
        staff=world.desk_pine,
        branch=world.pine_main,
        patron=world.ben,
        item=world.dune_pine,
        now=monday_noon,
    )
    assert outcome.loan.due_date == dt.date(2026, 11, 24)


def test_it_checkout_13_skips_a_closed_date(world, rules, monday_noon):
    world.riv_main.closed_dates.create(date=dt.date(2026, 11, 23), reason="Staff day")
    outcome = out(world, now=monday_noon)
    assert outcome.loan.due_date == dt.date(2026, 11, 24)


def test_it_checkout_14_refuses_an_unknown_patron_card(world, rules):
    with pytest.raises(Refusal, match="No patron has the card 123"):
        scans.checkout_scan(world.desk_riv, world.riv_main, "123", world.dune_riv.barcode)
    assert UnprocessedScan.objects.get().code == "unknown_patron"


def test_it_checkout_14_says_an_item_barcode_is_not_a_card(world, rules):
    with pytest.raises(Refusal, match="is an item's barcode, not a library card"):
        scans.checkout_scan(world.desk_riv, world.riv_main, world.dune_pine.barcode, "x")


def test_it_checkout_15_refuses_staff_of_another_library(world, rules):
    with pytest.raises(Refusal, match="You do not work for Pine Creek Library"):
        out(world, staff=world.desk_riv, branch=world.pine_main, item=world.dune_pine)
    assert not Loan.objects.exists()


def test_it_lets_the_central_office_work_any_desk(world, rules):
    outcome = out(world, staff=world.central, branch=world.pine_main, item=world.dune_pine)
    assert outcome.decision == "CHECKOUT-1"


def test_it_applies_the_owning_members_override(world, rules, monday_noon):
    rules["pine"].loan_days = 7
    rules["pine"].save()
    outcome = out(world, staff=world.desk_riv, item=world.dune_pine, now=monday_noon)
    assert outcome.loan.due_date == dt.date(2026, 11, 9)
    assert outcome.loan.rule["loan_days"]["rule"] == "Pine Creek fines"


def test_it_keeps_a_scan_refused_because_the_group_has_no_rules(world):
    with pytest.raises(Refusal, match="The group default rule must set every setting"):
        scans.checkout_scan(world.desk_riv, world.riv_main, world.ada.card, world.dune_riv.barcode)
    assert UnprocessedScan.objects.get().code == "policy_incomplete"
    assert not Loan.objects.exists()


def test_it_checkout_17_blocks_a_patron_blocked_by_staff(world, rules):
    world.ada.block_reason = "Address to confirm"
    world.ada.save()
    with pytest.raises(Refusal, match="record is blocked by staff") as refused:
        out(world)
    assert refused.value.decision == "CHECKOUT-17"
    assert not Loan.objects.exists()
    assert out(world, staff=world.admin_riv, override_reason="Confirmed by phone").loan


def test_it_points_a_merged_card_to_the_card_to_use(world, rules):
    from onelibrary.patrons.models import Patron

    Patron.objects.filter(pk=world.ben.pk).update(
        card="merged:29000000000025", merged_into=world.ada
    )
    with pytest.raises(Refusal, match="was merged into the record with card 29000000000017"):
        scans.checkout_scan(
            world.desk_riv, world.riv_main, "29000000000025", world.dune_riv.barcode
        )
    assert UnprocessedScan.objects.get().code == "card_merged"
