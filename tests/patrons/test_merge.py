"""Merging two records of one person keeps every loan, hold, charge and event."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from onelibrary.circulation.models import Charge, Event, Loan
from onelibrary.holds.models import Hold
from onelibrary.patrons.access import PatronError, access_patron
from onelibrary.patrons.models import Patron
from onelibrary.records.merge import merge_patrons
from tests.patrons.conftest import ADA, audit_rows, login

DUPLICATE_CARD = "29000000000066"


@pytest.fixture
def duplicate(world, full_ada):
    """Ada registered a second time, at Riverton, with a loan, history, a hold and a fine."""
    twin = Patron.objects.create(
        card=DUPLICATE_CARD,
        first_name="Ada",
        last_name="Lindquist",
        home_library=world.riverton,
        expires_on=full_ada.expires_on,
        phone="",
        email="ada.other@example.org",
        notes="Registered again by mistake?",
        block_reason="Unpaid replacement",
    )
    now = timezone.now()
    out = Loan.objects.create(
        item=world.dune_pine, patron=twin, checkout_branch=world.pine_main, due_date=now.date()
    )
    back = Loan.objects.create(
        item=world.dune_riv,
        patron=twin,
        checkout_branch=world.riv_main,
        due_date=now.date(),
        state=Loan.State.RETURNED,
        returned_at=now,
    )
    Hold.objects.create(patron=twin, title=world.dune, pickup_branch=world.riv_main)
    Charge.objects.create(
        patron=twin, loan=back, item=world.dune_riv, library=world.riverton,
        kind="overdue", amount=Decimal("1.50"),
    )  # fmt: skip
    Event.objects.create(kind="checkout", patron=twin, item=world.dune_pine, loan=out)
    return twin


def test_it_moves_everything_to_the_kept_record_in_one_go(world, full_ada, duplicate):
    merged = merge_patrons(world.central, full_ada.pk, duplicate.pk)
    assert merged.moved == {"loans": 2, "holds": 1, "charges": 1, "payments": 0, "events": 1}
    assert Loan.objects.filter(patron=full_ada).count() == 2
    assert Hold.objects.get().patron == full_ada
    assert Charge.objects.get().patron == full_ada
    assert Event.objects.get().patron == full_ada
    for model in (Loan, Hold, Charge, Event):
        assert not model.objects.filter(patron=duplicate).exists()


def test_it_keeps_the_kept_records_fields_and_fills_only_gaps(world, full_ada, duplicate):
    merge_patrons(world.central, full_ada.pk, duplicate.pk)
    full_ada.refresh_from_db()
    assert full_ada.email == "ada@example.org"
    assert full_ada.block_reason == "Unpaid replacement"
    assert "Registered again by mistake?" in full_ada.notes and "large print" in full_ada.notes


def test_it_leaves_a_tombstone_that_answers_with_the_new_card(world, full_ada, duplicate):
    merge_patrons(world.central, full_ada.pk, duplicate.pk)
    duplicate.refresh_from_db()
    assert duplicate.merged_into == full_ada and duplicate.card == f"merged:{DUPLICATE_CARD}"
    assert duplicate.email == "" and duplicate.notes == ""
    with pytest.raises(PatronError) as refused:
        access_patron(world.desk_riv, DUPLICATE_CARD)
    assert refused.value.code == "card_merged" and ADA in refused.value.message
    response = login(world.desk_riv).get(f"/patrons/{duplicate.pk}/")
    assert response.status_code == 302 and response["Location"] == f"/patrons/{full_ada.pk}/"


def test_it_audits_both_records_and_shows_both_in_the_trail(world, full_ada, duplicate):
    merge_patrons(world.central, full_ada.pk, duplicate.pk)
    [kept] = audit_rows(full_ada, action="merge")
    assert kept.detail["merged_card"] == DUPLICATE_CARD
    assert kept.detail["moved"]["loans"] == 2
    [away] = audit_rows(duplicate, action="merged_away")
    assert away.changes["card"] == [DUPLICATE_CARD, f"merged:{DUPLICATE_CARD}"]
    html = login(world.central).get(f"/patrons/{full_ada.pk}/audit/").content.decode()
    assert "Merged into another record" in html and "Merged another record" in html


def test_it_refuses_when_both_hold_the_same_title_and_changes_nothing(world, full_ada, duplicate):
    Hold.objects.create(patron=full_ada, title=world.dune, pickup_branch=world.riv_main)
    with pytest.raises(PatronError) as refused:
        merge_patrons(world.central, full_ada.pk, duplicate.pk)
    assert refused.value.code == "holds_clash" and "Dune" in refused.value.message
    assert Loan.objects.filter(patron=duplicate).count() == 2
    duplicate.refresh_from_db()
    assert duplicate.merged_into is None


def test_it_lets_only_the_central_office_or_an_admin_of_both_merge(world, full_ada, duplicate):
    for staff in (world.desk_riv, world.desk_pine):
        with pytest.raises(PatronError) as refused:
            merge_patrons(staff, full_ada.pk, duplicate.pk)
        assert refused.value.code == "not_permitted"
    merge_patrons(world.admin_riv, full_ada.pk, duplicate.pk)  # both are Riverton's
    with pytest.raises(PatronError):
        merge_patrons(world.admin_riv, full_ada.pk, world.ben.pk)  # Ben is Pine Creek's


def test_it_refuses_merged_or_identical_records(world, full_ada, duplicate):
    with pytest.raises(PatronError):
        merge_patrons(world.central, full_ada.pk, full_ada.pk)
    merge_patrons(world.central, full_ada.pk, duplicate.pk)
    with pytest.raises(PatronError):
        merge_patrons(world.central, full_ada.pk, duplicate.pk)


def test_it_merges_through_the_pages_after_a_preview(world, full_ada, duplicate):
    client = login(world.admin_riv)
    response = client.post("/patrons/merge/", {"keep": ADA, "away": DUPLICATE_CARD})
    html = response.content.decode()
    assert "Moves 2 loans, 1 hold, 1 charge and 1 circulation event" in html
    assert Loan.objects.filter(patron=duplicate).count() == 2  # a preview changes nothing
    response = client.post(
        "/patrons/merge/confirm/", {"keep_id": full_ada.pk, "away_id": duplicate.pk}
    )
    assert response.status_code == 302 and response["Location"] == f"/patrons/{full_ada.pk}/"
    assert Loan.objects.filter(patron=full_ada).count() == 2


def test_it_says_why_on_the_merge_page(world, full_ada, duplicate):
    response = login(world.desk_riv).post("/patrons/merge/", {"keep": ADA, "away": DUPLICATE_CARD})
    assert "Only the central office" in response.content.decode()
    response = login(world.desk_riv).post(
        "/patrons/merge/confirm/", {"keep_id": full_ada.pk, "away_id": duplicate.pk}
    )
    assert response.status_code == 302
    assert Loan.objects.filter(patron=duplicate).count() == 2


def test_it_keeps_due_dates_and_states_of_moved_loans(world, full_ada, duplicate):
    before = sorted(Loan.objects.values_list("pk", "state", "due_date"))
    merge_patrons(world.central, full_ada.pk, duplicate.pk)
    assert sorted(Loan.objects.values_list("pk", "state", "due_date")) == before
