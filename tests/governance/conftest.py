"""Governance fixtures: the holds-ready test world (tests/holds/conftest.py)."""

from __future__ import annotations

from tests.holds.conftest import hw, reference  # noqa: F401 - fixtures used here
