"""Patron fixtures on top of the shared test world (tests/README.md).

Ada (card 29000000000017) is Riverton's patron, Ben (29000000000025) Pine Creek's. So
`desk.riv` and `admin.riv` are at Ada's home library and another member for Ben; `desk.pine`
the other way round; `central` is the central office.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.test import Client

from onelibrary.members import tokens
from onelibrary.patrons.fields import default_table
from onelibrary.patrons.models import FieldPermission, PatronAudit

ADA = "29000000000017"
BEN = "29000000000025"


@pytest.fixture(autouse=True)
def default_permissions(db):
    """The table as migration 0004 seeds it (a transactional test elsewhere may flush it)."""
    for (role, relation, group), (view, edit) in default_table().items():
        FieldPermission.objects.update_or_create(
            role=role,
            relation=relation,
            field_group=group,
            defaults={"can_view": view, "can_edit": edit},
        )


@pytest.fixture
def full_ada(world):
    """Ada with every field filled in."""
    ada = world.ada
    ada.email = "ada@example.org"
    ada.phone = "(406) 555-0101"
    ada.address = "12 Larch Street"
    ada.town = "Riverton"
    ada.postcode = "59801"
    ada.birth_date = dt.date(1980, 5, 17)
    ada.notes = "Prefers large print."
    ada.block_reason = ""
    ada.save()
    return ada


def login(user: User, *, is_staff: bool = False) -> Client:
    if is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    client = Client()
    client.force_login(user)
    return client


class Api:
    """The JSON API as one staff member."""

    def __init__(self, user: User):
        self.client = Client()
        self.key = tokens.issue_token(user, name="tests").key

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}

    def get(self, path: str):
        return self.client.get("/api/v1" + path, headers=self._headers())

    def post(self, path: str, body: dict):
        return self.client.post(
            "/api/v1" + path, body, content_type="application/json", headers=self._headers()
        )

    def patch(self, path: str, body: dict):
        return self.client.patch(
            "/api/v1" + path, body, content_type="application/json", headers=self._headers()
        )


def audit_rows(patron, **filters) -> list[PatronAudit]:
    return list(PatronAudit.objects.filter(patron=patron, **filters).order_by("pk"))
