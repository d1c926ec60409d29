"""Placing a hold from the title page as a logged-in patron; logging in to come back."""

from __future__ import annotations

from django.test import Client

from onelibrary.holds.models import Hold
from onelibrary.patrons.models import Patron, PatronAudit
from tests.account.conftest import make_copy, make_title


def test_a_visitor_is_offered_to_log_in_and_come_back(pins):
    page = Client().get(f"/catalog/titles/{pins.dune.pk}/").content.decode()
    assert "Log in with your library card" in page
    assert (
        f"/account/login/?next=%2Fcatalog%2Ftitles%2F{pins.dune.pk}%2F%23place-hold-patron" in page
    )


def test_the_form_defaults_to_the_preferred_branch(pins, ben):
    page = ben.get(f"/catalog/titles/{pins.dune.pk}/").content.decode()
    assert '<option value="PINE" selected>' in page


def test_without_a_preferred_branch_it_defaults_to_the_home_librarys_first(pins, ada):
    Patron.objects.filter(pk=pins.ada.pk).update(preferred_branch=None)
    page = ada.get(f"/catalog/titles/{pins.dune.pk}/").content.decode()
    assert '<option value="RIV-EAST" selected>' in page  # Riverton Eastside before Main


def test_it_places_a_hold_for_any_open_branch(pins, ada):
    response = ada.post(f"/account/titles/{pins.dune.pk}/hold/", {"pickup": "ELK"}, follow=True)
    assert "Your hold on Dune is placed, for pickup at Elk Valley." in response.content.decode()
    hold = Hold.objects.get(patron=pins.ada)
    assert hold.pickup_branch == pins.elk_main and hold.placed_by is None
    row = PatronAudit.objects.get(patron=pins.ada, via="self", action="edit")
    assert row.changes == {f"hold {hold.pk}": [None, "Dune, pickup ELK"]}
    page = ada.get(f"/catalog/titles/{pins.dune.pk}/").content.decode()
    assert "You have a hold on this title for pickup at Elk Valley" in page


def test_a_duplicate_hold_is_refused_and_shown(pins, ada):
    ada.post(f"/account/titles/{pins.dune.pk}/hold/", {"pickup": "ELK"})
    response = ada.post(f"/account/titles/{pins.dune.pk}/hold/", {"pickup": "PINE"})
    assert response.status_code == 409
    text = response.content.decode()
    # Bug 10 (issue 13): the patron's own page speaks to them, not of them.
    assert "You already have a hold on Dune." in text and "Ada already" not in text
    assert '<option value="PINE" selected>' in text  # what was chosen is kept
    assert Hold.objects.filter(patron=pins.ada).count() == 1


def test_a_title_with_no_holdable_copy_is_refused_and_shown(pins, ada):
    lonely = make_title("Lonely")
    response = ada.post(f"/account/titles/{lonely.pk}/hold/", {"pickup": "ELK"})
    assert response.status_code == 409
    assert "No library in the group has a copy of Lonely" in response.content.decode()
    assert not Hold.objects.exists()


def test_a_branch_closed_for_good_is_not_offered_and_is_refused(pins, ada):
    pins.elk_main.is_active = False
    pins.elk_main.save()
    page = ada.get(f"/catalog/titles/{pins.dune.pk}/").content.decode()
    assert 'value="ELK"' not in page
    response = ada.post(f"/account/titles/{pins.dune.pk}/hold/", {"pickup": "ELK"})
    assert response.status_code == 422
    assert "Choose an open branch from the list." in response.content.decode()
    assert not Hold.objects.exists()


def test_an_expired_card_is_refused_with_the_reason(pins, ada):
    import datetime as dt

    Patron.objects.filter(pk=pins.ada.pk).update(expires_on=dt.date(2020, 1, 1))
    ada = Client()
    from tests.account.conftest import ADA_PIN, logged_in

    ada = logged_in(pins.ada.card, ADA_PIN)
    response = ada.post(f"/account/titles/{pins.dune.pk}/hold/", {"pickup": "ELK"})
    assert response.status_code == 409 and "card expired" in response.content.decode()


def test_placing_needs_a_login(pins):
    response = Client().post(f"/account/titles/{pins.dune.pk}/hold/", {"pickup": "ELK"})
    assert response.status_code == 302 and response["Location"].startswith("/account/login/")
    assert not Hold.objects.exists()


def test_a_copy_in_another_library_is_routed(pins, ada):
    piranesi = make_title("Piranesi")
    make_copy(pins, piranesi, "33000000000017")
    ada.post(f"/account/titles/{piranesi.pk}/hold/", {"pickup": "RIV-MAIN"})
    assert Hold.objects.get(patron=pins.ada).state == Hold.State.ROUTED
