"""Token authentication: every endpoint needs a working staff key (apiauth.StaffToken)."""

from __future__ import annotations

import pytest
from django.test import Client

from onelibrary.members import tokens
from onelibrary.members.models import ApiToken, StaffRole
from tests.api.conftest import Api

ITEM = "/catalog/items/31000000000011"


def test_it_refuses_a_request_without_a_token_with_a_clear_message(world, rules):
    response = Api(Client(), "").get(ITEM)
    assert response.status_code == 401
    assert response.json()["code"] == "no_token"
    assert "Authorization: Bearer" in response.json()["message"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_it_refuses_a_header_that_is_not_bearer(world, rules):
    response = Client().get("/api/v1" + ITEM, headers={"Authorization": "Basic abc"})
    assert response.status_code == 401
    assert response.json()["code"] == "bad_header"


def test_it_refuses_an_unknown_key(world, rules):
    response = Api(Client(), "not-a-key").get(ITEM)
    assert response.status_code == 401
    assert response.json()["code"] == "bad_token"


def test_it_refuses_a_revoked_token(world, desk_riv):
    token = ApiToken.objects.get(key_hash=tokens.hash_key(desk_riv.key))
    tokens.revoke_token(token.pk)
    response = desk_riv.get(ITEM)
    assert response.status_code == 401
    assert response.json()["code"] == "token_revoked"
    assert "revoked" in response.json()["message"]


def test_it_refuses_the_token_of_an_account_that_no_longer_works_for_a_library(world, desk_riv):
    StaffRole.objects.filter(user=world.desk_riv).delete()
    response = desk_riv.get(ITEM)
    assert response.status_code == 403
    assert response.json()["code"] == "not_staff"


def test_it_refuses_the_token_of_a_disabled_account(world, desk_riv):
    world.desk_riv.is_active = False
    world.desk_riv.save()
    response = desk_riv.get(ITEM)
    assert response.status_code == 401
    assert response.json()["code"] == "account_inactive"


def test_it_notes_when_a_token_was_last_used(world, desk_riv):
    token = ApiToken.objects.get(key_hash=tokens.hash_key(desk_riv.key))
    assert token.last_used_at is None
    assert desk_riv.get(ITEM).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_it_stores_only_the_hash_of_a_key(world):
    issued = tokens.issue_token(world.desk_riv, name="self-check 1")
    stored = ApiToken.objects.get(pk=issued.token.pk)
    assert stored.key_hash == tokens.hash_key(issued.key) != issued.key
    assert len(issued.key) >= 40


def test_it_issues_tokens_to_staff_accounts_only(world, django_user_model):
    patron_account = django_user_model.objects.create_user("someone")
    with pytest.raises(tokens.TokenRefused, match="only staff accounts"):
        tokens.issue_token(patron_account, name="x")
    assert not ApiToken.objects.exists()
