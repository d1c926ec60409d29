"""The demo group's items in transit get real transits (and crates), so the transit pages
have something to show: each copy the generator put in transit travels home from where it
is; two in three are already shipped in a crate (some of them late), the rest wait to be
packed. Written in bulk, as the demo's loans are; seeded and reproducible."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

from django.contrib.auth.models import User
from django.db.models import F
from django.utils import timezone

from onelibrary.catalog.models import Item
from onelibrary.members.models import StaffRole
from onelibrary.transit.actions import expected_on
from onelibrary.transit.models import Crate, CrateItem, Transit


def _at(day: dt.date, hour: int) -> dt.datetime:
    """That hour of `day`, but never later than now: today's 15:00 is in the future for a
    demo loaded in the morning."""
    at = timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))
    return min(at, timezone.now() - dt.timedelta(minutes=1))


def write_transits(seed: int, today: dt.date) -> int:
    rng = random.Random(f"{seed}-transits")
    items = list(
        Item.objects.filter(status=Item.Status.IN_TRANSIT)
        .exclude(current_branch=F("home_branch"))
        .select_related("current_branch__library")
        .order_by("pk")
    )
    staff_of = {
        library_id: user_id
        for library_id, user_id in StaffRole.objects.filter(library__isnull=False)
        .order_by("-pk")
        .values_list("library_id", "user_id")
    }
    anyone = User.objects.order_by("pk").values_list("pk", flat=True).first()
    transits, shipped = [], defaultdict(list)
    for item in items:
        created = today - dt.timedelta(days=rng.randrange(0, 12))
        transit = Transit(
            item=item,
            sender_id=item.current_branch_id,
            receiver_id=item.home_branch_id,
            reason=Transit.Reason.RETURN_HOME,
            state=Transit.State.WAITING,
            created_at=_at(created, 10),
        )
        if rng.random() < 2 / 3 and anyone is not None:
            ship_on = min(today, created + dt.timedelta(days=rng.randrange(0, 3)))
            transit.state = Transit.State.SHIPPED
            transit.shipped_at = _at(ship_on, 15)
            transit.expected_on = expected_on(transit.sender_id, transit.receiver_id, ship_on)
            shipped[(transit.sender_id, transit.receiver_id, ship_on)].append(transit)
        transits.append(transit)
    Transit.objects.bulk_create(transits, batch_size=2000)
    lines = []
    for (sender_id, receiver_id, ship_on), packed in sorted(shipped.items()):
        library_id = packed[0].item.current_branch.library_id
        opener = staff_of.get(library_id, anyone)
        assert opener is not None  # nothing ships without a user (above)
        crate = Crate.objects.create(
            label=f"DEMO-{sender_id}-{receiver_id}-{ship_on:%m%d}",
            origin_id=sender_id,
            destination_id=receiver_id,
            state=Crate.State.SHIPPED,
            opened_at=_at(ship_on, 9),
            opened_by_id=opener,
            closed_at=_at(ship_on, 14),
            shipped_at=_at(ship_on, 15),
            expected_on=max(t.expected_on or ship_on for t in packed),
        )
        Crate.objects.filter(pk=crate.pk).update(label=f"CRATE-{crate.pk:06d}")
        Transit.objects.filter(pk__in=[t.pk for t in packed]).update(crate=crate)
        lines += [
            CrateItem(
                crate=crate,
                transit=t,
                item=t.item,
                added_at=_at(ship_on, 12),
                added_by_id=crate.opened_by_id,
            )
            for t in packed
        ]
    CrateItem.objects.bulk_create(lines, batch_size=2000)
    return len(transits)
