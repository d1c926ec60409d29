"""RENEW, CLAIMS, LOST and DAMAGED cases from docs/circulation/renew-and-more.md."""

import datetime as dt
from decimal import Decimal

import pytest

from onelibrary.catalog.models import Item
from onelibrary.circulation import actions
from onelibrary.circulation.models import Charge, Event, Loan
from onelibrary.core.refusals import Refusal


@pytest.fixture
def loan(world, rules, monday_noon):
    return actions.check_out(
        world.desk_riv, world.riv_main, world.ada, world.dune_riv, now=monday_noon
    ).loan


def test_it_renew_1_extends_from_today_on_an_open_day(world, loan, monday_noon):
    ten_days_on = monday_noon + dt.timedelta(days=10)  # Thursday 12 Nov
    outcome = actions.renew(loan, staff=world.desk_riv, now=ten_days_on)
    loan.refresh_from_db()
    assert outcome.decision == "RENEW-1"
    assert loan.due_date == dt.date(2026, 12, 3) and loan.renewals == 1
    assert Event.objects.filter(kind="renew").get().detail["by_patron"] is False


def test_it_renew_1_never_shortens_a_loan(world, loan, monday_noon):
    actions.renew(loan, staff=world.desk_riv, now=monday_noon)
    loan.refresh_from_db()
    assert loan.due_date == dt.date(2026, 11, 23)


def test_it_renew_1_lets_the_patron_renew(world, loan):
    actions.renew(loan, staff=None)
    assert Event.objects.get(kind="renew").detail["by_patron"] is True


def test_it_renew_2_refuses_when_no_renewals_are_left(world, loan):
    actions.renew(loan, staff=world.desk_riv)
    actions.renew(loan, staff=world.desk_riv)
    with pytest.raises(Refusal, match="rule allows 2") as refused:
        actions.renew(loan, staff=world.desk_riv)
    assert refused.value.decision == "RENEW-2" and not refused.value.overridable
    loan.refresh_from_db()
    assert loan.renewals == 2
    actions.renew(loan, staff=world.admin_riv, override_reason="Patron in hospital")
    loan.refresh_from_db()
    assert loan.renewals == 3


def test_it_renew_3_refuses_a_lost_loan(world, loan):
    actions.mark_lost(world.desk_riv, world.riv_main, loan)
    with pytest.raises(Refusal, match="cannot be renewed") as refused:
        actions.renew(loan, staff=world.desk_riv)
    assert refused.value.decision == "RENEW-3"


def test_it_renew_4_refuses_an_expired_card(world, loan):
    world.ada.expires_on = dt.date.today() - dt.timedelta(days=1)
    world.ada.save()
    with pytest.raises(Refusal, match="card has expired") as refused:
        actions.renew(loan, staff=world.desk_riv)
    assert refused.value.decision == "RENEW-4"


def test_it_claims_1_marks_the_item_missing(world, loan):
    outcome = actions.mark_claims_returned(world.desk_riv, world.riv_main, loan, note="Says so")
    loan.refresh_from_db()
    assert outcome.decision == "CLAIMS-1" and loan.state == Loan.State.CLAIMS_RETURNED
    world.dune_riv.refresh_from_db()
    assert world.dune_riv.status == Item.Status.MISSING


def test_it_lost_1_charges_the_price_to_the_owner(world, loan):
    Item.objects.filter(pk=world.dune_riv.pk).update(price=Decimal("24.99"))
    outcome = actions.mark_lost(world.desk_riv, world.riv_main, loan)
    assert outcome.decision == "LOST-1"
    charge = Charge.objects.get()
    assert (charge.amount, charge.library, charge.patron) == (
        Decimal("24.99"),
        world.riverton,
        world.ada,
    )
    assert outcome.message.endswith("The patron owes its price, $24.99, to Riverton City Library.")


def test_it_lost_1_says_so_when_the_copy_has_no_price(world, loan):
    Item.objects.filter(pk=world.dune_riv.pk).update(price=None)
    outcome = actions.mark_lost(world.desk_riv, world.riv_main, loan)
    assert outcome.message.endswith("No charge: the copy has no price.")
    assert not Charge.objects.exists()


def test_it_refuses_a_move_the_state_table_does_not_allow(world, loan):
    actions.check_in(world.desk_riv, world.riv_main, world.dune_riv)
    with pytest.raises(Refusal, match="cannot be given .mark lost."):
        actions.mark_lost(world.desk_riv, world.riv_main, loan)


def test_it_damaged_1_sets_an_item_aside(world, rules):
    outcome = actions.mark_damaged(
        world.desk_riv, world.riv_main, world.dune_riv, note="Water damage, pages stuck"
    )
    assert outcome.decision == "DAMAGED-1"
    event = Event.objects.get(kind="damaged")
    assert event.detail["note"] == "Water damage, pages stuck"


def test_it_damaged_2_needs_a_description_and_an_item_not_on_loan(world, loan):
    with pytest.raises(Refusal, match="Describe the damage"):
        actions.mark_damaged(world.desk_riv, world.riv_main, world.dune_riv, note=" ")
    with pytest.raises(Refusal, match="is on loan") as refused:
        actions.mark_damaged(world.desk_riv, world.riv_main, world.dune_riv, note="Torn")
    assert refused.value.decision == "DAMAGED-2"
    world.dune_riv.refresh_from_db()
    assert world.dune_riv.status == Item.Status.CHECKED_OUT


def test_it_renew_4_lets_only_a_library_admin_override_an_expired_card(world, loan):
    world.ada.expires_on = dt.date.today() - dt.timedelta(days=1)
    world.ada.save()
    with pytest.raises(Refusal, match="card has expired"):
        actions.renew(loan, staff=world.desk_riv, override_reason="please")
    with pytest.raises(Refusal) as refused:
        actions.renew(loan, staff=world.admin_riv)
    assert refused.value.overridable
    actions.renew(loan, staff=world.admin_riv, override_reason="Card renewal in the post")
    loan.refresh_from_db()
    assert loan.renewals == 1
