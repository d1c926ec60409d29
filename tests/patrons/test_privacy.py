"""Privacy: loan history only on opt-in, a patron's own data exported, erasure on request."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.contrib.auth.hashers import make_password
from django.urls import reverse
from django.utils import timezone

from onelibrary.account.models import LoginAttempt, PatronPin
from onelibrary.circulation.models import Charge, Event, Loan
from onelibrary.holds.models import Hold
from onelibrary.patrons.access import PatronError, access_patron
from onelibrary.records.privacy import erase_patron, export_patron
from tests.patrons.conftest import ADA, BEN, audit_rows, login


@pytest.fixture
def desk(world, rules):
    client = login(world.desk_riv)
    client.post(reverse("desk:home"), {"branch": world.riv_main.pk})
    return client


def lend_and_return_at_the_desk(client, card: str, barcode: str) -> None:
    client.post(reverse("desk:checkout_patron"), {"card": card})
    client.post(reverse("desk:checkout_item"), {"barcode": barcode})
    assert Loan.objects.filter(item__barcode=barcode, state="active").exists()
    client.post(reverse("desk:checkout_done"))
    client.post(reverse("desk:checkin_item"), {"barcode": barcode})


def test_it_leaves_no_link_to_an_opted_out_patron_after_a_desk_checkin(world, desk):
    lend_and_return_at_the_desk(desk, ADA, world.dune_riv.barcode)
    loan = Loan.objects.get(item=world.dune_riv)
    assert loan.state == "returned" and loan.patron is None
    assert not Event.objects.filter(patron=world.ada).exists()
    assert not Loan.objects.filter(patron=world.ada).exists()


def test_it_keeps_the_link_when_the_patron_opted_in(world, desk):
    world.ada.keep_loan_history = True
    world.ada.save()
    lend_and_return_at_the_desk(desk, ADA, world.dune_riv.barcode)
    assert Loan.objects.get(item=world.dune_riv).patron == world.ada


@pytest.fixture
def history(world, full_ada):
    """A returned loan and a settled charge for Ada; an open loan for Ben."""
    now = timezone.now()
    back = Loan.objects.create(
        item=world.dune_riv, patron=full_ada, checkout_branch=world.riv_main,
        due_date=now.date(), state="returned", returned_at=now,
    )  # fmt: skip
    Event.objects.create(kind="checkin", patron=full_ada, item=world.dune_riv, loan=back)
    Charge.objects.create(
        patron=full_ada, loan=back, item=world.dune_riv, library=world.riverton,
        kind="overdue", amount=Decimal("2.00"), settled_at=now,
    )  # fmt: skip
    Loan.objects.create(
        item=world.dune_pine, patron=world.ben, checkout_branch=world.pine_main,
        due_date=now.date(),
    )  # fmt: skip
    return back


def test_it_exports_the_patrons_own_data_and_nobody_elses(world, full_ada, history):
    response = login(world.desk_riv).post(f"/patrons/{full_ada.pk}/export/")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["patron"]["card"] == ADA and data["patron"]["birth_date"] == "1980-05-17"
    assert data["patron"]["notes"] == "Prefers large print."
    assert [loan["item"] for loan in data["loans"]] == [world.dune_riv.barcode]
    assert data["charges"][0]["amount"] == "2.00"
    text = response.content.decode()
    assert BEN not in text and "Okafor" not in text and world.dune_pine.barcode not in text
    assert audit_rows(full_ada, action="export")[0].staff == world.desk_riv


def test_it_lets_only_staff_who_may_see_every_field_export(world, full_ada):
    with pytest.raises(PatronError) as refused:
        export_patron(world.desk_pine, full_ada.pk)
    assert refused.value.code == "not_permitted"
    assert login(world.desk_pine).post(f"/patrons/{full_ada.pk}/export/").status_code == 403
    assert export_patron(world.central, full_ada.pk)["patron"]["email"] == "ada@example.org"


def test_it_refuses_erasure_while_a_loan_is_out_a_hold_open_or_money_owed(world, full_ada):
    now = timezone.now()
    Loan.objects.create(
        item=world.dune_riv, patron=full_ada, checkout_branch=world.riv_main, due_date=now.date()
    )
    Hold.objects.create(patron=full_ada, title=world.dune, pickup_branch=world.riv_main)
    Charge.objects.create(
        patron=full_ada, item=world.dune_riv, library=world.riverton, kind="lost",
        amount=Decimal("25.00"),
    )  # fmt: skip
    with pytest.raises(PatronError) as refused:
        erase_patron(world.admin_riv, full_ada.pk)
    message = refused.value.message
    assert "1 item is still out" in message and "1 hold is open" in message
    assert "$25.00 is owed" in message
    assert len(refused.value.detail) == 3
    full_ada.refresh_from_db()
    assert full_ada.email == "ada@example.org" and full_ada.erased_at is None
    html = login(world.admin_riv).get(f"/patrons/{full_ada.pk}/erase/").content.decode()
    assert "cannot be erased yet" in html and "$25.00 is owed" in html


def test_it_erases_when_nothing_is_owed_or_out(world, full_ada, history):
    PatronPin.objects.create(patron=full_ada, pin_hash=make_password("4321"), set_by="staff")
    LoginAttempt.objects.create(card=full_ada.card, address="127.0.0.1", ok=False)
    client = login(world.admin_riv)
    response = client.post(f"/patrons/{full_ada.pk}/erase/")
    assert response.status_code == 302
    full_ada.refresh_from_db()
    assert full_ada.erased_at is not None and full_ada.card == f"erased:{full_ada.pk}"
    assert (full_ada.first_name, full_ada.email, full_ada.address, full_ada.notes) == (
        "Erased", "", "", ""
    )  # fmt: skip
    assert full_ada.birth_date is None and full_ada.home_library == world.riverton
    history.refresh_from_db()
    assert history.patron is None and history.state == "returned"  # kept for statistics
    assert not Event.objects.filter(patron=full_ada).exists() and Event.objects.count() == 1
    [row] = audit_rows(full_ada, action="erase")
    assert row.changes == {} and "email" in row.fields
    assert "ada@example.org" not in json.dumps(row.detail)
    with pytest.raises(PatronError):
        access_patron(world.central, ADA)
    assert client.get(f"/patrons/{full_ada.pk}/").status_code == 404
    assert not PatronPin.objects.filter(patron=full_ada).exists()
    assert not LoginAttempt.objects.filter(card=ADA).exists()


def test_it_lets_only_the_central_office_or_the_home_librarys_admin_erase(world, full_ada):
    for staff in (world.desk_riv, world.desk_pine):
        with pytest.raises(PatronError) as refused:
            erase_patron(staff, full_ada.pk)
        assert refused.value.code == "not_permitted"
    assert login(world.desk_riv).post(f"/patrons/{full_ada.pk}/erase/").status_code == 200
    full_ada.refresh_from_db()
    assert full_ada.erased_at is None
    erase_patron(world.central, world.ben.pk)


def test_it_forgets_kept_history_when_the_patron_withdraws_the_opt_in(world, full_ada, history):
    from onelibrary.patrons.actions import update_patron

    full_ada.keep_loan_history = True
    full_ada.save()
    Loan.objects.filter(item=world.dune_pine, patron=world.ben).delete()
    out = Loan.objects.create(
        item=world.dune_pine, patron=full_ada, checkout_branch=world.riv_main,
        due_date=timezone.now().date(),
    )  # fmt: skip
    update_patron(world.desk_riv, full_ada.pk, {"keep_loan_history": False})
    history.refresh_from_db()
    assert history.patron is None
    assert not Event.objects.filter(patron=full_ada).exists()
    assert Loan.objects.get(pk=out.pk).patron == full_ada  # what is out stays theirs
    assert audit_rows(full_ada, action="edit")[0].detail["history_unlinked"] == 1
