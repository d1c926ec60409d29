"""`onelibrary sip-account`: a self-check machine's login, acting as desk staff (SIP-6)."""

from __future__ import annotations

import socket

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from onelibrary.core.refusals import Refusal
from onelibrary.members.access import role_at_branch
from onelibrary.sip2 import accounts
from onelibrary.sip2.models import SipAccount


def test_it_sip_6_makes_an_account_acting_as_desk_staff_at_its_branch(world, capsys):
    call_command("sip_account", "RIV-EAST", "sc-east", "--password", "east-secret")
    account = SipAccount.objects.get(login="sc-east")
    assert account.branch == world.riv_east and account.require_pin
    assert account.user.username == "sip2:sc-east"
    assert role_at_branch(account.user, world.riv_east) == "desk"
    assert "sip2:sc-east" in capsys.readouterr().out
    # It cannot log in to the web pages: it has no usable password.
    assert not account.user.has_usable_password()
    assert Client().login(username="sip2:sc-east", password="east-secret") is False


def test_it_sip_1_checks_the_machines_password(world):
    accounts.create_account("PINE", "sc-pine", "pine-secret")
    assert accounts.authenticate("sc-pine", "pine-secret").branch == world.pine_main
    assert accounts.authenticate("sc-pine", "wrong") is None
    assert accounts.authenticate("nobody", "pine-secret") is None


def test_it_sip_6_moves_an_account_to_another_library(world):
    accounts.create_account("PINE", "sc-moved", "first-secret")
    account = accounts.create_account("ELK", "sc-moved", "second-secret")
    assert account.branch == world.elk_main
    assert role_at_branch(account.user, world.elk_main) == "desk"
    with pytest.raises(Refusal, match="You do not work for Pine Creek Library"):
        role_at_branch(account.user, world.pine_main)
    assert accounts.authenticate("sc-moved", "first-secret") is None


@pytest.mark.parametrize(
    "branch, login, password, says",
    [
        ("NOPE", "sc-1", "long-enough", "No branch has the code 'NOPE'"),
        ("ELK", "sc|1", "long-enough", "without '|'"),
        ("ELK", "sc-1", "short", "at least 8 characters"),
    ],
)
def test_it_refuses_a_bad_account_and_makes_nothing(world, branch, login, password, says):
    with pytest.raises(CommandError, match=says):
        call_command("sip_account", branch, login, "--password", password)
    assert not SipAccount.objects.exists()


def test_the_server_command_says_when_its_port_is_taken(db):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(CommandError, match=f"Cannot listen on 127.0.0.1:{port}"):
            call_command("sip2", "--port", str(port))


def test_the_server_command_refuses_an_unknown_encoding(db):
    with pytest.raises(CommandError, match="Unknown encoding 'klingon'"):
        call_command("sip2", "--encoding", "klingon")
