"""The directory as plain data: every member and branch with its contacts, hours, courier
days and key policies, as one audience may see it (docs/directory.md, "Who sees what").

The public sees names, addresses, hours, courier days, key policies and the contacts
marked public; staff of any member (and the central office) see every contact as well.
The pages, the map's data and the pamphlet are all made from `directory_for`.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from onelibrary.courier import days as courier_days
from onelibrary.courier.models import Stop, weekdays_text
from onelibrary.directory.models import BranchHours, Contact
from onelibrary.members.access import Staff, scope_of
from onelibrary.members.models import Branch, Library
from onelibrary.policy import lookup
from onelibrary.policy.models import GroupPolicy
from onelibrary.policy.resolve import NoRuleError, Situation, resolve

PUBLIC, STAFF = "public", "staff"
# Members that left are kept for the record but are no longer in the directory.
LISTED = [s for s in Library.Status.values if s != Library.Status.LEFT]


@dataclass(frozen=True)
class Policies:
    """A member's key rules for an ordinary loan (no item type, collection or category):
    read-only, from the rules table (policy.resolve)."""

    loan_days: int | None
    renewals: int | None
    items_out: int | None
    holds: int | None  # None: no limit
    fine_per_day: Decimal | None
    complete: bool  # False: the rules table does not answer (no group default rule)


@dataclass(frozen=True)
class BranchEntry:
    code: str
    name: str
    address: str
    town: str
    postcode: str
    latitude: float | None
    longitude: float | None
    open_days: list[str]
    hours: str
    courier_calls: str  # the weekdays the courier van calls, in words
    courier_days: float | None  # median days by courier to the group's other branches
    contacts: list[Contact] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"branch-{self.code}"

    @property
    def located(self) -> bool:
        return self.latitude is not None and self.longitude is not None


@dataclass(frozen=True)
class LibraryEntry:
    code: str
    name: str
    status: str
    status_label: str
    general: tuple[str, str, str]  # the library's own contact: name, email, phone
    contacts: list[Contact]
    branches: list[BranchEntry]
    policies: Policies


@dataclass(frozen=True)
class Directory:
    audience: str
    libraries: list[LibraryEntry]
    hold_shelf_days: int

    @property
    def branches(self) -> list[BranchEntry]:
        return [b for library in self.libraries for b in library.branches]

    def markers(self) -> list[dict[str, object]]:
        """The map's data: one marker per branch with coordinates."""
        return [
            {
                "code": b.code,
                "name": b.name,
                "library": library.name,
                "town": b.town,
                "lat": b.latitude,
                "lon": b.longitude,
                "anchor": b.anchor,
            }
            for library in self.libraries
            for b in library.branches
            if b.located
        ]


def audience_of(staff: Staff) -> str:
    return STAFF if scope_of(staff).is_staff else PUBLIC


def _policies(rules: list, code: str) -> Policies:
    try:
        found = resolve(rules, Situation(code, "", "", ""))
    except NoRuleError:
        return Policies(None, None, None, None, None, complete=False)
    fine = found.values["fine_per_day"]
    return Policies(
        loan_days=found.count("loan_days"),
        renewals=found.count("renewals_allowed"),
        items_out=found.count("max_items_out"),
        holds=None if found.values["max_holds"] is None else found.count("max_holds"),
        fine_per_day=None if fine is None else Decimal(str(fine)),
        complete=True,
    )


def _courier_calls(branch_ids: list[int]) -> dict[int, str]:
    """The weekdays a courier van calls at each branch: its stops' days on active routes."""
    calls: dict[int, int] = defaultdict(int)
    for stop in Stop.objects.filter(branch_id__in=branch_ids, route__is_active=True).select_related(
        "route"
    ):
        both = int(stop.days, 2) & int(stop.route.days, 2)
        calls[stop.branch_id] |= both
    return {pk: weekdays_text(format(bits, "07b")) for pk, bits in calls.items()}


def _courier_days(branch_ids: list[int], on: dt.date) -> dict[int, float | None]:
    """For each branch, the median courier days (courier.days) to the other branches,
    shipped on `on`: what a patron waits, roughly, for a hold from another member."""
    pairs = [(a, b) for a in branch_ids for b in branch_ids if a != b]
    answers = courier_days.days_for(pairs, on)
    found: dict[int, float | None] = {}
    for branch in branch_ids:
        known = [a.days for (o, _), a in answers.items() if o == branch and a.days is not None]
        found[branch] = round(statistics.median(known), 1) if known else None
    return found


def next_weekday(today: dt.date) -> dt.date:
    """The next Monday to Friday from today (the day figures are quoted for)."""
    day = today
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def directory_for(audience: str, *, today: dt.date) -> Directory:
    libraries = list(Library.objects.filter(status__in=LISTED).order_by("name"))
    branches = list(Branch.objects.filter(library__in=libraries, is_active=True).order_by("name"))
    ids = [b.pk for b in branches]
    hours = dict(BranchHours.objects.filter(branch_id__in=ids).values_list("branch_id", "hours"))
    calls = _courier_calls(ids)
    reach = _courier_days(ids, next_weekday(today))
    contacts = Contact.objects.filter(library__in=libraries).order_by("function", "pk")
    if audience != STAFF:
        contacts = contacts.filter(public=True)
    by_library: dict[int, list[Contact]] = defaultdict(list)
    by_branch: dict[int, list[Contact]] = defaultdict(list)
    for contact in contacts:
        if contact.branch_id:
            by_branch[contact.branch_id].append(contact)
        else:
            by_library[contact.library_id].append(contact)
    rules = lookup.load_rules()
    listed = []
    for library in libraries:
        entries = [
            BranchEntry(
                code=b.code,
                name=b.name,
                address=b.address,
                town=b.town,
                postcode=b.postcode,
                latitude=None if b.latitude is None else float(b.latitude),
                longitude=None if b.longitude is None else float(b.longitude),
                open_days=b.open_day_names,
                hours=hours.get(b.pk, ""),
                courier_calls=calls.get(b.pk, ""),
                courier_days=reach.get(b.pk),
                contacts=by_branch[b.pk],
            )
            for b in branches
            if b.library_id == library.pk
        ]
        listed.append(
            LibraryEntry(
                code=library.code,
                name=library.name,
                status=library.status,
                status_label=library.get_status_display(),
                general=(library.contact_name, library.contact_email, library.contact_phone),
                contacts=by_library[library.pk],
                branches=entries,
                policies=_policies(rules, library.code),
            )
        )
    return Directory(audience, listed, GroupPolicy.current().hold_shelf_days)
