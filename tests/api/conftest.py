"""API fixtures: the group's rules, staff tokens and a client that sends them."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User
from django.test import Client

from onelibrary.members import tokens

PREFIX = "/api/v1"


@dataclass
class Api:
    """A test client that calls the API with one staff member's token."""

    client: Client
    key: str

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"} if self.key else {}

    def get(self, path: str, **params: str):
        return self.client.get(PREFIX + path, params, headers=self.headers())

    def post(self, path: str, body: dict | None = None):
        return self.client.post(
            PREFIX + path, body or {}, content_type="application/json", headers=self.headers()
        )


def api_for(user: User) -> Api:
    return Api(Client(), tokens.issue_token(user, name="tests").key)


@pytest.fixture
def desk_riv(world, rules) -> Api:
    return api_for(world.desk_riv)


@pytest.fixture
def desk_pine(world, rules) -> Api:
    return api_for(world.desk_pine)


@pytest.fixture
def admin_riv(world, rules) -> Api:
    return api_for(world.admin_riv)
