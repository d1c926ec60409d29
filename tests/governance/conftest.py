"""Governance fixtures: the holds-ready test world (tests/holds/conftest.py) and a decision
of the board, recorded."""

from __future__ import annotations

import datetime as dt

import pytest

from onelibrary.governance import actions
from onelibrary.governance.models import Decision
from tests.holds.conftest import hw, reference  # noqa: F401 - fixtures used here


@pytest.fixture
def board_decision(world) -> Decision:
    return actions.propose(
        world.central,
        title="Membership of Elk Valley",
        body=Decision.Body.BOARD,
        text="The board decided at its meeting.",
        decided_on=dt.date(2026, 11, 2),
    )
