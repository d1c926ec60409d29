"""Evergreen's values in our vocabulary: pure functions, no ORM (tests/evergreen/test_mapping.py).

Each function that may find no place for a row returns a `Skip` whose text is the line
the import prints under "unmapped". docs/migration.md lists the choices made here.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from onelibrary.catalog.models import Item

ROOT = "1"  # the consortium org unit, Evergreen seed data (not in actor.org_unit.sql)

# Evergreen's seed copy statuses (config.copy_status) → ours.
S = Item.Status
COPY_STATUS: dict[str, tuple[str, str]] = {
    "0": (S.AVAILABLE, "Available"),
    "1": (S.CHECKED_OUT, "Checked out"),
    "2": (S.IN_PROCESSING, "Bindery"),
    "3": (S.LOST, "Lost"),
    "4": (S.MISSING, "Missing"),
    "5": (S.IN_PROCESSING, "In process"),
    "6": (S.AVAILABLE, "In transit"),  # the transit rows are not in the dump: see the docs
    "7": (S.AVAILABLE, "Reshelving"),
    "8": (S.AVAILABLE, "On holds shelf"),  # no captured hold comes over to hold it
    "9": (S.IN_PROCESSING, "On order"),
    "10": (S.IN_PROCESSING, "ILL"),
    "11": (S.IN_PROCESSING, "Cataloging"),
    "12": (S.AVAILABLE, "Reserves"),
    "13": (S.WITHDRAWN, "Discard/Weed"),
    "14": (S.DAMAGED, "Damaged"),
    "15": (S.AVAILABLE, "On reservation shelf"),
    "16": (S.LOST, "Long overdue"),
    "17": (S.LOST, "Lost and paid"),
    "18": (S.AVAILABLE, "Canceled transit"),
}
# Statuses that lose something on the way (said once per status in `unmapped`).
LOSSY_STATUS = {
    "6": "the transit itself is not in the dump, so the copy is shelved at its circ_lib",
    "8": "no captured hold comes over, so the copy is shelved at its circ_lib",
    "10": "our copies have no inter-library-loan status",
    "12": "our copies have no course-reserves status",
    "15": "our copies have no booking status",
}

# permission.grp_tree seed profiles: 1 Users and 2 Patrons are patrons; 3–16 are staff
# groups (Staff, Catalogers, Circulators, ... Global Administrators, Volunteers).
PATRON_PROFILES = {"1", "2"}
STAFF_PROFILES = {str(n) for n in range(3, 17)}


class Skip(str):
    """A row that had no place: the text says which row and why."""


def is_true(value: str | None) -> bool:
    return value in ("t", "true", "1", "y", "yes")


def timestamp(value: str | None) -> dt.datetime | None:
    """'2020-10-27 10:26:51.426709-04' → an aware datetime (PostgreSQL timestamptz text)."""
    if value is None:
        return None
    text = value.strip()
    if re.search(r"[+-]\d\d$", text):
        text += ":00"  # PostgreSQL writes -04; fromisoformat wants -04:00
    parsed = dt.datetime.fromisoformat(text)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def money(value: str | None) -> Decimal | None:
    if value is None or value.strip() == "":
        return None
    try:
        amount = Decimal(value)
    except InvalidOperation:
        return None
    return amount if amount.is_finite() else None  # "NaN" is no price


_INTERVAL = re.compile(r"^\s*(\d+)\s*(day|days|week|weeks|mon|mons|month|months)\s*$", re.I)
_UNIT_DAYS = {"day": 1, "week": 7, "mon": 30, "month": 30}


def interval_days(value: str | None) -> int | None:
    """An interval of whole days ('14 days', '2 weeks') → days; None for parts of a day
    ('01:00:00') or anything else: our loan periods and fines count days."""
    if value is None:
        return None
    match = _INTERVAL.match(value)
    if match is None:
        return None
    unit = match.group(2).lower().removesuffix("s")
    return int(match.group(1)) * _UNIT_DAYS[unit]


def open_days(hours: dict[str, str | None]) -> str:
    """actor.hours_of_operation → Branch.open_days. Evergreen's dow_0 is Monday, like ours;
    a day whose open and close times are equal (00:00–00:00) is closed."""
    return "".join(
        "0" if hours[f"dow_{day}_open"] == hours[f"dow_{day}_close"] else "1" for day in range(7)
    )


def days_between(start: dt.datetime, end: dt.datetime) -> list[dt.date]:
    """The dates a closing covers, in the time zone it was written in."""
    first, last = start.date(), end.astimezone(start.tzinfo).date()
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


def size_class(branch_count: int) -> str:
    """Evergreen has no size for a library system; ours is a rough guess from its branches."""
    if branch_count >= 4:
        return "large"
    if branch_count >= 2:
        return "medium"
    return "small"


def code(text: str) -> str:
    """An org unit shortname as one of our codes (capitals, digits, '-', '_')."""
    return re.sub(r"[^A-Z0-9_-]", "-", text.strip().upper())[:32]


def category(profile: str | None, juvenile: bool, names: dict[str, str]) -> tuple[str, Skip | None]:
    """A patron's category from their Evergreen profile; a Skip when the profile has no
    category of ours (the patron is then an adult)."""
    if juvenile:
        return "child", None
    if profile in STAFF_PROFILES:
        return "staff", None
    if profile in PATRON_PROFILES:
        return "adult", None
    name = names.get(profile or "", "unknown")
    return "adult", Skip(
        f"permission.grp_tree id {profile} ({name}): no patron category of ours; "
        "its patrons are adults"
    )


@dataclass(frozen=True)
class RuleDraft:
    """A CirculationRule to create: the criteria and settings we could carry over."""

    name: str
    library: str | None  # an Evergreen org unit id, or None for a group rule
    patron_category: str = ""
    item_type: str = ""
    loan_days: int | None = None
    renewals_allowed: int | None = None
    fine_per_day: Decimal | None = None
    fine_cap: Decimal | None = None
    max_holds: int | None = None
    holdable: bool | None = None


Rows = dict[str, dict[str, str | None]]  # Evergreen id → row

CIRC_CRITERIA_WE_LACK = {
    "copy_location": "the copy's shelving location",
    "marc_type": "the record's MARC type",
    "marc_form": "the record's MARC form",
    "marc_bib_level": "the record's bibliographic level",
    "marc_vr_format": "the video recording format",
    "copy_circ_lib": "the copy's circulating library",
    "copy_owning_lib": "the copy's owning library",
    "user_home_ou": "the patron's home library",
    "ref_flag": "whether the copy is reference",
    "is_renewal": "whether the loan is a renewal",
    "usr_age_lower_bound": "the patron's age",
    "usr_age_upper_bound": "the patron's age",
    "item_age": "the copy's age",
    "hard_due_date": "a fixed due date",
    "script_test": "a script",
    "total_copy_hold_ratio": "the title's copy/hold ratio",
    "available_copy_hold_ratio": "the title's copy/hold ratio",
}


def _who(
    where: str, row: dict[str, str | None], group_column: str, profiles: dict[str, str]
) -> tuple[str, Skip | None]:
    grp = row.get(group_column)
    juvenile = row.get("juvenile_flag")
    if juvenile is not None:
        if not is_true(juvenile):
            return "", Skip(f"{where}: matches adults only, which our rules cannot say")
        return "child", None
    if grp is None or grp in PATRON_PROFILES:
        return "", None
    if grp in STAFF_PROFILES:
        return "staff", None
    name = profiles.get(grp, "unknown")
    return "", Skip(
        f"{where}: matches on patron profile {grp} ({name}), which has no patron category of ours"
    )


def circ_rule(
    row: dict[str, str | None],
    *,
    durations: Rows,
    fines: Rows,
    max_fines: Rows,
    profiles: dict[str, str],
    places: dict[str, str],
) -> tuple[RuleDraft | None, list[Skip]]:
    """config.circ_matrix_matchpoint → a rule, or why not. `places` says which org units
    are member libraries or branches (their Evergreen ids → 'library'/'branch')."""
    where = f"config.circ_matrix_matchpoint id {row['id']}"
    notes: list[Skip] = []
    if not is_true(row["active"]):
        return None, [Skip(f"{where}: inactive in Evergreen, so not carried over")]
    lacking = sorted({text for col, text in CIRC_CRITERIA_WE_LACK.items() if row.get(col)})
    if lacking:
        return None, [
            Skip(f"{where}: matches on {', '.join(lacking)}, which our rules do not have")
        ]
    category_, skip = _who(where, row, "grp", profiles)
    if skip:
        return None, [skip]
    if row.get("circulate") is not None and not is_true(row["circulate"]):
        return None, [Skip(f"{where}: forbids loans, and our rules have no 'may not borrow'")]
    org = row["org_unit"] or ROOT
    if org != ROOT and org not in places:
        return None, [Skip(f"{where}: org unit {org} did not come over")]
    if places.get(org) == "branch":
        notes.append(Skip(f"{where}: set for branch {org}; ours applies to its whole library"))
    loan_days = renewals = None
    if duration_id := row.get("duration_rule"):
        duration = durations.get(duration_id)
        if duration is None:
            notes.append(Skip(f"{where}: duration rule {duration_id} is not in the dump"))
        else:
            loan_days = interval_days(duration["normal"])
            if loan_days is None:
                notes.append(Skip(f"{where}: loan period {duration['normal']!r} is not whole days"))
            renewals = _int(duration["max_renewals"])
    if row.get("renewals") is not None:
        renewals = _int(row["renewals"])
    fine_per_day = fine_cap = None
    if fine_id := row.get("recurring_fine_rule"):
        fine = fines.get(fine_id)
        if fine is None:
            notes.append(Skip(f"{where}: recurring fine rule {fine_id} is not in the dump"))
        elif interval_days(fine["recurrence_interval"]) == 1:
            fine_per_day = money(fine["normal"])
        else:
            notes.append(
                Skip(f"{where}: a fine every {fine['recurrence_interval']}; ours is daily")
            )
    if max_id := row.get("max_fine_rule"):
        cap = max_fines.get(max_id)
        if cap is None:
            notes.append(Skip(f"{where}: max fine rule {max_id} is not in the dump"))
        elif is_true(cap["is_percent"]):
            notes.append(Skip(f"{where}: a fine cap as a share of the price; ours is an amount"))
        else:
            fine_cap = money(cap["amount"])
    if row.get("grace_period"):
        notes.append(Skip(f"{where}: grace period {row['grace_period']} has no place"))
    draft = RuleDraft(
        name=f"Evergreen circulation {row['id']}"
        + (f": {row['description']}" if row.get("description") else ""),
        library=None if org == ROOT else org,
        patron_category=category_,
        item_type=(row.get("circ_modifier") or "")[:32],
        loan_days=loan_days,
        renewals_allowed=renewals,
        fine_per_day=fine_per_day,
        fine_cap=fine_cap,
    )
    return draft, notes


HOLD_CRITERIA_WE_LACK = {
    "strict_ou_match": "an exact org unit match",
    "user_home_ou": "the patron's home library",
    "request_ou": "where the hold is placed",
    "pickup_ou": "the pickup library",
    "item_circ_ou": "the copy's circulating library",
    "marc_type": "the record's MARC type",
    "marc_form": "the record's MARC form",
    "marc_bib_level": "the record's bibliographic level",
    "marc_vr_format": "the video recording format",
    "item_age": "the copy's age",
    "transit_range": "a transit range",
    "age_hold_protect_rule": "an age protection rule",
    "copy_location": "the copy's shelving location",
}


def hold_rule(
    row: dict[str, str | None], *, profiles: dict[str, str], places: dict[str, str]
) -> tuple[RuleDraft | None, list[Skip]]:
    """config.hold_matrix_matchpoint → a rule (holdable, max holds), or why not."""
    where = f"config.hold_matrix_matchpoint id {row['id']}"
    if not is_true(row["active"]):
        return None, [Skip(f"{where}: inactive in Evergreen, so not carried over")]
    lacking = sorted(
        {
            text
            for col, text in HOLD_CRITERIA_WE_LACK.items()
            if row.get(col) is not None and not (col == "strict_ou_match" and not is_true(row[col]))
        }
    )
    if row.get("requestor_grp") not in (None, *PATRON_PROFILES):
        grp = row["requestor_grp"] or ""
        return None, [
            Skip(
                f"{where}: matches on who places the hold (profile {grp}, "
                f"{profiles.get(grp, 'unknown')}), which our rules do not have"
            )
        ]
    if lacking:
        return None, [
            Skip(f"{where}: matches on {', '.join(lacking)}, which our rules do not have")
        ]
    category_, skip = _who(where, row, "usr_grp", profiles)
    if skip:
        return None, [skip]
    notes: list[Skip] = []
    org = row.get("item_owning_ou") or ROOT
    if org != ROOT and org not in places:
        return None, [Skip(f"{where}: org unit {org} did not come over")]
    if row.get("ref_flag") is not None:
        notes.append(
            Skip(f"{where}: also matches on reference copies or not; ours applies to both")
        )
    if is_true(row.get("stop_blocked_user")):
        notes.append(Skip(f"{where}: 'stop blocked user' has no place in our rules"))
    description = f": {row['description']}" if row.get("description") else ""
    draft = RuleDraft(
        name=f"Evergreen hold rule {row['id']}{description}",
        library=None if org == ROOT else org,
        patron_category=category_,
        item_type=(row.get("circ_modifier") or "")[:32],
        max_holds=_int(row.get("max_holds")),
        holdable=None if row.get("holdable") is None else is_true(row["holdable"]),
    )
    return draft, notes


def _int(value: str | None) -> int | None:
    return None if value is None or not value.strip().isdigit() else int(value)
