"""Circulation fixtures: the group's rules on top of the shared test world."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.holds.conftest import hw  # noqa: F401  (fixture)


@pytest.fixture
def monday_noon():
    """A fixed Monday, so due dates and closed days are predictable."""
    return timezone.make_aware(dt.datetime(2026, 11, 2, 12, 0))
