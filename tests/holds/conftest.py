"""Holds fixtures: the group's rules, courier days and settled copies on the test world.

The world's two copies of Dune are made a year old, so that local-priority windows do not
apply unless a test makes a new copy. Courier days come from `onelibrary courier-matrix`:
RIV-MAIN–RIV-EAST 1 day, RIV–PINE 2, RIV–ELK 2, PINE–ELK 2.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.test import Client
from django.utils import timezone

from onelibrary.catalog.models import Item, Title
from onelibrary.courier.management.commands.courier_matrix import fill_courier_days
from onelibrary.members import tokens
from onelibrary.policy.models import ExemptionReason, GroupPolicy

A_YEAR_AGO = timezone.now() - dt.timedelta(days=365)


@pytest.fixture
def hw(world, rules, settings):
    """The world ready for holds: old copies, courier days, the group policy, emails."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    Item.objects.update(created_at=A_YEAR_AGO)
    fill_courier_days()
    GroupPolicy.objects.create()
    world.ada.email = "ada@example.org"
    world.ada.save(update_fields=["email"])
    for item in (world.dune_riv, world.dune_pine):
        item.refresh_from_db()
    return world


@pytest.fixture
def reference(world):
    return ExemptionReason.objects.create(code="reference", label="Reference only")


def make_title(name: str = "Piranesi") -> Title:
    return Title.objects.create(title=name, author="Clarke, Susanna", title_key=name.lower())


def make_copy(world, title: Title, barcode: str, library=None, branch=None, **fields) -> Item:
    library = library or world.elk
    branch = branch or world.elk_main
    fields = {"created_at": A_YEAR_AGO, "item_type": "book", "collection": "ADULT", **fields}
    return Item.objects.create(
        barcode=barcode,
        title=title,
        owning_library=library,
        home_branch=branch,
        current_branch=branch,
        **fields,
    )


def fresh(obj):
    obj.refresh_from_db()
    return obj


@dataclass
class Api:
    """A test client that calls the API with one staff member's token."""

    client: Client
    key: str

    def get(self, path: str, **params: str):
        return self.client.get("/api/v1" + path, params, headers=self.headers())

    def post(self, path: str, body: dict | None = None):
        return self.client.post(
            "/api/v1" + path, body or {}, content_type="application/json", headers=self.headers()
        )

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}


@pytest.fixture
def api_riv(hw) -> Api:
    return Api(Client(), tokens.issue_token(hw.desk_riv, name="tests").key)


@pytest.fixture
def api_pine(hw) -> Api:
    return Api(Client(), tokens.issue_token(hw.desk_pine, name="tests").key)
