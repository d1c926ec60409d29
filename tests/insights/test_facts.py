"""What a loan and a hold record for reports, at the moment it happens, through the real
desk actions — and that they outlive the patron link (docs/insights.md)."""

from __future__ import annotations

from django.utils import timezone

from onelibrary.circulation import actions as circulation
from onelibrary.circulation import holds_desk
from onelibrary.circulation.models import Loan
from onelibrary.holds import actions
from onelibrary.holds.models import Hold
from onelibrary.insights import figures
from onelibrary.insights.build import rebuild
from tests.holds.conftest import fresh, hw  # noqa: F401  (the holds world fixture)


def test_a_hold_fill_and_a_walk_in_record_who_lent_to_whom(hw):  # noqa: F811
    hw.ben.category = "teen"
    hw.ben.save(update_fields=["category"])
    # Ben (PINE) holds Riverton's copy for pickup at Riverton Main; routed from there.
    hold = actions.place_hold(hw.central, hw.ben, hw.riv_main, item=hw.dune_riv).hold
    placed = fresh(hold)
    assert (placed.borrower_library, placed.borrower_category) == (hw.pine, "teen")
    assert placed.lending_branch == hw.riv_main  # the routed copy's branch
    holds_desk.pull_copy(hw.central, hw.riv_main, fresh(hw.dune_riv))
    assert fresh(hold).state == Hold.State.ON_SHELF
    filled = circulation.check_out(hw.central, hw.riv_main, hw.ben, fresh(hw.dune_riv)).loan
    walkin = circulation.check_out(hw.central, hw.pine_main, hw.ada, fresh(hw.dune_pine)).loan

    assert (filled.owning_library, filled.borrower_library) == (hw.riverton, hw.pine)
    assert (filled.borrower_category, filled.by_hold) == ("teen", True)
    assert (walkin.owning_library, walkin.borrower_library) == (hw.pine, hw.riverton)
    assert (walkin.borrower_category, walkin.by_hold) == ("adult", False)
    done = fresh(hold)
    assert done.state == Hold.State.FULFILLED
    assert (done.owning_library, done.lending_branch, done.pickup_branch) == (
        hw.riverton,
        hw.riv_main,
        hw.riv_main,
    )

    # Returned: the patron link goes (no opt-in); the facts stay.
    circulation.check_in(hw.central, hw.riv_main, fresh(hw.dune_riv))
    kept = Loan.objects.get(pk=filled.pk)
    assert kept.patron_id is None
    assert (kept.owning_library, kept.borrower_library, kept.by_hold) == (
        hw.riverton,
        hw.pine,
        True,
    )

    today = timezone.localdate()
    rebuild(today, today)
    got = {m.code: m for m in figures.members(today, today)}
    assert (got["RIV"].lent_by_hold, got["RIV"].borrowed_walkin) == (1, 1)
    assert (got["PINE"].borrowed_by_hold, got["PINE"].lent_walkin) == (1, 1)
    assert (got["PINE"].holds_placed, got["PINE"].holds_filled) == (1, 1)
    assert got["PINE"].fill_days_median == 0.0


def test_a_copy_captured_at_checkin_records_that_desk_as_its_lending_branch(hw):  # noqa: F811
    circulation.check_out(hw.central, hw.riv_main, hw.ada, hw.dune_riv)
    circulation.check_out(hw.central, hw.riv_main, hw.ada, hw.dune_pine)
    hold = actions.place_hold(hw.desk_pine, hw.ben, hw.pine_main, title=hw.dune).hold
    assert fresh(hold).lending_branch is None  # nothing to route yet
    circulation.check_in(hw.central, hw.elk_main, fresh(hw.dune_riv))  # returned at ELK
    assert fresh(hold).lending_branch == hw.elk_main
