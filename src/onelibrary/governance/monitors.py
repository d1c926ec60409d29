"""Compliance monitors: daily checks of how members follow the group's procedures.

Each monitor reads the other parts and answers findings: which member, what, and the
page where it is put right. Reading never writes: the daily run (`governance/tasks.py`,
`onelibrary monitors`) adds the staff monitor's training suggestions and mails the
findings. docs/governance.md, "Compliance monitors", says what each checks and why.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass
from urllib.parse import urlencode

from django.contrib.auth.models import User
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from onelibrary.catalog.models import Item
from onelibrary.circulation.models import Event, UnprocessedScan
from onelibrary.governance.models import MonitorSettings, TrainingModule
from onelibrary.holds.models import Hold, HoldEvent
from onelibrary.members import lifecycle
from onelibrary.members.models import Library
from onelibrary.policy.models import CirculationRule, GroupPolicy, MemberPolicy
from onelibrary.policy.resolve import SETTINGS
from onelibrary.transit.late import late_transits
from onelibrary.transit.models import Crate

# The decision ids of an override at checkout (docs/circulation/checkout.md, money.md).
OVERRIDES = ("CHECKOUT-9", "MONEY-11")
SHOWN = 5  # examples named in one finding
# The ticket category a finding opens (directory/migrations/0002_ticket_categories.py).
TICKET_CATEGORY = {
    "crates": "courier",
    "transits": "courier",
    "hidden": "policy",
    "member_rules": "policy",
}


@dataclass(frozen=True)
class Finding:
    monitor: str
    member: str  # the member library's code; "" for the group
    what: str
    url: str  # where to put it right

    def as_dict(self) -> dict[str, str]:
        return asdict(self)

    def ticket_url(self) -> str:
        """A ticket to the member about this finding, filled in (directory's tickets)."""
        query = {
            "category": TICKET_CATEGORY.get(self.monitor, "other"),
            "to": self.member,
            "subject": self.what[:200],
            "link": self.url,
        }
        return f"{reverse('tickets:new')}?{urlencode(query)}"


def _examples(values: list[str]) -> str:
    more = f" and {len(values) - SHOWN} more" if len(values) > SHOWN else ""
    return ", ".join(values[:SHOWN]) + more


def _counted() -> list[str]:
    """Members whose practice the monitors watch: those in the group, not applicants."""
    return [lifecycle.ONBOARDING, lifecycle.ACTIVE, lifecycle.LEAVING]


# --- 1. kept from holds without an allowed reason ----------------------------------------


def hidden(now: dt.datetime, settings: MonitorSettings) -> list[Finding]:
    found = []
    items = (
        Item.objects.filter(holdable=False, holds_exemption__isnull=True)
        .filter(owning_library__status__in=_counted())
        .values_list("owning_library__code", "barcode")
        .order_by("owning_library__code", "barcode")
    )
    by_member: dict[str, list[str]] = {}
    for code, barcode in items:
        by_member.setdefault(code, []).append(barcode)
    for code, barcodes in by_member.items():
        found.append(
            Finding(
                "hidden",
                code,
                f"{len(barcodes)} copies kept from group holds with no reason the group allows "
                f"({_examples(barcodes)}): give each an allowed reason, or make it holdable.",
                reverse("item_edit", args=[barcodes[0]]),
            )
        )
    rules = CirculationRule.objects.filter(
        library__isnull=False, holdable=False, exempt_reason__isnull=True
    ).select_related("library")
    for rule in rules.order_by("library__code", "pk"):
        assert rule.library is not None  # filtered
        found.append(
            Finding(
                "hidden",
                rule.library.code,
                f"The rule “{rule.name}” keeps items from group holds with no reason the group "
                "allows: choose one, or leave “holdable” empty.",
                reverse("admin:policy_circulationrule_change", args=[rule.pk]),
            )
        )
    return found


# --- 2. pick lists not pulled by the deadline --------------------------------------------


def pick_lists(now: dt.datetime, settings: MonitorSettings) -> list[Finding]:
    days = GroupPolicy.current().pull_deadline_days
    deadline = now - dt.timedelta(days=days)
    missed: Counter[str] = Counter(
        dict(
            HoldEvent.objects.filter(
                kind="pull_deadline_missed", at__gte=now - dt.timedelta(days=1)
            )
            .values_list("lender")
            .annotate(n=Count("pk"))
            .values_list("lender", "n")
        )
    )
    overdue = (
        Hold.objects.filter(state=Hold.State.ROUTED, routed_at__lt=deadline)
        .values_list("assigned_item__owning_library__code")
        .annotate(n=Count("pk"))
        .values_list("assigned_item__owning_library__code", "n")
    )
    missed.update(dict(overdue))
    return [
        Finding(
            "pick_lists",
            code,
            f"{n} routed copies not pulled within the group's {days} days: "
            "pull the pick list every open day.",
            reverse("holds:pick_list"),
        )
        for code, n in sorted(missed.items())
        if code
    ]


# --- 3. crates not unpacked within N days of arrival -------------------------------------


def crates(now: dt.datetime, settings: MonitorSettings) -> list[Finding]:
    cutoff = now - dt.timedelta(days=settings.crate_unpack_days)
    late = (
        Crate.objects.filter(state=Crate.State.RECEIVED, received_at__lt=cutoff)
        .select_related("received_branch__library", "destination__library")
        .order_by("received_at", "pk")
    )
    found = []
    for crate in late:
        branch = crate.received_branch or crate.destination
        if branch is None:  # a hub crate not yet received at a branch: the hub's business
            continue
        assert crate.received_at is not None  # filtered
        days = (now - crate.received_at).days
        found.append(
            Finding(
                "crates",
                branch.library.code,
                f"Crate {crate.label} arrived at {branch.name} {days} days ago and is not "
                f"unpacked (the group allows {settings.crate_unpack_days}): unpack it.",
                reverse("transit:crate", args=[crate.label]),
            )
        )
    return found


# --- 4. transits overdue, by member ------------------------------------------------------


def transits(now: dt.datetime, settings: MonitorSettings) -> list[Finding]:
    today = timezone.localdate(now)
    by_member: Counter[str] = Counter()
    for late in late_transits(None, today):
        by_member[late.transit.sender.library.code] += 1
    return [
        Finding(
            "transits",
            code,
            f"{n} items it sent are overdue in transit: check its crates and the courier, "
            "and declare missing what cannot be found.",
            reverse("transit:late"),
        )
        for code, n in sorted(by_member.items())
    ]


# --- 5. member rules that differ from what the group allows -----------------------------


def member_rules(now: dt.datetime, settings: MonitorSettings) -> list[Finding]:
    """A member rule setting what a locked group rule fixes (resolve ignores it, POLICY-3,
    but the member believes it holds), or a local-priority window longer than the group's."""
    group_rules = CirculationRule.objects.filter(library__isnull=True, locked=True)
    found = []
    for group_rule in group_rules:
        fixed = [name for name in SETTINGS if getattr(group_rule, _field(name)) is not None]
        members = CirculationRule.objects.filter(library__isnull=False).select_related("library")
        for field in ("item_type", "collection", "patron_category"):
            value = getattr(group_rule, field)
            if value:
                members = members.filter(**{field: value})
        for rule in members.order_by("library__code", "pk"):
            overridden = [n for n in fixed if getattr(rule, _field(n)) is not None]
            if overridden and rule.library is not None:
                found.append(
                    Finding(
                        "member_rules",
                        rule.library.code,
                        f"The rule “{rule.name}” sets {', '.join(overridden)}, which the group "
                        f"fixes in “{group_rule.name}”: it has no effect; remove it or bring "
                        "the change to the group.",
                        reverse("admin:policy_circulationrule_change", args=[rule.pk]),
                    )
                )
    window = GroupPolicy.current().local_priority_days
    for policy in MemberPolicy.objects.filter(local_priority_days__gt=window).select_related(
        "library"
    ):
        found.append(
            Finding(
                "member_rules",
                policy.library.code,
                f"Its local-priority window is {policy.local_priority_days} days; the group "
                f"allows at most {window}.",
                reverse("policy:differences"),
            )
        )
    return found


def _field(setting: str) -> str:
    return "exempt_reason_id" if setting == "exempt_reason" else setting


# --- 6. repeated overrides or refused scans by the same staff -----------------------------


@dataclass(frozen=True)
class Need:
    user: User
    library: str
    kind: str  # "overrides" or "refused_scans"
    count: int


def training_needs(now: dt.datetime, settings: MonitorSettings) -> list[Need]:
    since = now - dt.timedelta(days=settings.window_days)
    needs = []
    overrides = (
        Event.objects.filter(decision__in=OVERRIDES, at__gte=since, staff__isnull=False)
        .values("staff", "branch__library__code")
        .annotate(n=Count("pk"))
        .filter(n__gte=settings.overrides_threshold)
    )
    refused = (
        UnprocessedScan.objects.filter(at__gte=since)
        .values("staff", "branch__library__code")
        .annotate(n=Count("pk"))
        .filter(n__gte=settings.refused_scans_threshold)
    )
    users = User.objects.in_bulk(
        {row["staff"] for row in overrides} | {row["staff"] for row in refused}
    )
    for kind, rows in (("overrides", overrides), ("refused_scans", refused)):
        for row in rows:
            needs.append(
                Need(users[row["staff"]], row["branch__library__code"] or "", kind, row["n"])
            )
    return sorted(needs, key=lambda n: (n.library, n.user.username, n.kind))


def staff(now: dt.datetime, settings: MonitorSettings) -> list[Finding]:
    modules = dict(
        TrainingModule.objects.exclude(suggested_for="").values_list("suggested_for", "title")
    )
    found = []
    for need in training_needs(now, settings):
        what = "overrode blocks" if need.kind == "overrides" else "had refused scans"
        module = modules.get(need.kind)
        suggest = f" Suggested training: {module}." if module else ""
        found.append(
            Finding(
                "staff",
                need.library,
                f"{need.user.get_full_name() or need.user.username} {what} {need.count} times "
                f"in {settings.window_days} days: a training need.{suggest}",
                reverse("governance:training"),
            )
        )
    return found


MONITORS: dict[str, tuple[str, Callable[[dt.datetime, MonitorSettings], list[Finding]]]] = {
    "hidden": ("Kept from holds without an allowed reason", hidden),
    "pick_lists": ("Pick lists not pulled by the deadline", pick_lists),
    "crates": ("Crates not unpacked in time", crates),
    "transits": ("Transits overdue, by member", transits),
    "member_rules": ("Member rules the group does not allow", member_rules),
    "staff": ("Training needs: repeated overrides or refused scans", staff),
}


def run(now: dt.datetime | None = None, *, only: str = "") -> list[Finding]:
    now = now or timezone.now()
    settings = MonitorSettings.current()
    found: list[Finding] = []
    for name, (_, check) in MONITORS.items():
        if not only or only == name:
            found += check(now, settings)
    return found


def members_named(findings: list[Finding]) -> dict[str, str]:
    codes = {f.member for f in findings if f.member}
    return dict(Library.objects.filter(code__in=codes).values_list("code", "name"))
