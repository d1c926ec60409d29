"""The desk's locking statement asks the holds questions in SQL (holds.models
`may_claim_sql`, `waits_on_copy_sql`); they must answer as the ORM forms do, for every
hold state and every way a hold can relate to a copy."""

from __future__ import annotations

import itertools

import pytest

from onelibrary.circulation.locks import lock_item
from onelibrary.holds.models import Hold, may_claim
from tests.holds.conftest import make_title

pytestmark = pytest.mark.django_db

# How the one hold in each case relates to Dune's Riverton copy.
RELATIONS = ("assigned to this copy", "for its title", "assigned to the other copy", "other title")


def _waits_on_copy(item) -> bool:
    return Hold.objects.filter(
        assigned_item=item, state__in=(Hold.State.ON_SHELF, Hold.State.ROUTED)
    ).exists()


@pytest.mark.parametrize(
    ("state", "relation"), list(itertools.product(Hold.State.values, RELATIONS))
)
def test_it_answers_as_the_orm_does(hw, state, relation):
    copy, other = hw.dune_riv, hw.dune_pine
    title = make_title() if relation == "other title" else hw.dune
    assigned = {"assigned to this copy": copy, "assigned to the other copy": other}.get(relation)
    Hold.objects.create(
        patron=hw.ben, title=title, pickup_branch=hw.pine_main, state=state, assigned_item=assigned
    )
    locked = lock_item(copy.pk)
    assert locked.claimable is may_claim(copy)
    assert locked.hold_waits is _waits_on_copy(copy)


def test_with_no_hold_neither_is_true(hw):
    locked = lock_item(hw.dune_riv.pk)
    assert (locked.claimable, locked.hold_waits, locked.open_loan_id) == (False, False, None)


def test_some_case_answers_true_for_each(hw):
    """The parametrised cases are not all False: each question has a True case."""
    Hold.objects.create(
        patron=hw.ben,
        title=hw.dune,
        pickup_branch=hw.pine_main,
        state=Hold.State.ROUTED,
        assigned_item=hw.dune_riv,
    )
    locked = lock_item(hw.dune_riv.pk)
    assert locked.claimable and locked.hold_waits
