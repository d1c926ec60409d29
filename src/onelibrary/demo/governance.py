"""The demo group's governance: requirements for joining, training modules, two decisions
(one taken, one proposed) and a few planted lapses, so that each compliance monitor has
something to show (docs/demo.md, "Governance"):

- a copy at one member marked not holdable with no reason (hidden);
- a member rule keeping a collection from holds with no reason (hidden);
- a crate received five days ago and not unpacked (crates);
- ten refused scans by one desk account this week (staff: a training need).

Transits overdue and member rules the group does not allow come from the rest of the demo
when they happen; pick lists not pulled show once holds are placed and left.
Written straight to the tables inside the demo's one transaction, as the rest is.
"""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth.models import User
from django.db.models import Q
from django.utils import timezone

from onelibrary.catalog.models import Item
from onelibrary.circulation.models import UnprocessedScan
from onelibrary.governance.models import Decision, Requirement, TrainingModule
from onelibrary.members.models import Branch, Library, StaffRole
from onelibrary.policy.models import CirculationRule
from onelibrary.transit.models import Crate

REQUIREMENTS = (
    "A resolution of the library's board to join the group",
    "The signed membership agreement",
    "A named contact for circulation, for interlibrary loan and for IT",
    "A courier stop the group's courier can reach",
    "Staff who will take the onboarding training",
)
MODULES = (
    ("holds", "Holds, the pick list and the hold shelf", ""),
    ("crates", "Packing, shipping and unpacking crates", ""),
    ("blocks", "Blocks, overrides and when not to", "overrides"),
    ("scanning", "Scanning at the desk: what a refused scan means", "refused_scans"),
)


def _at(day: dt.date, hour: int) -> dt.datetime:
    """That hour of `day`, but never later than now: today's 15:00 is in the future for a
    demo loaded in the morning."""
    at = timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))
    return min(at, timezone.now() - dt.timedelta(minutes=1))


def write_governance(seed: int, today: dt.date) -> int:
    """Returns how many lapses were planted."""
    rng = random.Random(f"{seed}-governance")
    for position, text in enumerate(REQUIREMENTS, start=1):
        Requirement.objects.create(text=text, position=position)
    for code, title, suggested in MODULES:
        TrainingModule.objects.create(code=code, title=title, suggested_for=suggested)
    central = User.objects.filter(is_superuser=True).order_by("pk").first()
    if central is None:
        return 0
    Decision.objects.create(
        title="The group's rules for new members",
        body=Decision.Body.BOARD,
        text="New members meet the listed requirements, take the onboarding training within "
        "30 days and are paired with a mentor member.",
        state=Decision.State.DECIDED,
        decided_on=today - dt.timedelta(days=200),
        proposed_by=central,
    )
    Decision.objects.create(
        title="One loan period for DVDs across the group",
        body=Decision.Body.VOTE,
        text="Proposed: every member lends DVDs for 7 days. Comments from every member "
        "before the vote at the next meeting.",
        proposed_by=central,
    )
    return _plant(rng, today)


def _plant(rng: random.Random, today: dt.date) -> int:
    members = list(Library.objects.filter(status=Library.Status.ACTIVE).order_by("code"))
    if len(members) < 2:
        return 0
    planted = 0
    hider, ruler, slow, scanner = (rng.choice(members) for _ in range(4))
    item = Item.objects.filter(owning_library=hider, holdable=True).order_by("pk").first()
    if item is not None:
        Item.objects.filter(pk=item.pk).update(holdable=False)
        planted += 1
    CirculationRule.objects.create(
        name="Local history room", library=ruler, collection="LOCAL", holdable=False
    )
    planted += 1
    to = Branch.objects.filter(library=slow, is_active=True).order_by("pk").first()
    origin = Branch.objects.filter(~Q(library=slow), is_active=True).order_by("pk").first()
    opener = StaffRole.objects.filter(library__isnull=False).order_by("pk").first()
    if to and origin and opener:
        arrived = _at(today - dt.timedelta(days=5), 11)
        Crate.objects.create(
            label=f"DEMO-{to.code}-LATE",
            origin=origin,
            destination=to,
            state=Crate.State.RECEIVED,
            opened_at=arrived - dt.timedelta(days=2),
            opened_by_id=opener.user_id,
            received_at=arrived,
            received_branch=to,
        )
        planted += 1
    desk = StaffRole.objects.filter(library=scanner, role=StaffRole.Role.DESK).first()
    branch = Branch.objects.filter(library=scanner).order_by("pk").first()
    if desk and branch:
        for n in range(10):
            UnprocessedScan.objects.create(
                at=_at(today - dt.timedelta(days=n % 6), 10 + n % 6),
                staff_id=desk.user_id,
                branch=branch,
                screen="checkin",
                barcode=f"3999999999{n:04d}",
                code="unknown_barcode",
                message="No copy has this barcode.",
            )
        planted += 1
    return planted
