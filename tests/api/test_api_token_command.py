"""`onelibrary api_token`: issue a key (printed once) or revoke a token."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from onelibrary.members import tokens
from onelibrary.members.models import ApiToken


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("api_token", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_prints_a_new_key_once_and_stores_its_hash(world):
    out, err = run("desk.riv", "--name", "self-check 2")
    key = out.strip()
    token = ApiToken.objects.get()
    assert token.key_hash == tokens.hash_key(key)
    assert token.name == "self-check 2" and token.user == world.desk_riv
    assert "shown only now" in err and key not in err
    assert tokens.use_token(key) == world.desk_riv


def test_it_revokes_a_token_by_id(world):
    issued = tokens.issue_token(world.desk_riv, name="old")
    out, _ = run("--revoke", str(issued.token.pk))
    assert f"Revoked API token #{issued.token.pk}" in out
    with pytest.raises(tokens.TokenRefused, match="revoked"):
        tokens.use_token(issued.key)


def test_it_explains_an_unknown_account_or_token(world):
    with pytest.raises(CommandError, match="no account named nobody"):
        run("nobody", "--name", "x")
    with pytest.raises(CommandError, match="no API token #999"):
        run("--revoke", "999")
    with pytest.raises(CommandError, match="Name the token"):
        run("desk.riv")
