"""API fixtures: the group's rules, staff tokens and a client that sends them."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client

from onelibrary.members import tokens
from onelibrary.policy.models import CirculationRule

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


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The world's staff get passwords; the slow real hasher adds a second to every test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def api_for(user: User) -> Api:
    return Api(Client(), tokens.issue_token(user, name="tests").key)


@pytest.fixture
def rules(world):
    """A group default (21 days, 2 renewals, 30 items, fine-free, $10 blocks) and PINE's
    override that fines 25 cents a day, capped at $5."""
    default = CirculationRule.objects.create(
        name="Group default",
        loan_days=21,
        renewals_allowed=2,
        max_items_out=30,
        fine_block_threshold=Decimal("10.00"),
        holdable=True,
    )
    pine = CirculationRule.objects.create(
        name="Pine Creek fines",
        library=world.pine,
        fine_per_day=Decimal("0.25"),
        fine_cap=Decimal("5.00"),
    )
    return {"default": default, "pine": pine}


@pytest.fixture
def desk_riv(world, rules) -> Api:
    return api_for(world.desk_riv)


@pytest.fixture
def desk_pine(world, rules) -> Api:
    return api_for(world.desk_pine)


@pytest.fixture
def admin_riv(world, rules) -> Api:
    return api_for(world.admin_riv)
