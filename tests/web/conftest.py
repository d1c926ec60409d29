"""Fixtures for the web pages: a searchable world, logged-in clients, and a browser."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from onelibrary.catalog.search import index_titles
from tests.holds.conftest import hw  # noqa: F401  (fixture: the world ready for holds)


@pytest.fixture
def indexed_world(world):
    index_titles([world.dune.pk])
    return world


def client_for(user: User, *, is_staff: bool = False) -> Client:
    if is_staff:
        # Entering the admin needs is_staff; the account creator sets it in real life.
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    client = Client()
    client.force_login(user)
    return client
