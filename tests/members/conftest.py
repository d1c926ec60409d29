"""The holds world (`hw`: rules, courier days, year-old copies) for the access tests."""

from tests.holds.conftest import hw  # noqa: F401 - a fixture, used by name
