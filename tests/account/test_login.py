"""Logging in with card and PIN: the patron session, the rate limit and lockout, merged,
erased and expired cards, logging out."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from onelibrary.account import actions
from onelibrary.account.access import AccountError
from onelibrary.account.models import LoginAttempt
from onelibrary.patrons.models import Patron
from onelibrary.records.merge import merge_patrons
from onelibrary.records.privacy import erase_patron
from tests.account.conftest import ADA_PIN, BEN_PIN, give_pin, logged_in

ADDRESS = "203.0.113.9"
NOW = dt.datetime(2026, 11, 26, 17, 0, tzinfo=dt.UTC)


def at(minutes: float) -> dt.datetime:
    return NOW + dt.timedelta(minutes=minutes)


def fail(card: str, minutes: float, address: str = ADDRESS) -> AccountError:
    with pytest.raises(AccountError) as caught:
        actions.log_in(card, "0000", address=address, now=at(minutes))
    return caught.value


def test_it_logs_in_with_card_and_pin_and_shows_my_account(pins):
    client = Client()
    response = client.post(
        "/account/login/", {"card": "2900 0000 0000 17", "pin": ADA_PIN, "next": "/account/"}
    )
    assert response.status_code == 302 and response["Location"] == "/account/"
    page = client.get("/account/").content.decode()
    assert "My account" in page and "Ada Lindqvist" in page
    assert "_auth_user_id" not in client.session  # not a staff login


def test_it_says_the_same_for_a_wrong_pin_and_an_unknown_card(pins):
    wrong = Client().post("/account/login/", {"card": pins.ada.card, "pin": "9999"})
    unknown = Client().post("/account/login/", {"card": "29000000000991", "pin": "9999"})
    assert wrong.status_code == unknown.status_code == 200
    for response in (wrong, unknown):
        text = response.content.decode()
        assert "The card number or PIN is not right." in text
        assert "4 more wrong tries" in text
    assert "account_patron_id" not in Client().session


def test_it_refuses_a_card_without_a_pin_like_a_wrong_pin(world):
    error = fail(world.ada.card, 0)
    assert error.code == "bad_login"


def test_it_locks_the_card_after_five_failures_and_says_until_when(pins):
    for minute in range(4):
        assert fail(pins.ada.card, minute).code == "bad_login"
    fifth = fail(pins.ada.card, 4)
    assert fifth.code == "locked"
    local = timezone.localtime(at(19))
    assert f"until {local:%H:%M} (15 minutes from now)" in fifth.message
    # Even the right PIN is refused while locked, and the try is not counted.
    with pytest.raises(AccountError) as caught:
        actions.log_in(pins.ada.card, ADA_PIN, address=ADDRESS, now=at(10))
    assert caught.value.code == "locked" and "9 minutes" in caught.value.message
    assert LoginAttempt.objects.filter(card=pins.ada.card).count() == 5


def test_it_lets_the_patron_in_once_the_lock_has_run(pins):
    for minute in range(5):
        fail(pins.ada.card, minute)
    with pytest.raises(AccountError):
        actions.log_in(pins.ada.card, ADA_PIN, address=ADDRESS, now=at(18.9))
    assert actions.log_in(pins.ada.card, ADA_PIN, address=ADDRESS, now=at(19)) == pins.ada


def test_it_locks_an_unknown_card_the_same_way(pins):
    for minute in range(5):
        error = fail("29000000000991", minute)
    assert error.code == "locked"


def test_a_success_clears_the_cards_count(pins):
    for minute in range(4):
        fail(pins.ada.card, minute)
    actions.log_in(pins.ada.card, ADA_PIN, address=ADDRESS, now=at(5))
    assert "4 more wrong tries" in fail(pins.ada.card, 6).message
    assert fail(pins.ada.card, 7).code == "bad_login"


def test_it_locks_an_address_trying_many_cards(pins):
    for n in range(19):
        assert fail(f"2900000000{n:04d}", n * 0.5).code == "bad_login"
    assert fail("29000000009999", 9.6).code == "locked"
    with pytest.raises(AccountError) as caught:
        actions.log_in(pins.ben.card, BEN_PIN, address=ADDRESS, now=at(10))
    assert "from this computer" in caught.value.message
    # Another address is not locked.
    assert actions.log_in(pins.ben.card, BEN_PIN, address="198.51.100.7", now=at(10)) == pins.ben


def test_the_login_page_answers_429_while_locked(pins):
    client = Client()
    for _ in range(5):
        response = client.post("/account/login/", {"card": pins.ada.card, "pin": "0000"})
    assert response.status_code == 429
    assert "logging in is paused until" in response.content.decode()


def test_it_keeps_the_typed_card_and_says_what_is_missing(pins):
    response = Client().post("/account/login/", {"card": pins.ada.card, "pin": ""})
    text = response.content.decode()
    assert 'value="29000000000017"' in text and "This field is required." in text
    assert LoginAttempt.objects.count() == 0


def test_it_sends_a_merged_card_to_the_record_it_was_merged_into_after_the_right_pin(pins):
    duplicate = Patron.objects.create(
        card="29000000000033",
        first_name="Ada",
        last_name="Lindqvist",
        home_library=pins.riverton,
        expires_on=pins.ada.expires_on,
    )
    give_pin(duplicate, "8642")
    merge_patrons(pins.central, pins.ada.pk, duplicate.pk)
    assert fail("29000000000033", 0).code == "bad_login"  # the wrong PIN learns nothing
    with pytest.raises(AccountError) as caught:
        actions.log_in("29000000000033", "8642", address=ADDRESS, now=at(1))
    assert caught.value.code == "card_merged"
    assert "card ending in 0017" in caught.value.message


def test_an_erased_record_cannot_log_in(pins):
    erased = Patron.objects.create(
        card="29000000000041",
        first_name="Cy",
        last_name="Erased",
        home_library=pins.riverton,
        expires_on=pins.ada.expires_on,
    )
    give_pin(erased, "8642")
    erase_patron(pins.central, erased.pk)
    assert fail("29000000000041", 0).code == "bad_login"
    with pytest.raises(AccountError) as caught:
        actions.log_in("29000000000041", "8642", address=ADDRESS, now=at(1))
    assert caught.value.code == "bad_login"


def test_an_expired_card_logs_in_and_is_told_to_renew(pins):
    Patron.objects.filter(pk=pins.ada.pk).update(expires_on=dt.date(2020, 1, 31))
    page = logged_in(pins.ada.card, ADA_PIN).get("/account/").content.decode()
    assert "Your card expired on Friday 31 January 2020" in page


def test_it_logs_out(ada):
    response = ada.post("/account/logout/")
    assert response.status_code == 302
    assert ada.get("/account/")["Location"].startswith("/account/login/?next=")


def test_logging_out_is_a_post(ada):
    assert ada.get("/account/logout/").status_code == 405


def test_it_does_not_redirect_to_another_site(pins):
    response = Client().post(
        "/account/login/",
        {"card": pins.ada.card, "pin": ADA_PIN, "next": "https://evil.example/"},
    )
    assert response["Location"] == "/account/"


def test_a_merge_after_login_ends_the_tombstones_session(pins):
    client = logged_in(pins.ben.card, BEN_PIN)
    merge_patrons(pins.central, pins.ada.pk, pins.ben.pk)
    assert client.get("/account/").status_code == 302


def test_a_staff_login_is_not_a_patron_login(world):
    client = Client()
    client.force_login(world.desk_riv)
    assert client.get("/account/")["Location"].startswith("/account/login/")
