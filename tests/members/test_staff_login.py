"""Staff logins: throttled by account and by address (django-axes), a lockout page that
says until when, Django's password validators; API tokens and patron PINs unaffected."""

from __future__ import annotations

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from onelibrary.members import tokens
from onelibrary.members.tasks import tidy_login_records
from tests.conftest import PASSWORD

ADDRESS = "203.0.113.7"


def attempt(username: str, password: str, *, address: str = ADDRESS, path: str = "/login/"):
    client = Client(REMOTE_ADDR=address)
    response = client.post(path, {"username": username, "password": password})
    return client, response


def fail_until_locked(username: str, address: str = ADDRESS) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _, response = attempt(username, "wrong password", address=address)
        assert response.status_code == 200  # the form again, with its error
    _, response = attempt(username, "wrong password", address=address)
    assert response.status_code == 429


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_it_refuses_an_account_after_too_many_wrong_passwords(world):
    fail_until_locked("desk.riv")

    client, response = attempt("desk.riv", PASSWORD)  # the right password, too late
    assert response.status_code == 429 and not logged_in(client)
    # The account is locked from every address, not just the one that guessed.
    client, response = attempt("desk.riv", PASSWORD, address="198.51.100.20")
    assert response.status_code == 429 and not logged_in(client)
    # Another account from another address logs in.
    client, response = attempt("desk.pine", PASSWORD, address="198.51.100.20")
    assert response.status_code == 302 and logged_in(client)


def test_it_refuses_an_address_that_tries_many_accounts(world):
    for number in range(settings.AXES_FAILURE_LIMIT):
        _, response = attempt(f"guess{number}", "wrong password")
    assert response.status_code == 429
    client, response = attempt("desk.pine", PASSWORD)  # from the same address
    assert response.status_code == 429 and not logged_in(client)


def test_the_lockout_page_says_until_when(world):
    before = timezone.localtime()
    fail_until_locked("desk.riv")
    _, response = attempt("desk.riv", PASSWORD)

    html = response.content.decode()
    until = before + settings.AXES_COOLOFF_TIME
    assert "Logins refused until" in html and until.strftime("%H:") in html
    assert until.strftime("%Y") in html and 'role="alert"' in html
    assert "axes_reset_username" in html
    assert response["Content-Type"].startswith("text/html")
    assert "<html" in html  # the site's page, not a bare text


def test_logins_open_again_after_the_lockout_time(world):
    fail_until_locked("desk.riv")
    later = timezone.now() - settings.AXES_COOLOFF_TIME - dt.timedelta(seconds=1)
    AccessAttempt.objects.update(attempt_time=later)

    client, response = attempt("desk.riv", PASSWORD)
    assert response.status_code == 302 and logged_in(client)


def test_the_admin_login_is_throttled_too(world):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _, response = attempt("central", "wrong password", path="/admin/login/")
    assert response.status_code == 429
    assert "Logins refused until" in response.content.decode()


def test_a_success_clears_the_failures_so_far(world):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt("desk.riv", "wrong password")
    client, response = attempt("desk.riv", PASSWORD)
    assert response.status_code == 302
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _, response = attempt("desk.riv", "wrong password")
    assert response.status_code == 200  # counting started again


def test_api_tokens_and_the_test_clients_logins_are_unaffected(world):
    key = tokens.issue_token(world.desk_riv, name="desk scanner").key
    fail_until_locked("desk.riv")

    response = Client().get(
        "/api/v1/catalog/items/31000000000011", headers={"Authorization": f"Bearer {key}"}
    )
    assert response.status_code == 200  # a token is not a password guess
    assert Client().login(username="desk.pine", password=PASSWORD)
    forced = Client()
    forced.force_login(world.desk_riv)
    assert logged_in(forced)


def test_the_patron_pin_login_keeps_its_own_limit(world):
    from tests.account.conftest import ADA_PIN, give_pin

    give_pin(world.ada, ADA_PIN)
    fail_until_locked("desk.riv")  # this address is locked for staff logins
    client = Client(REMOTE_ADDR=ADDRESS)
    response = client.post("/account/login/", {"card": world.ada.card, "pin": ADA_PIN})
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username=world.ada.card).exists()


def test_it_tidies_failures_past_the_lockout_time(world):
    fail_until_locked("desk.riv")
    attempt("guess", "wrong password", address="198.51.100.30")
    assert tidy_login_records() == 0  # still counting
    later = timezone.now() + settings.AXES_COOLOFF_TIME + dt.timedelta(seconds=1)
    assert tidy_login_records(later) == 2
    assert not AccessAttempt.objects.exists()


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("short1", "at least 10 characters"),
        ("password123", "too common"),
        ("4061234567123", "entirely numeric"),
        ("desk.riv.2024", "too similar to the username"),
    ],
)
def test_staff_passwords_meet_djangos_validators(world, password, problem):
    with pytest.raises(ValidationError) as refused:
        validate_password(password, world.desk_riv)
    assert problem in " ".join(refused.value.messages)
    validate_password("larch street owl 1980", world.desk_riv)  # passes
