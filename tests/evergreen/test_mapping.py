"""Evergreen's values in ours (evergreen/mapping.py): plain data in, plain data out."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from onelibrary.evergreen.mapping import (
    category,
    circ_rule,
    days_between,
    hold_rule,
    interval_days,
    money,
    open_days,
    timestamp,
)

EMPTY_CIRC = dict.fromkeys(
    [
        "org_unit",
        "grp",
        "circ_modifier",
        "copy_location",
        "marc_type",
        "marc_form",
        "marc_bib_level",
        "marc_vr_format",
        "copy_circ_lib",
        "copy_owning_lib",
        "user_home_ou",
        "ref_flag",
        "juvenile_flag",
        "is_renewal",
        "usr_age_lower_bound",
        "usr_age_upper_bound",
        "item_age",
        "circulate",
        "duration_rule",
        "recurring_fine_rule",
        "max_fine_rule",
        "hard_due_date",
        "renewals",
        "grace_period",
        "script_test",
        "total_copy_hold_ratio",
        "available_copy_hold_ratio",
        "description",
    ]
)
DURATIONS = {"103": {"normal": "21 days", "max_renewals": "2"}}
FINES = {"7": {"normal": "0.25", "recurrence_interval": "1 day"}}
CAPS = {"8": {"amount": "5.00", "is_percent": "0"}}


def circ(**values: str | None):
    row = {**EMPTY_CIRC, "id": "9", "active": "1", **values}
    return circ_rule(
        row, durations=DURATIONS, fines=FINES, max_fines=CAPS, profiles={}, places={"4": "branch"}
    )


def test_a_matchpoint_on_a_modifier_becomes_a_rule_with_its_period_fine_and_cap():
    draft, notes = circ(
        grp="2", circ_modifier="book", duration_rule="103", recurring_fine_rule="7",
        max_fine_rule="8", org_unit="1",
    )  # fmt: skip
    assert notes == []
    assert draft is not None
    assert (draft.library, draft.item_type, draft.loan_days, draft.renewals_allowed) == (
        None, "book", 21, 2,
    )  # fmt: skip
    assert (draft.fine_per_day, draft.fine_cap) == (Decimal("0.25"), Decimal("5.00"))


def test_a_matchpoint_on_user_age_has_no_place():
    draft, notes = circ(usr_age_lower_bound="18 years")
    assert draft is None
    assert notes == [
        "config.circ_matrix_matchpoint id 9: matches on the patron's age, "
        "which our rules do not have"
    ]


def test_a_branch_matchpoint_applies_to_its_library_and_says_so():
    draft, notes = circ(org_unit="4", juvenile_flag="1")
    assert draft is not None and (draft.library, draft.patron_category) == ("4", "child")
    assert "ours applies to its whole library" in notes[0]


def test_a_hold_matchpoint_that_forbids_holds_on_a_modifier():
    row = dict.fromkeys(
        [
            "strict_ou_match",
            "user_home_ou",
            "request_ou",
            "pickup_ou",
            "item_owning_ou",
            "item_circ_ou",
            "usr_grp",
            "requestor_grp",
            "circ_modifier",
            "marc_type",
            "marc_form",
            "marc_bib_level",
            "marc_vr_format",
            "juvenile_flag",
            "ref_flag",
            "item_age",
            "holdable",
            "transit_range",
            "max_holds",
            "stop_blocked_user",
            "age_hold_protect_rule",
            "description",
            "copy_location",
        ]
    )
    row |= {"id": "4", "active": "1", "usr_grp": "1", "circ_modifier": "dvd", "holdable": "0"}
    draft, notes = hold_rule(row, profiles={}, places={})
    assert draft is not None and (draft.item_type, draft.holdable) == ("dvd", False)
    assert notes == []


def test_open_days_start_on_monday_and_equal_times_mean_closed():
    hours = {f"dow_{d}_{w}": "09:00:00" if w == "open" else "17:00:00" for d in range(7)
             for w in ("open", "close")}  # fmt: skip
    hours["dow_6_open"] = hours["dow_6_close"] = "00:00:00"
    assert open_days(hours) == "1111110"


def test_timestamps_intervals_and_closings():
    start = timestamp("2021-12-24 00:00:00-05")
    end = timestamp("2021-12-25 23:59:59.445-05")
    assert start == dt.datetime(2021, 12, 24, 5, tzinfo=dt.UTC)
    assert start is not None and end is not None
    assert days_between(start, end) == [dt.date(2021, 12, 24), dt.date(2021, 12, 25)]
    assert (interval_days("14 days"), interval_days("2 weeks"), interval_days("01:00:00")) == (
        14, 14, None,
    )  # fmt: skip


def test_a_profile_without_a_category_of_ours_is_said_once():
    assert category("2", False, {}) == ("adult", None)
    assert category("2", True, {}) == ("child", None)
    assert category("5", False, {}) == ("staff", None)
    kind, skip = category("1016", False, {"1016": "Patron - Student"})
    assert kind == "adult" and skip and "Patron - Student" in skip


def test_a_price_is_a_finite_amount_or_none():
    assert money("24.95") == Decimal("24.95")
    assert [money(v) for v in (None, "", "  ", "abc", "NaN", "Infinity")] == [None] * 6
