"""Money at the desk, the pages: a patron's money, take a payment, waive, refund, receipts."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from onelibrary.circulation.models import Charge, ChargeEntry, Payment
from onelibrary.patrons.models import PatronAudit
from tests.circulation.money_world import charge, counts
from tests.conftest import make_staff

pytestmark = pytest.mark.django_db
D = Decimal


def at_desk(client, user, branch):
    client.force_login(user)
    client.post(reverse("desk:home"), {"branch": branch.pk})
    return client


@pytest.fixture
def desk(client, world, rules):
    """Desk staff at Riverton, working at Riverton Main."""
    return at_desk(client, world.desk_riv, world.riv_main)


def money_url(world, name="money"):
    return reverse(f"desk:{name}", kwargs={"card": world.ada.card})


def pay(client, world, **form):
    body = {"amount": "5.00", "method": "cash", "token": "tok-" + "a" * 20, **form}
    return client.post(money_url(world, "take_payment"), body)


def test_it_shows_a_patron_s_charges_with_what_remains(desk, world):
    charge(world.ada, world.dune_riv, "12.00")
    response = desk.get(money_url(world))
    assert response.status_code == 200
    assert 'Owes <strong id="owed">$12.00</strong>' in response.text
    assert "Take the payment" in response.text


def test_it_takes_a_payment_in_two_parts_with_a_receipt_each(desk, world):
    fine = charge(world.ada, world.dune_riv, "12.00")
    first = pay(desk, world, amount="5.00", token="first-token-1")
    payment = Payment.objects.get()
    assert first.status_code == 302
    assert first["Location"] == reverse("desk:receipt", kwargs={"pk": payment.pk})
    receipt = desk.get(first["Location"])
    assert "$5.00" in receipt.text and "$7.00" in receipt.text  # paid, and what remains
    assert "Overdue fine: Dune" in receipt.text
    pay(desk, world, amount="7.00", method="card", token="second-token-2")
    fine.refresh_from_db()
    assert fine.settled_at is not None


def test_it_makes_a_receipt_pdf(desk, world):
    charge(world.ada, world.dune_riv, "12.00")
    pay(desk, world)
    payment = Payment.objects.get()
    response = desk.get(reverse("desk:receipt_pdf", kwargs={"pk": payment.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


@pytest.mark.parametrize(
    ("amount", "status", "says"),
    [
        ("-5", 422, "more than $0.00"),
        ("0", 422, "more than $0.00"),
        ("1.234", 422, "more than two decimal places"),
        ("five", 422, "dollars and cents"),
        ("12.01", 409, "more than the $12.00 owed"),
        ("99999999", 422, "more than any charge can be"),
    ],
)
def test_it_money_2_refuses_bad_amounts_and_writes_nothing(desk, world, amount, status, says):
    charge(world.ada, world.dune_riv, "12.00")
    before = counts()
    response = pay(desk, world, amount=amount)
    assert response.status_code == status
    assert says in response.text
    assert counts() == before


def test_it_money_5_a_double_post_of_the_same_form_pays_once(desk, world):
    fine = charge(world.ada, world.dune_riv, "12.00")
    pay(desk, world, amount="12.00", token="same-token-123")
    again = pay(desk, world, amount="12.00", token="same-token-123")
    assert again.status_code == 302
    followed = desk.get(again["Location"])
    assert "already taken" in followed.text
    assert Payment.objects.count() == 1
    assert ChargeEntry.objects.filter(charge=fine).count() == 1


def test_it_money_4_refuses_a_payment_for_another_library_s_charge(client, world, rules):
    desk = at_desk(client, world.desk_pine, world.pine_main)
    fine = charge(world.ben, world.dune_riv, "4.00")
    before = counts()
    response = desk.post(
        reverse("desk:take_payment", kwargs={"card": world.ben.card}),
        {"amount": "4.00", "method": "cash", "token": "t" * 20, "charges": [fine.pk]},
    )
    assert response.status_code == 403
    assert "owed to Riverton City Library" in response.text
    assert counts() == before


def test_it_money_7_refuses_a_desk_waiver_over_the_limit_naming_who_can(desk, world):
    fine = charge(world.ada, world.dune_riv, "12.00")
    before = counts()
    response = desk.post(
        money_url(world, "waive"),
        {"charge": fine.pk, "amount": "12.00", "reason": "kind", "token": "w" * 20},
    )
    assert response.status_code == 403
    assert "Ask a library admin of Riverton City Library, or the central office" in response.text
    assert counts() == before


def test_it_money_8_refuses_a_waiver_without_a_reason_on_the_page(client, world, rules):
    desk = at_desk(client, world.admin_riv, world.riv_main)
    fine = charge(world.ada, world.dune_riv, "12.00")
    before = counts()
    response = desk.post(
        money_url(world, "waive"), {"charge": fine.pk, "amount": "1.00", "token": "w" * 20}
    )
    assert response.status_code == 422
    assert "Give a reason for the waiver" in response.text
    assert counts() == before


def test_it_lets_a_library_admin_waive_and_refund_from_the_page(client, world, rules):
    desk = at_desk(client, world.admin_riv, world.riv_main)
    fine = charge(world.ada, world.dune_riv, "12.00")
    pay(desk, world, amount="2.00")
    response = desk.post(
        money_url(world, "waive"),
        {"charge": fine.pk, "amount": "10.00", "reason": "hardship", "token": "w" * 20},
        follow=True,
    )
    assert "Waived $10.00" in response.text
    response = desk.post(
        money_url(world, "refund"),
        {
            "charge": fine.pk,
            "amount": "2.00",
            "method": "cash",
            "reason": "oops",
            "token": "r" * 20,
        },
        follow=True,
    )
    assert "Refunded $2.00" in response.text
    assert "Refunded $2.00 (cash) — oops" in response.text  # the charge's history
    fine.refresh_from_db()
    assert fine.settled_at is None


def test_it_money_12_the_fines_block_links_to_taking_a_payment(desk, world):
    charge(world.ada, world.dune_riv, "12.00")
    desk.post(reverse("desk:checkout_patron"), {"card": world.ada.card})
    page = desk.post(
        reverse("desk:checkout_item"), {"barcode": world.dune_riv.barcode}, follow=True
    )
    assert "owes $12.00" in page.text
    assert "CHECKOUT-8" in page.text
    assert f'<a href="{money_url(world)}">Take a payment</a>' in page.text


def test_it_money_14_every_view_of_a_patron_s_money_is_audited(desk, world):
    charge(world.ada, world.dune_riv, "12.00")
    desk.get(money_url(world))
    pay(desk, world)
    desk.get(reverse("desk:receipt", kwargs={"pk": Payment.objects.get().pk}))
    contexts = list(
        PatronAudit.objects.filter(patron=world.ada, staff=world.desk_riv).values_list(
            "detail__context", flat=True
        )
    )
    assert "money" in contexts
    assert any(c and c.startswith("receipt") for c in contexts)


def test_it_money_14_a_receipt_of_another_library_answers_404(client, world, rules):
    charge(world.ada, world.dune_riv, "12.00")
    at_desk(client, world.desk_riv, world.riv_main)
    pay(client, world)
    payment = Payment.objects.get()
    elk = make_staff("desk.elk", "desk", world.elk)
    at_desk(client, elk, world.elk_main)
    for name in ("receipt", "receipt_pdf"):
        theirs = client.get(reverse(f"desk:{name}", kwargs={"pk": payment.pk}))
        nobody = client.get(reverse(f"desk:{name}", kwargs={"pk": payment.pk + 1000}))
        assert theirs.status_code == nobody.status_code == 404
        assert "Lindqvist" not in theirs.text


def test_it_refuses_a_charge_of_another_patron_on_the_page(desk, world):
    bens = charge(world.ben, world.dune_riv, "3.00")
    charge(world.ada, world.dune_riv, "3.00")
    before = counts()
    response = desk.post(
        money_url(world, "waive"),
        {"charge": bens.pk, "amount": "1.00", "reason": "x", "token": "w" * 20},
    )
    assert response.status_code == 422
    assert counts() == before
    assert Charge.objects.get(pk=bens.pk).settled_at is None
