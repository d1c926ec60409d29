"""`onelibrary sip2` as it is run for real: a child process on the test database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import global_settings
from django.db import connection

from onelibrary.account.actions import set_pin_by_staff
from onelibrary.circulation.models import Event
from onelibrary.sip2.accounts import create_account

from .conftest import LOGIN, PASSWORD, PIN, client_on

pytestmark = pytest.mark.django_db(transaction=True)

SRC = Path(__file__).resolve().parents[2] / "src"


def database_env() -> dict[str, str]:
    """The environment that points a child process at this test's database."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        env["ONELIBRARY_SQLITE_PATH"] = str(db["NAME"])
    else:
        password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
        env["DATABASE_URL"] = (
            f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
        )
    env["PYTHONPATH"] = str(SRC)
    return env


def test_the_command_serves_a_machine(world, account, settings):
    # The child runs with the real hashers, which cannot read the tests' fast MD5 hashes.
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
    create_account("RIV-MAIN", LOGIN, PASSWORD)
    set_pin_by_staff(world.desk_riv, world.ada.card, PIN, PIN)
    command = [sys.executable, "-u", "-m", "onelibrary", "sip2", "--port", "0"]
    server = subprocess.Popen(
        command, env=database_env(), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    try:
        first = server.stdout.readline()
        assert first.startswith("SIP2 server on 127.0.0.1:"), first
        port = int(first.rsplit(":", 1)[1])
        sip = client_on(port, card=world.ada.card, pin=PIN)
        assert sip.get_response(sip.sip_login_request(LOGIN, PASSWORD)).startswith("941")
        out = sip.get_response(sip.sip_checkout_request("31000000000011"))
        sip.disconnect()
        assert out.startswith("121")
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert Event.objects.get(kind="checkout").staff.username == f"sip2:{LOGIN}"
