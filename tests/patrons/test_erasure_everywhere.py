"""Erasure leaves the patron nowhere: a patron who borrowed, held, got a notice, was
mis-scanned, sat in a desk's session and tried to log in is erased; then every table (all
rows, all columns, read through the database), every session and everything written to
the output and the log is searched for their name, card, email and phone."""

from __future__ import annotations

import json
import logging

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test import Client
from django.urls import reverse

from onelibrary import settings as project_settings
from onelibrary.account.models import LoginAttempt
from onelibrary.circulation import holds_desk
from onelibrary.circulation.models import Loan, UnprocessedScan
from onelibrary.holds import actions as holds
from onelibrary.holds.models import Hold, HoldEvent
from onelibrary.patrons.actions import register_patron
from onelibrary.patrons.models import Patron
from onelibrary.records.privacy import erase_patron, export_patron
from tests.account.conftest import give_pin
from tests.holds.conftest import hw  # noqa: F401  (fixture)
from tests.patrons.conftest import login

PERSON = {
    "first_name": "Quillon",
    "last_name": "Marchetti-Vance",
    "email": "quillon.mv@example.net",
    "phone": "(406) 555-0199",
    "address": "88 Tamarack Crescent",
    "postcode": "59801",
}


def rows_containing(secrets: list[str]) -> list[str]:
    """Every table, every row, every column, as the database gives them back."""
    found = []
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(include_views=False):
            cursor.execute(f"SELECT * FROM {quote(table)}")
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, (bytes, memoryview)):
                        text = bytes(value).decode("utf-8", "replace")
                    else:
                        text = str(value)
                    found += [f"{table}: {s!r} in {text[:120]!r}" for s in secrets if s in text]
    return found


def sessions_containing(secrets: list[str]) -> list[str]:
    found = []
    for key, data in _sessions():
        text = json.dumps(SessionStore().decode(data))
        found += [f"session {key[:6]}: {s!r}" for s in secrets if s in text]
    return found


def _sessions() -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT session_key, session_data FROM django_session")
        return list(cursor.fetchall())


@pytest.fixture
def lived(hw, settings, capsys, django_capture_on_commit_callbacks):  # noqa: F811
    """The patron's life in the group, through the desk, holds, the account and logins.
    (capsys first: what is written on the way is searched too.)"""
    settings.EMAIL_BACKEND = project_settings.EMAIL_BACKEND  # as a fresh install sends mail
    patron = register_patron(hw.desk_riv, PERSON, library=hw.riverton)
    card = patron.card
    give_pin(patron, "8642")

    # A hold on the copy at Riverton Main: on the shelf at once, and the notice sent.
    with django_capture_on_commit_callbacks(execute=True):
        hold = holds.place_hold(hw.central, patron, hw.riv_main, item=hw.dune_riv).hold
        holds_desk.pull_copy(hw.central, hw.riv_main, hw.dune_riv)
    assert HoldEvent.objects.filter(hold=hold, kind="notice_sent").exists()

    # The desk: the patron collects it (the hold is fulfilled), brings it back, and the
    # card is scanned at check-in by mistake. The desk's session keeps its result lines.
    desk = login(hw.desk_riv)
    desk.post(reverse("desk:home"), {"branch": hw.riv_main.pk})
    desk.post(reverse("desk:checkout_patron"), {"card": card})
    desk.post(reverse("desk:checkout_item"), {"barcode": hw.dune_riv.barcode})
    assert Loan.objects.filter(patron=patron, state="active").exists()
    desk.post(reverse("desk:checkin_item"), {"barcode": hw.dune_riv.barcode})
    desk.post(reverse("desk:checkin_item"), {"barcode": card})
    assert UnprocessedScan.objects.filter(barcode=card).exists()
    assert Hold.objects.get(pk=hold.pk).state == Hold.State.FULFILLED

    # Logins: a wrong PIN online, and the card typed into the staff login page.
    Client().post("/account/login/", {"card": card, "pin": "0000"})
    Client().post("/login/", {"username": card, "password": "not a staff password"})
    assert LoginAttempt.objects.filter(card=card).exists()
    return patron


def test_it_exports_the_login_tries_and_the_scans_holding_the_card(hw, lived):  # noqa: F811
    data = export_patron(hw.central, lived.pk)
    assert [t["ok"] for t in data["login_attempts"]] == [False]
    assert data["login_attempts"][0]["address"] == "127.0.0.1"
    [scan] = data["unprocessed_scans"]
    assert scan["screen"] == "checkin" and scan["branch"] == "Riverton Main"


def test_erasure_leaves_the_patron_nowhere(hw, lived, capsys, caplog):  # noqa: F811
    caplog.set_level(logging.DEBUG)
    card = lived.card
    secrets = [
        PERSON["first_name"],
        "Marchetti",
        card,
        PERSON["email"],
        "555-0199",
        "Tamarack",
    ]
    assert rows_containing(secrets)  # the search finds them before

    erase_patron(hw.central, lived.pk)

    left = rows_containing(secrets)
    assert left == [], "\n".join(left)
    assert sessions_containing(secrets) == []
    output = capsys.readouterr()
    said = output.out + output.err + "\n".join(r.getMessage() for r in caplog.records)
    assert [s for s in secrets if s in said] == []
    assert not Hold.objects.filter(patron=lived).exists()  # the title they held: forgotten
    assert Patron.objects.get(pk=lived.pk).erased_at is not None
